package checks.aws.opensearch.encrypt_at_rest_test

import data.checks.aws.opensearch.encrypt_at_rest as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-001",
	"title": "OpenSearch domain not encrypted at rest",
	"description": "A search domain without encryption at rest keeps its indices, logs, swap files and automated snapshots unencrypted, and the indexed documents are often copies of customer records.",
	"severity": "high",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set encrypt_at_rest { enabled = true } (with kms_key_id naming a customer-managed key for classified data); on older engine versions this needs a new domain and a reindex.",
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
	r := _resource("aws_opensearch_domain", "search", {"encrypt_at_rest": {"enabled": true}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_enabled if {
	r := _resource("aws_opensearch_domain", "search", {"encrypt_at_rest": {"enabled": false}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" stores indices unencrypted (encrypt_at_rest.enabled = false)")}
}

test_fail_no_block_elasticsearch if {
	r := _resource("aws_elasticsearch_domain", "logs", {"encrypt_at_rest": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" has no encrypt_at_rest block, so its indices are stored unencrypted")}
}

test_missing_enabled if {
	r := _resource("aws_opensearch_domain", "search", {"encrypt_at_rest": {}}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": encrypt_at_rest.enabled is missing from the inventory", ["encrypt_at_rest.enabled"])}
}

test_missing_block if {
	r := _resource("aws_opensearch_domain", "search", {"domain_name": "search"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": encrypt_at_rest.enabled is missing from the inventory", ["encrypt_at_rest.enabled"])}
}

test_unknown_block if {
	r := _resource("aws_elasticsearch_domain", "logs", {}, {"unknown": ["encrypt_at_rest"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Elasticsearch domain \"logs\": encrypt_at_rest.enabled is known only after apply", ["encrypt_at_rest.enabled"])}
}
