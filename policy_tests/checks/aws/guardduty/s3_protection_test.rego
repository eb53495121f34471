package checks.aws.guardduty.s3_protection_test

import data.checks.aws.guardduty.s3_protection as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-GD-002",
	"title": "GuardDuty detector without S3 data-event protection",
	"description": "Without S3 Protection GuardDuty watches no S3 data events, so bulk downloads from unusual places, access with stolen credentials and deliberate disabling of bucket logging go unflagged in the buckets that hold the data. Other detector features can be required too.",
	"severity": "medium",
	"resource_types": ["aws_guardduty_detector"],
	"controls": {
		"gdpr": ["Art.32(1)(d)", "Art.33(1)"],
		"hipaa": ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"],
		"pci_dss": ["10.4.1", "11.5.1"],
		"soc2": ["CC7.2", "CC7.3"],
		"iso27001": ["A.8.16", "A.5.25"],
	},
	"remediation": "Add an aws_guardduty_detector_feature with name = \"S3_DATA_EVENTS\" and status = \"ENABLED\" for the detector (and for each other feature listed in guardduty_required_features), or let the organization's delegated administrator enable it for all accounts.",
}

_address := "arn:aws:guardduty:eu-west-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/guardduty", "status": "complete"}],
	"resources": resources,
}

_detector(attributes) := {
	"address": _address,
	"type": "aws_guardduty_detector",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"name": "12abc34d567e8fa901bc2d34e56789f0",
	"attributes": object.union({"enable": true}, attributes),
}

_feature(name, status) := {"name": name, "status": status}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(features) := expect.fail(_metadata, _address, "aws_guardduty_detector", sprintf("GuardDuty detector \"12abc34d567e8fa901bc2d34e56789f0\" in account 123456789012, region eu-west-1 does not have %s enabled", [features]))

_undecided(text, features) := expect.indeterminate(_metadata, _address, "aws_guardduty_detector", sprintf("GuardDuty detector \"12abc34d567e8fa901bc2d34e56789f0\" in account 123456789012, region eu-west-1: features is %s, so %s cannot be confirmed", [text, features]), ["features"])

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_s3_data_events_enabled if {
	r := _detector({"features": [_feature("S3_DATA_EVENTS", "ENABLED"), _feature("EKS_AUDIT_LOGS", "DISABLED")]})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_legacy_datasources if {
	count(_findings(_detector({"datasources": {"s3_logs": {"enable": true}}}))) == 0
	count(_findings(_detector({"features": [], "datasources": {"s3_logs": {"enable": true}}}))) == 0
}

test_fail_disabled_or_absent if {
	_findings(_detector({"features": [_feature("S3_DATA_EVENTS", "DISABLED")]})) == {_fail("S3_DATA_EVENTS")}
	_findings(_detector({"features": [_feature("EBS_MALWARE_PROTECTION", "ENABLED")]})) == {_fail("S3_DATA_EVENTS")}
	_findings(_detector({"features": [], "datasources": {"s3_logs": {"enable": false}}})) == {_fail("S3_DATA_EVENTS")}
}

test_fail_required_features_parameter if {
	r := _detector({"features": [_feature("S3_DATA_EVENTS", "ENABLED"), _feature("RDS_LOGIN_EVENTS", "DISABLED")]})
	findings := check.findings with input as object.union(_inventory([r]), {"parameters": {"guardduty_required_features": ["S3_DATA_EVENTS", "RDS_LOGIN_EVENTS", "EKS_AUDIT_LOGS"]}})
	findings == {_fail("EKS_AUDIT_LOGS, RDS_LOGIN_EVENTS")}
}

test_missing_features if {
	_findings(_detector({})) == {_undecided("missing from the inventory", "S3_DATA_EVENTS")}
	_findings(_detector({"features": [{"name": "S3_DATA_EVENTS"}]})) == {_undecided("incomplete", "S3_DATA_EVENTS")}
	_findings(_detector({"features": null})) == {_undecided("not a list of features", "S3_DATA_EVENTS")}
}

test_unknown_features if {
	r := object.union(_detector({"features": [_feature("S3_DATA_EVENTS", null)]}), {"unknown": ["features.0.status"]})
	_findings(r) == {_undecided("known only after apply", "S3_DATA_EVENTS")}
	r2 := object.union(_detector({"features": [], "datasources": {"s3_logs": {"enable": null}}}), {"unknown": ["datasources.s3_logs.enable"]})
	_findings(r2) == {_undecided("incomplete", "S3_DATA_EVENTS")}
}
