package checks.aws.ec2.imds_hop_limit_test

import data.checks.aws.ec2.imds_hop_limit as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-109",
	"title": "Instance metadata reachable from containers (hop limit too high)",
	"description": "A metadata response hop limit above the allowed maximum lets the IMDSv2 token cross a container bridge, so every container or pod on the host can take the instance role's credentials.",
	"severity": "low",
	"resource_types": ["aws_instance", "aws_launch_template", "aws_launch_configuration"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.5"],
		"soc2": ["CC6.3"],
		"iso27001": ["A.8.2", "A.8.9"],
	},
	"remediation": "Set metadata_options { http_put_response_hop_limit = 1 } (the parameter maximum_imds_hop_limit) and give containers their own credentials (ECS task roles, EKS Pod Identity or IRSA).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_launch_template.nodes"

_template(options) := {
	"address": _address,
	"type": "aws_launch_template",
	"provider": "aws",
	"name": "nodes",
	"attributes": {"metadata_options": options},
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_hop_limit_one if {
	r := _template({"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 1})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_endpoint_disabled_or_no_block if {
	count(check.findings) == 0 with input as _inventory([_template({"http_endpoint": "disabled", "http_put_response_hop_limit": 5})])
	count(check.findings) == 0 with input as _inventory([_template(null)])
}

test_fail_hop_limit_two if {
	r := _template({"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 2})
	check.findings == {expect.fail(_metadata, _address, "aws_launch_template", "aws_launch_template \"nodes\" lets metadata responses travel 2 hops (most allowed: 1)")} with input as _inventory([r])
}

test_pass_hop_limit_at_raised_maximum if {
	r := _template({"http_endpoint": "enabled", "http_put_response_hop_limit": 2})
	count(check.findings) == 0 with input as object.union(_inventory([r]), {"parameters": {"maximum_imds_hop_limit": 2}})
}

test_unknown_hop_limit if {
	r := object.union(_template({"http_tokens": "required"}), {"unknown": ["metadata_options.http_put_response_hop_limit", "metadata_options.http_endpoint"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "aws_launch_template \"nodes\": metadata_options.http_put_response_hop_limit is known only after apply", ["metadata_options.http_put_response_hop_limit"])} with input as _inventory([r])
}

test_missing_hop_limit if {
	r := _template({"http_endpoint": "enabled"})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "aws_launch_template \"nodes\": metadata_options.http_put_response_hop_limit is missing from the inventory", ["metadata_options.http_put_response_hop_limit"])} with input as _inventory([r])
}

test_missing_null_hop_limit_left_to_ami if {
	r := _template({"http_endpoint": "enabled", "http_put_response_hop_limit": null})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_launch_template", "aws_launch_template \"nodes\" sets no metadata_options.http_put_response_hop_limit: the AMI's default decides how far metadata responses travel", ["metadata_options.http_put_response_hop_limit"])} with input as _inventory([r])
}
