package checks.aws.opensearch.zone_awareness_production_test

import data.checks.aws.opensearch.zone_awareness_production as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-008",
	"title": "Production OpenSearch domain without zone awareness",
	"description": "A domain whose nodes all sit in one availability zone goes down, and may lose unreplicated shards, with that zone; zone awareness spreads nodes and shard replicas over two or three zones.",
	"severity": "medium",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(7)(ii)(C)"],
		"soc2": ["A1.2"],
		"iso27001": ["A.8.14"],
	},
	"remediation": "Set cluster_config.zone_awareness_enabled = true with zone_awareness_config.availability_zone_count = 2 or 3, an even (or multiple of three) number of data nodes, subnets in as many zones, and at least one replica per index.",
}

_address := "arn:aws:es:eu-west-1:123456789012:domain/search-prod"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/opensearch", "status": "complete"}],
	"resources": resources,
}

_domain(type, environment, cluster_config) := {
	"address": _address,
	"type": type,
	"provider": "aws",
	"name": "search-prod",
	"tags": {"Environment": environment},
	"attributes": {"domain_name": "search-prod", "cluster_config": cluster_config},
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_zone_aware if {
	r := _domain("aws_opensearch_domain", "production", {"instance_count": 4, "zone_awareness_enabled": true})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_single_zone if {
	_findings(_domain("aws_opensearch_domain", "prod", {"instance_count": 3, "zone_awareness_enabled": false})) == {expect.fail(
		_metadata, _address, "aws_opensearch_domain",
		"production OpenSearch domain \"search-prod\" keeps its nodes in one availability zone (zone_awareness_enabled = false)",
	)}
	_findings(_domain("aws_elasticsearch_domain", "production", null)) == {expect.fail(
		_metadata, _address, "aws_elasticsearch_domain",
		"production Elasticsearch domain \"search-prod\" keeps its nodes in one availability zone (zone_awareness_enabled = false)",
	)}
}

test_pass_not_production_out_of_scope if {
	r := _domain("aws_opensearch_domain", "staging", {"zone_awareness_enabled": false})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_missing_zone_awareness if {
	_findings(_domain("aws_opensearch_domain", "production", {"instance_count": 3})) == {expect.indeterminate(
		_metadata, _address, "aws_opensearch_domain",
		"OpenSearch domain \"search-prod\": cluster_config.zone_awareness_enabled is missing from the inventory", ["cluster_config.zone_awareness_enabled"],
	)}
	_findings(_domain("aws_opensearch_domain", "production", {"zone_awareness_enabled": "yes"})) == {expect.indeterminate(
		_metadata, _address, "aws_opensearch_domain",
		"OpenSearch domain \"search-prod\": cluster_config.zone_awareness_enabled is not true or false", ["cluster_config.zone_awareness_enabled"],
	)}
}

test_unknown_zone_awareness if {
	r := object.union(_domain("aws_opensearch_domain", "production", {"zone_awareness_enabled": null}), {"unknown": ["cluster_config"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_opensearch_domain",
		"OpenSearch domain \"search-prod\": cluster_config.zone_awareness_enabled is known only after apply", ["cluster_config.zone_awareness_enabled"],
	)}
}
