package checks.aws.sagemaker.notebook_root_access_test

import data.checks.aws.sagemaker.notebook_root_access as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-004",
	"title": "SageMaker notebook instance with root access for its users",
	"description": "Root access lets every notebook user change the instance's software and security configuration, read other users' files and disable the controls the notebook relies on; most data science work needs no root.",
	"severity": "medium",
	"resource_types": ["aws_sagemaker_notebook_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.2"],
		"soc2": ["CC6.3"],
		"iso27001": ["A.8.2", "A.8.19"],
	},
	"remediation": "Set root_access = \"Disabled\"; install the packages users need through a lifecycle configuration (which still runs as root) or a custom image.",
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

test_pass_root_access_disabled if {
	r := _notebook({"root_access": "Disabled", "direct_internet_access": "Enabled"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_root_access_enabled if {
	r := _notebook({"root_access": "Enabled"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\" gives its users root access (root_access = \"Enabled\")",
	)}
}

test_missing_root_access if {
	r := _notebook({"direct_internet_access": "Disabled"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\": root_access is missing from the inventory", ["root_access"],
	)}
}

test_unknown_root_access if {
	r := object.union(_notebook({}), {"unknown": ["root_access"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"aws_sagemaker_notebook_instance",
		"SageMaker notebook instance \"research\": root_access is known only after apply", ["root_access"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	model := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:model/churn",
		"type": "aws_sagemaker_model",
		"provider": "aws",
		"name": "churn",
		"attributes": {"root_access": "Enabled"},
	}
	count(check.findings) == 0 with input as _inventory([model])
	count(check.resources) == 0 with input as _inventory([model])
}
