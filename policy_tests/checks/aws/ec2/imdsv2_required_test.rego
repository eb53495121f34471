package checks.aws.ec2.imdsv2_required_test

import data.checks.aws.ec2.imdsv2_required as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-101",
	"title": "Instance metadata service allows IMDSv1",
	"description": "Without http_tokens = \"required\" an instance answers IMDSv1 requests, so a server-side request forgery in any application on it can read the instance role's temporary credentials with a plain GET.",
	"severity": "high",
	"resource_types": ["aws_instance", "aws_launch_template", "aws_launch_configuration"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(d)"],
		"pci_dss": ["2.2.6"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5", "A.8.9"],
	},
	"remediation": "Add a metadata_options block with http_tokens = \"required\" (or http_endpoint = \"disabled\" where nothing reads instance metadata); for running instances use modify-instance-metadata-options --http-tokens required after checking that the SDKs in use support IMDSv2.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_address := "arn:aws:ec2:eu-west-1:123456789012:instance/i-0a1b2c3d4e5f60001"

_instance(attributes) := {
	"address": _address,
	"type": "aws_instance",
	"provider": "aws",
	"name": "billing-api",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_tokens_required if {
	r := _instance({"metadata_options": {"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 1}})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_endpoint_disabled if {
	r := _instance({"metadata_options": {"http_endpoint": "disabled", "http_tokens": "optional"}})
	count(check.findings) == 0 with input as _inventory([r])
}

# A plan that knows http_tokens but not the computed hop limit still decides.
test_pass_other_settings_unknown if {
	r := object.union(_instance({"metadata_options": {"http_endpoint": "enabled", "http_tokens": "required"}}), {"unknown": ["metadata_options.http_put_response_hop_limit"]})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_tokens_optional if {
	r := _instance({"metadata_options": {"http_endpoint": "enabled", "http_tokens": "optional"}})
	check.findings == {expect.fail(_metadata, _address, "aws_instance", "aws_instance \"billing-api\" allows IMDSv1 (metadata_options.http_tokens = \"optional\")")} with input as _inventory([r])
}

# A launch template block without http_tokens leaves IMDSv1 on.
test_fail_launch_template_tokens_unset if {
	r := object.union(_instance({"metadata_options": {"http_endpoint": "enabled", "http_tokens": ""}}), {"type": "aws_launch_template", "name": "workers"})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_template", "aws_launch_template \"workers\" allows IMDSv1 (metadata_options.http_tokens = \"\")")} with input as _inventory([r])
}

test_fail_no_block if {
	r := object.union(_instance({"metadata_options": null}), {"type": "aws_launch_configuration", "name": "legacy-lc"})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_configuration", "aws_launch_configuration \"legacy-lc\" sets no metadata_options, so IMDSv1 is allowed (http_tokens is not required)")} with input as _inventory([r])
}

test_missing_metadata_options if {
	r := _instance({"instance_type": "t3.micro"})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"billing-api\": metadata_options is missing from the inventory", ["metadata_options"])} with input as _inventory([r])
}

test_unknown_metadata_options if {
	r := object.union(_instance({"instance_type": "t3.micro"}), {"unknown": ["metadata_options"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"billing-api\": metadata_options is known only after apply", ["metadata_options"])} with input as _inventory([r])
}

test_unknown_tokens if {
	r := object.union(_instance({"metadata_options": {"http_endpoint": "enabled"}}), {"unknown": ["metadata_options.http_tokens"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"billing-api\": metadata_options.http_tokens is known only after apply", ["metadata_options.http_tokens"])} with input as _inventory([r])
}

test_missing_tokens if {
	r := _instance({"metadata_options": {"http_endpoint": "enabled"}})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"billing-api\": metadata_options.http_tokens is missing from the inventory", ["metadata_options.http_tokens"])} with input as _inventory([r])
}

test_unknown_endpoint_with_optional_tokens if {
	r := object.union(_instance({"metadata_options": {"http_tokens": "optional"}}), {"unknown": ["metadata_options.http_endpoint"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_instance", "aws_instance \"billing-api\": metadata_options.http_tokens is \"optional\" and http_endpoint is known only after apply", ["metadata_options.http_endpoint"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_instance({"metadata_options": null}), {"type": "aws_ebs_volume"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
