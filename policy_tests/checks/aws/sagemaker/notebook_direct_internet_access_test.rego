package checks.aws.sagemaker.notebook_direct_internet_access_test

import data.checks.aws.sagemaker.notebook_direct_internet_access as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-003",
	"title": "SageMaker notebook instance with direct internet access",
	"description": "With direct internet access, the notebook reaches the internet through a SageMaker-managed network outside the account's VPC controls, so data can be sent out and packages pulled in past the egress filtering and flow logs.",
	"severity": "high",
	"resource_types": ["aws_sagemaker_notebook_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["1.3.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set direct_internet_access = \"Disabled\" with a subnet_id and security_groups in a VPC; give the notebook the access it needs through VPC endpoints or a filtered NAT egress.",
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

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_direct_internet_access_disabled if {
	r := _notebook({"direct_internet_access": "Disabled", "subnet_id": "subnet-0a1b2c3d", "security_groups": ["sg-0a1b2c3d"]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_direct_internet_access_enabled if {
	r := _notebook({"direct_internet_access": "Enabled", "subnet_id": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\" has direct internet access (direct_internet_access = \"Enabled\")",
	)}
}

# Only "Disabled" switches access off; any other value is the default, access.
test_fail_unexpected_value_is_not_disabled if {
	r := _notebook({"direct_internet_access": "disabled"})
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

test_missing_direct_internet_access if {
	r := _notebook({"instance_type": "ml.t3.medium"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\": direct_internet_access is missing from the inventory",
		["direct_internet_access"],
	)}
}

test_unknown_direct_internet_access if {
	r := object.union(_notebook({"direct_internet_access": "Enabled"}), {"unknown": ["direct_internet_access"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\": direct_internet_access is known only after apply",
		["direct_internet_access"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	model := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:model/churn",
		"type": "aws_sagemaker_model",
		"provider": "aws",
		"name": "churn",
		"attributes": {"direct_internet_access": "Enabled"},
	}
	count(check.findings) == 0 with input as _inventory([model])
	count(check.resources) == 0 with input as _inventory([model])
}
