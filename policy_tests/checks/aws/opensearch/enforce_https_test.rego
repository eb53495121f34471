package checks.aws.opensearch.enforce_https_test

import data.checks.aws.opensearch.enforce_https as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-003",
	"title": "OpenSearch domain accepts plain HTTP",
	"description": "A search domain that does not enforce HTTPS answers requests over plain HTTP, so queries, documents and the credentials or signatures sent with them can be read on the way.",
	"severity": "high",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set domain_endpoint_options { enforce_https = true } with a TLS 1.2 security policy.",
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

test_pass_enforce_https if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"enforce_https": true}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_enforce_https if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"enforce_https": false}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" accepts plain HTTP (domain_endpoint_options.enforce_https = false)")}
}

test_fail_no_block_elasticsearch if {
	r := _resource("aws_elasticsearch_domain", "logs", {"domain_endpoint_options": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" has no domain_endpoint_options block, so it accepts plain HTTP")}
}

test_missing_enforce_https if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {}}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": domain_endpoint_options.enforce_https is missing from the inventory", ["domain_endpoint_options.enforce_https"])}
}

test_missing_block if {
	r := _resource("aws_opensearch_domain", "search", {"domain_name": "search"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": domain_endpoint_options.enforce_https is missing from the inventory", ["domain_endpoint_options.enforce_https"])}
}

test_unknown_block if {
	r := _resource("aws_elasticsearch_domain", "logs", {}, {"unknown": ["domain_endpoint_options"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Elasticsearch domain \"logs\": domain_endpoint_options.enforce_https is known only after apply", ["domain_endpoint_options.enforce_https"])}
}
