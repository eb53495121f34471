package checks.aws.sagemaker.endpoint_config_kms_test

import data.checks.aws.sagemaker.endpoint_config_kms as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-001",
	"title": "SageMaker endpoint configuration without a KMS key",
	"description": "Without kms_key_arn, the ML storage volume of the instances hosting the endpoint (model artifacts, inference payloads written to disk) is not encrypted with a KMS key the account governs, audits, rotates and can revoke.",
	"severity": "medium",
	"resource_types": ["aws_sagemaker_endpoint_configuration"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set kms_key_arn to a customer-managed KMS key whose key policy grants the endpoint's execution role, and move the endpoint to the new configuration. Instance types with local NVMe storage encrypt it in hardware and accept no key: record an exception for those.",
}

_address := "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-scoring"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/sagemaker", "status": "complete"}],
	"resources": resources,
}

_config(attributes) := {
	"address": _address,
	"type": "aws_sagemaker_endpoint_configuration",
	"provider": "aws",
	"name": "churn-scoring",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_sagemaker_endpoint_configuration", message)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms_key_arn_set if {
	r := _config({"name": "churn-scoring", "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000010"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_kms_alias_accepted if {
	r := _config({"kms_key_arn": "alias/ml-endpoints"})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_kms_key_arn_null if {
	r := _config({"name": "churn-scoring", "kms_key_arn": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-scoring",
		"aws_sagemaker_endpoint_configuration",
		"SageMaker endpoint configuration \"churn-scoring\" has no KMS key for its storage volumes (kms_key_arn = null)",
	)}
}

test_fail_kms_key_arn_empty_string if {
	r := _config({"kms_key_arn": ""})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("SageMaker endpoint configuration \"churn-scoring\" has no KMS key for its storage volumes (kms_key_arn = \"\")")}
}

test_fail_kms_key_arn_blank if {
	r := _config({"kms_key_arn": "  "})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("SageMaker endpoint configuration \"churn-scoring\" has no KMS key for its storage volumes (kms_key_arn = \"  \")")}
}

test_missing_kms_key_arn if {
	r := _config({"name": "churn-scoring"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-scoring",
		"aws_sagemaker_endpoint_configuration",
		"SageMaker endpoint configuration \"churn-scoring\": kms_key_arn is missing from the inventory",
		["kms_key_arn"],
	)}
}

test_unknown_kms_key_arn if {
	r := object.union(_config({"kms_key_arn": null}), {"unknown": ["kms_key_arn"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-scoring",
		"aws_sagemaker_endpoint_configuration",
		"SageMaker endpoint configuration \"churn-scoring\": kms_key_arn is known only after apply", ["kms_key_arn"],
	)}
}

test_pass_unknown_lists_other_attributes if {
	r := object.union(_config({"kms_key_arn": "alias/ml-endpoints"}), {"unknown": ["data_capture_config"]})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	notebook := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"type": "aws_sagemaker_notebook_instance",
		"provider": "aws",
		"name": "research",
		"attributes": {"kms_key_id": null},
	}
	count(check.findings) == 0 with input as _inventory([notebook])
	count(check.resources) == 0 with input as _inventory([notebook])
}
