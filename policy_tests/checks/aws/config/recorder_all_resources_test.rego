package checks.aws.config.recorder_all_resources_test

import data.checks.aws.config.recorder_all_resources as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CFG-001",
	"title": "AWS Config recorder does not record every resource type",
	"description": "A Config recorder limited to some resource types keeps no configuration history, and evaluates no rules, for the rest, so changes to them cannot be traced or judged afterwards.",
	"severity": "medium",
	"resource_types": ["aws_config_configuration_recorder"],
	"controls": {
		"gdpr": ["Art.32(1)(d)"],
		"hipaa": ["164.308(a)(1)(ii)(D)"],
		"pci_dss": ["10.2.1", "11.5.2"],
		"soc2": ["CC7.1", "CC8.1"],
		"iso27001": ["A.8.9", "A.8.16"],
	},
	"remediation": "Set recording_group { all_supported = true } (with include_global_resource_types = true in one region), and pair the recorder with a delivery channel and an enabled aws_config_configuration_recorder_status.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_all_supported if {
	r := _resource("aws_config_configuration_recorder", "main", {"recording_group": {"all_supported": true, "include_global_resource_types": true}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_no_recording_group_records_everything if {
	r := _resource("aws_config_configuration_recorder", "main", {"recording_group": null}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_some_types if {
	r := _resource("aws_config_configuration_recorder", "main", {"recording_group": {"all_supported": false, "resource_types": ["AWS::S3::Bucket"]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "AWS Config recorder \"main\" records only some resource types (recording_group.all_supported = false)")}
}

test_missing_all_supported if {
	r := _resource("aws_config_configuration_recorder", "main", {"recording_group": {"resource_types": []}}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "AWS Config recorder \"main\": recording_group.all_supported is missing from the inventory", ["recording_group.all_supported"])}
}

test_missing_recording_group if {
	r := _resource("aws_config_configuration_recorder", "main", {"name": "main"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "AWS Config recorder \"main\": recording_group.all_supported is missing from the inventory", ["recording_group.all_supported"])}
}

test_unknown_recording_group if {
	r := _resource("aws_config_configuration_recorder", "main", {}, {"unknown": ["recording_group"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "AWS Config recorder \"main\": recording_group.all_supported is known only after apply", ["recording_group.all_supported"])}
}
