package checks.aws.cloudtrail.multi_region_test

import data.checks.aws.cloudtrail.multi_region as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-001",
	"title": "CloudTrail trail not multi-region",
	"description": "A single-region trail records nothing about API activity in the other regions, where an attacker can create resources or move data unseen.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Set is_multi_region_trail = true (and include_global_service_events = true), or use an organization trail covering every region.",
}

_address := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/cloudtrail", "status": "complete"}],
	"resources": resources,
}

_trail(attributes) := {
	"address": _address,
	"type": "aws_cloudtrail",
	"provider": "aws",
	"name": "org-trail",
	"attributes": attributes,
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudtrail", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_trail(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_is_multi_region_trail_true if {
	r := _trail({"name": "org-trail", "is_multi_region_trail": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_is_multi_region_trail_false if {
	findings := _findings({"name": "org-trail", "is_multi_region_trail": false})
	findings == {expect.fail(
		_metadata, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail", "aws_cloudtrail",
		"CloudTrail trail \"org-trail\" records its home region only (is_multi_region_trail = false)",
	)}
}

test_missing_is_multi_region_trail if {
	_findings({"name": "org-trail"}) == {_indeterminate(
		"CloudTrail trail \"org-trail\": is_multi_region_trail is missing from the inventory",
		["is_multi_region_trail"],
	)}
}

test_unknown_is_multi_region_trail if {
	r := object.union(_trail({"name": "org-trail", "is_multi_region_trail": false}), {"unknown": ["is_multi_region_trail"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"CloudTrail trail \"org-trail\": is_multi_region_trail is known only after apply",
		["is_multi_region_trail"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"is_multi_region_trail": false},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
