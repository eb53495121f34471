package checks.aws.ec2.production_detailed_monitoring_test

import data.checks.aws.ec2.production_detailed_monitoring as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-106",
	"title": "Production instance without detailed monitoring",
	"description": "Basic monitoring reports instance metrics every five minutes; production instances need the one-minute metrics of detailed monitoring for alarms to notice a failing or overloaded instance in time.",
	"severity": "low",
	"resource_types": ["aws_instance", "aws_launch_configuration", "aws_launch_template"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.7.2"],
		"soc2": ["CC7.2", "A1.1"],
		"iso27001": ["A.8.16", "A.8.6"],
	},
	"remediation": "Set monitoring = true on the instance, enable_monitoring = true on the launch configuration, or monitoring { enabled = true } in the launch template.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_resource(type, environment, attributes) := {
	"address": sprintf("%s.api", [type]),
	"type": type,
	"provider": "aws",
	"name": "api",
	"tags": {"Environment": environment},
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_monitoring_on if {
	instance := _resource("aws_instance", "prod", {"monitoring": true})
	lc := _resource("aws_launch_configuration", "production", {"enable_monitoring": true})
	lt := _resource("aws_launch_template", "Production", {"monitoring": {"enabled": true}})
	count(check.findings) == 0 with input as _inventory([instance, lc, lt])
	check.resources == {instance, lc, lt} with input as _inventory([instance, lc, lt])
}

test_pass_non_production_ignored if {
	r := _resource("aws_instance", "staging", {"monitoring": false})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_fail_instance_monitoring_null if {
	r := _resource("aws_instance", "prod", {"monitoring": null})
	check.findings == {expect.fail(_metadata, "aws_instance.api", "aws_instance", "production aws_instance \"api\" has detailed monitoring off (monitoring = null)")} with input as _inventory([r])
}

test_fail_launch_configuration_off if {
	r := _resource("aws_launch_configuration", "prod", {"enable_monitoring": false})
	check.findings == {expect.fail(_metadata, "aws_launch_configuration.api", "aws_launch_configuration", "production aws_launch_configuration \"api\" has detailed monitoring off (enable_monitoring = false)")} with input as _inventory([r])
}

test_fail_launch_template_no_block if {
	r := _resource("aws_launch_template", "prod", {"monitoring": null})
	check.findings == {expect.fail(_metadata, "aws_launch_template.api", "aws_launch_template", "production aws_launch_template \"api\" has detailed monitoring off (no monitoring block)")} with input as _inventory([r])
}

test_fail_launch_template_disabled if {
	r := _resource("aws_launch_template", "prod", {"monitoring": {"enabled": false}})
	check.findings == {expect.fail(_metadata, "aws_launch_template.api", "aws_launch_template", "production aws_launch_template \"api\" has detailed monitoring off (monitoring.enabled = false)")} with input as _inventory([r])
}

test_unknown_monitoring if {
	r := object.union(_resource("aws_instance", "prod", {}), {"unknown": ["monitoring"]})
	check.findings == {expect.indeterminate(_metadata, "aws_instance.api", "aws_instance", "production aws_instance \"api\": monitoring is known only after apply", ["monitoring"])} with input as _inventory([r])
}

test_missing_template_monitoring if {
	r := _resource("aws_launch_template", "prod", {})
	check.findings == {expect.indeterminate(_metadata, "aws_launch_template.api", "aws_launch_template", "production aws_launch_template \"api\": monitoring.enabled is missing from the inventory", ["monitoring.enabled"])} with input as _inventory([r])
}
