package checks.aws.sagemaker.model_network_isolation_test

import data.checks.aws.sagemaker.model_network_isolation as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-005",
	"title": "SageMaker model without network isolation",
	"description": "Without network isolation, the model's inference container can open outbound network connections, so a compromised or malicious model image can send the inference data it receives anywhere.",
	"severity": "medium",
	"resource_types": ["aws_sagemaker_model"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["1.3.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.22", "A.8.20"],
	},
	"remediation": "Set enable_network_isolation = true; models that must call other services should do so through a vpc_config with VPC endpoints instead.",
}

_address := "arn:aws:sagemaker:eu-west-1:123456789012:model/churn"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/sagemaker", "status": "complete"}],
	"resources": resources,
}

_model(attributes) := {
	"address": _address,
	"type": "aws_sagemaker_model",
	"provider": "aws",
	"name": "churn",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_network_isolation_enabled if {
	r := _model({"enable_network_isolation": true, "vpc_config": null})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_network_isolation_disabled if {
	r := _model({"enable_network_isolation": false, "vpc_config": {"subnets": ["subnet-0a1b2c3d"], "security_group_ids": ["sg-0a1b2c3d"]}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/churn", "aws_sagemaker_model",
		"SageMaker model \"churn\" can reach the network from its container (enable_network_isolation = false)",
	)}
}

test_missing_enable_network_isolation if {
	r := _model({"execution_role_arn": "arn:aws:iam::123456789012:role/sagemaker-churn"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/churn", "aws_sagemaker_model",
		"SageMaker model \"churn\": enable_network_isolation is missing from the inventory",
		["enable_network_isolation"],
	)}
}

test_unknown_enable_network_isolation if {
	r := object.union(_model({"enable_network_isolation": false}), {"unknown": ["enable_network_isolation"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/churn", "aws_sagemaker_model",
		"SageMaker model \"churn\": enable_network_isolation is known only after apply", ["enable_network_isolation"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	notebook := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"type": "aws_sagemaker_notebook_instance",
		"provider": "aws",
		"name": "research",
		"attributes": {"enable_network_isolation": false},
	}
	count(check.findings) == 0 with input as _inventory([notebook])
	count(check.resources) == 0 with input as _inventory([notebook])
}
