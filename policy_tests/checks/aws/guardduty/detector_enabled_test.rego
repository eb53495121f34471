package checks.aws.guardduty.detector_enabled_test

import data.checks.aws.guardduty.detector_enabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-GD-001",
	"title": "GuardDuty detector suspended",
	"description": "A suspended GuardDuty detector stops analysing CloudTrail, VPC flow and DNS logs for the account and region, so compromised credentials, crypto-mining and data exfiltration go unnoticed.",
	"severity": "high",
	"resource_types": ["aws_guardduty_detector"],
	"controls": {
		"gdpr": ["Art.32(1)(d)", "Art.33(1)"],
		"hipaa": ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"],
		"pci_dss": ["10.4.1", "11.5.1"],
		"soc2": ["CC7.2", "CC7.3"],
		"iso27001": ["A.8.16", "A.5.25"],
	},
	"remediation": "Set enable = true on aws_guardduty_detector in every account and region in use (with an organization delegated administrator enabling new accounts automatically), and route findings to the team that answers them.",
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

test_pass_enabled if {
	r := _resource("aws_guardduty_detector", "main", {"enable": true}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_suspended if {
	r := _resource("aws_guardduty_detector", "main", {"enable": false}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "GuardDuty is suspended in account 123456789012, region eu-west-1 (enable = false)")}
}

test_fail_where_not_recorded if {
	r := _resource("aws_guardduty_detector", "main", {"enable": false}, {"account": null, "region": null})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "GuardDuty is suspended in account unknown, region unknown (enable = false)")}
}

test_missing_enable if {
	r := _resource("aws_guardduty_detector", "main", {}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "GuardDuty in account 123456789012, region eu-west-1: enable is missing from the inventory", ["enable"])}
}

test_unknown_enable if {
	r := _resource("aws_guardduty_detector", "main", {}, {"unknown": ["enable"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "GuardDuty in account 123456789012, region eu-west-1: enable is known only after apply", ["enable"])}
}
