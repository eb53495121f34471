package checks.aws.cloudtrail.global_service_events_test

import data.checks.aws.cloudtrail.global_service_events as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CT-008",
	"title": "Multi-region CloudTrail trail excludes global service events",
	"description": "Global services (IAM, STS, CloudFront, Route 53) log to us-east-1 as global service events; a multi-region trail that leaves them out records no user, role, policy or access key change, nor who assumed which role. The CloudTrail API refuses this combination, so it shows in Terraform plans before apply fails, or in inventories from other sources.",
	"severity": "medium",
	"resource_types": ["aws_cloudtrail"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.5"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Set include_global_service_events = true (the default) on the multi-region trail.",
}

_address := "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-trail"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/cloudtrail", "status": "complete"}],
	"resources": resources,
}

_trail(attributes, extra) := object.union(
	{
		"address": _address,
		"type": "aws_cloudtrail",
		"provider": "aws",
		"name": "org-trail",
		"attributes": attributes,
	},
	extra,
)

_findings(r) := findings if {
	findings := check.findings with input as _inventory([r])
}

_fail(message) := expect.fail(_metadata, _address, "aws_cloudtrail", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_cloudtrail", message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_multi_region_with_global_events if {
	r := _trail({"is_multi_region_trail": true, "include_global_service_events": true}, {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_single_region_trail_out_of_scope if {
	r := _trail({"is_multi_region_trail": false, "include_global_service_events": false}, {})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_fail_multi_region_without_global_events if {
	r := _trail({"is_multi_region_trail": true, "include_global_service_events": false}, {})
	_findings(r) == {_fail("CloudTrail trail \"org-trail\" records every region but not global service events (include_global_service_events = false)")}
}

test_missing_global_events if {
	r := _trail({"is_multi_region_trail": true}, {})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": include_global_service_events is missing from the inventory", ["include_global_service_events"])}
}

test_unknown_global_events if {
	r := _trail({"is_multi_region_trail": true}, {"unknown": ["include_global_service_events"]})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\": include_global_service_events is known only after apply", ["include_global_service_events"])}
}

# Excluded global events on a trail whose region setting is not known yet.
test_unknown_multi_region_with_global_events_excluded if {
	r := _trail({"include_global_service_events": false}, {"unknown": ["is_multi_region_trail"]})
	_findings(r) == {_indeterminate("CloudTrail trail \"org-trail\" excludes global service events and is_multi_region_trail is known only after apply", ["is_multi_region_trail"])}
}

test_pass_unknown_multi_region_with_global_events if {
	r := _trail({"include_global_service_events": true}, {"unknown": ["is_multi_region_trail"]})
	count(_findings(r)) == 0
}
