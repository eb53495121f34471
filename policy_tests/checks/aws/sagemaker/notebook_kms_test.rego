package checks.aws.sagemaker.notebook_kms_test

import data.checks.aws.sagemaker.notebook_kms as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-002",
	"title": "SageMaker notebook instance without a KMS key",
	"description": "Without kms_key_id, the notebook's ML storage volume (datasets, notebooks, credentials saved by users) is not encrypted with a KMS key the account governs, audits, rotates and can revoke.",
	"severity": "medium",
	"resource_types": ["aws_sagemaker_notebook_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set kms_key_id to a customer-managed KMS key whose key policy grants the notebook's role. The key of an existing notebook cannot be changed: create a new notebook instance with the key and move the work to it.",
}

_address := "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/sagemaker", "status": "complete"}],
	"resources": resources,
}

_notebook(attributes) := {
	"address": _address,
	"type": "aws_sagemaker_notebook_instance",
	"provider": "aws",
	"name": "research",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_sagemaker_notebook_instance", message)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms_key_id_set if {
	r := _notebook({"instance_type": "ml.t3.medium", "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000011"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_kms_key_id_null if {
	r := _notebook({"instance_type": "ml.t3.medium", "kms_key_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\" has no KMS key for its storage volume (kms_key_id = null)",
	)}
}

test_fail_kms_key_id_empty_string if {
	r := _notebook({"kms_key_id": ""})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("SageMaker notebook instance \"research\" has no KMS key for its storage volume (kms_key_id = \"\")")}
}

test_missing_kms_key_id if {
	r := _notebook({"instance_type": "ml.t3.medium"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\": kms_key_id is missing from the inventory", ["kms_key_id"],
	)}
}

test_unknown_kms_key_id if {
	r := object.union(_notebook({"kms_key_id": null}), {"unknown": ["kms_key_id"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\": kms_key_id is known only after apply", ["kms_key_id"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	config := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-scoring",
		"type": "aws_sagemaker_endpoint_configuration",
		"provider": "aws",
		"name": "churn-scoring",
		"attributes": {"kms_key_id": null},
	}
	count(check.findings) == 0 with input as _inventory([config])
	count(check.resources) == 0 with input as _inventory([config])
}

test_fail_only_offending_resources_reported if {
	good := object.union(_notebook({"kms_key_id": "alias/notebooks"}), {"address": "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/good", "name": "good"})
	bad := _notebook({"kms_key_id": null})
	findings := check.findings with input as _inventory([good, bad])
	{f.resource | some f in findings} == {_address}
	check.resources == {good, bad} with input as _inventory([good, bad])
}
