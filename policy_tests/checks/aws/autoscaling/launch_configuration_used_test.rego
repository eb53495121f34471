package checks.aws.autoscaling.launch_configuration_used_test

import data.checks.aws.autoscaling.launch_configuration_used as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ASG-001",
	"title": "Auto Scaling group launches from a launch configuration",
	"description": "Launch configurations are retired by AWS: they get no new instance types or settings, cannot be versioned, and new accounts cannot create them, so hardening (IMDSv2 defaults, encryption, new AMIs) lags behind groups that use launch templates.",
	"severity": "low",
	"resource_types": ["aws_autoscaling_group"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(1)(ii)(B)"],
		"pci_dss": ["2.2.1"],
		"soc2": ["CC8.1"],
		"iso27001": ["A.8.9"],
	},
	"remediation": "Move the group to a launch template (launch_template { id, version } or a mixed_instances_policy) with the same settings, IMDSv2 required and encrypted volumes, then delete the launch configuration.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "module.myapp-asg.aws_autoscaling_group.asg"

_group(attributes) := {
	"address": _address,
	"type": "aws_autoscaling_group",
	"provider": "aws",
	"name": "asg",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_launch_template if {
	r := _group({"launch_configuration": null, "launch_template": {"id": "lt-0abc", "version": "$Latest"}})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.findings) == 0 with input as _inventory([_group({"launch_configuration": ""})])
	check.resources == {r} with input as _inventory([r])
}

test_fail_launch_configuration if {
	r := _group({"launch_configuration": "myapp-lc-2026", "launch_template": null})
	check.findings == {expect.fail(_metadata, _address, "aws_autoscaling_group", "Auto Scaling group \"asg\" launches from launch configuration \"myapp-lc-2026\" instead of a launch template")} with input as _inventory([r])
}

# The terraform-compliance fixture: the name of a launch configuration created in the same plan.
test_unknown_launch_configuration if {
	r := object.union(_group({"launch_template": null}), {"unknown": ["launch_configuration"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_autoscaling_group", "Auto Scaling group \"asg\": launch_configuration is known only after apply", ["launch_configuration"])} with input as _inventory([r])
}

test_missing_launch_configuration if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_autoscaling_group", "Auto Scaling group \"asg\": launch_configuration is missing from the inventory", ["launch_configuration"])} with input as _inventory([_group({})])
}
