package checks.aws.opensearch.node_to_node_encryption_test

import data.checks.aws.opensearch.node_to_node_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-002",
	"title": "OpenSearch domain nodes talk in plain text",
	"description": "Without node-to-node encryption, the documents and queries a search domain's nodes pass between each other cross the VPC network unencrypted.",
	"severity": "medium",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set node_to_node_encryption { enabled = true }; domains on old engine versions must be upgraded or recreated first.",
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
	r := _resource("aws_opensearch_domain", "search", {"node_to_node_encryption": {"enabled": true}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_enabled if {
	r := _resource("aws_opensearch_domain", "search", {"node_to_node_encryption": {"enabled": false}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" sends data between its nodes unencrypted (node_to_node_encryption.enabled = false)")}
}

test_fail_no_block_elasticsearch if {
	r := _resource("aws_elasticsearch_domain", "logs", {"node_to_node_encryption": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" has no node_to_node_encryption block, so its nodes talk unencrypted")}
}

test_missing_enabled if {
	r := _resource("aws_opensearch_domain", "search", {"node_to_node_encryption": {}}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": node_to_node_encryption.enabled is missing from the inventory", ["node_to_node_encryption.enabled"])}
}

test_missing_block if {
	r := _resource("aws_opensearch_domain", "search", {"domain_name": "search"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": node_to_node_encryption.enabled is missing from the inventory", ["node_to_node_encryption.enabled"])}
}

test_unknown_block if {
	r := _resource("aws_elasticsearch_domain", "logs", {}, {"unknown": ["node_to_node_encryption"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Elasticsearch domain \"logs\": node_to_node_encryption.enabled is known only after apply", ["node_to_node_encryption.enabled"])}
}
