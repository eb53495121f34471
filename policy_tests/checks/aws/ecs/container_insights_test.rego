package checks.aws.ecs.container_insights_test

import data.checks.aws.ecs.container_insights as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-006",
	"title": "ECS cluster without Container Insights",
	"description": "Without Container Insights a cluster publishes no per-task and per-container CPU, memory, network and restart metrics, so resource exhaustion, crash loops and unusual activity in containers go unseen.",
	"severity": "low",
	"resource_types": ["aws_ecs_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.16"],
	},
	"remediation": "Add setting { name = \"containerInsights\", value = \"enabled\" } (or \"enhanced\") to the cluster, or turn it on for new clusters with the containerInsights account setting.",
}

_address := "arn:aws:ecs:eu-west-1:123456789012:cluster/checkout"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ecs", "status": "complete"}],
	"resources": resources,
}

_cluster(setting) := {
	"address": _address,
	"type": "aws_ecs_cluster",
	"provider": "aws",
	"name": "checkout",
	"attributes": {"name": "checkout", "setting": setting},
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(value) := expect.fail(_metadata, _address, "aws_ecs_cluster", sprintf("ECS cluster \"checkout\" does not have Container Insights on (containerInsights = %s)", [value]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_enabled_or_enhanced if {
	r := _cluster([{"name": "containerInsights", "value": "enabled"}])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
	count(_findings(_cluster([{"name": "containerInsights", "value": "enhanced"}]))) == 0
}

test_fail_disabled if {
	_findings(_cluster([{"name": "containerInsights", "value": "disabled"}])) == {_fail("disabled")}
}

test_fail_not_set if {
	_findings(_cluster([])) == {_fail("not set")}
	_findings(_cluster(null)) == {_fail("not set")}
	_findings(_cluster([{"name": "other", "value": "x"}])) == {_fail("not set")}
}

test_missing_setting if {
	_findings(json.patch(_cluster([]), [{"op": "remove", "path": "/attributes/setting"}])) == {expect.indeterminate(
		_metadata, _address, "aws_ecs_cluster",
		"ECS cluster \"checkout\": setting is missing from the inventory", ["setting"],
	)}
	_findings(_cluster([{"name": "containerInsights"}])) == {expect.indeterminate(
		_metadata, _address, "aws_ecs_cluster",
		"ECS cluster \"checkout\": the containerInsights setting cannot be read", ["setting"],
	)}
}

test_unknown_setting if {
	r := object.union(_cluster([{"name": "containerInsights", "value": null}]), {"unknown": ["setting.0.value"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_ecs_cluster",
		"ECS cluster \"checkout\": setting is known only after apply", ["setting"],
	)}
}
