package checks.aws.config.recorder_enabled_test

import data.checks.aws.config.recorder_enabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CFG-002",
	"title": "AWS Config recorder not recording",
	"description": "A configuration recorder that exists but is stopped records no change: the configuration history, the Config rules and the evidence built on them silently stop at the moment it was stopped. A recorder is created stopped and records only once started.",
	"severity": "high",
	"resource_types": ["aws_config_configuration_recorder"],
	"controls": {"gdpr": ["Art.32(1)(d)"], "hipaa": ["164.308(a)(1)(ii)(D)", "164.312(b)"], "iso27001": ["A.8.9", "A.8.16"], "pci_dss": ["10.2.1", "11.5.2"], "soc2": ["CC7.1", "CC8.1"]},
	"remediation": "Start the recorder: add aws_config_configuration_recorder_status with is_enabled = true (it needs a delivery channel), or call StartConfigurationRecorder; alert on StopConfigurationRecorder in CloudTrail.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/config", "status": "complete"}],
	"resources": resources,
}

_with_parameters(resources, parameters) := object.union(_inventory(resources), {"parameters": parameters})

_resource(type, name, tags, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": tags,
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_recorder(attributes, unknown) := _resource("aws_config_configuration_recorder", "default", {}, attributes, unknown)

test_pass_recording if {
	r := _recorder({"is_enabled": true}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_stopped if {
	r := _recorder({"is_enabled": false}, [])
	check.findings == {expect.fail(
		_metadata, "aws_config_configuration_recorder.default", "aws_config_configuration_recorder",
		"AWS Config recorder \"default\" is not recording (is_enabled = false)",
	)} with input as _inventory([r])
}

test_missing_status if {
	r := _recorder({"name": "default"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_config_configuration_recorder.default", "aws_config_configuration_recorder",
		"AWS Config recorder \"default\": is_enabled is missing from the inventory", ["is_enabled"],
	)} with input as _inventory([r])
}

test_unknown_status if {
	r := _recorder({}, ["is_enabled"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_config_configuration_recorder.default", "aws_config_configuration_recorder",
		"AWS Config recorder \"default\": is_enabled is known only after apply", ["is_enabled"],
	)} with input as _inventory([r])
}

test_missing_null_status_not_recorded if {
	r := _recorder({"is_enabled": null}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_config_configuration_recorder.default", "aws_config_configuration_recorder",
		"AWS Config recorder \"default\": is_enabled is not recorded (null)", ["is_enabled"],
	)} with input as _inventory([r])
}

test_missing_shape_text_status if {
	r := _recorder({"is_enabled": "true"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_config_configuration_recorder.default", "aws_config_configuration_recorder",
		"AWS Config recorder \"default\": is_enabled is not recorded (\"true\")", ["is_enabled"],
	)} with input as _inventory([r])
}
