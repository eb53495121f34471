package checks.aws.opensearch.fine_grained_access_test

import data.checks.aws.opensearch.fine_grained_access as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-006",
	"title": "OpenSearch domain without fine-grained access control",
	"description": "Without fine-grained access control, anyone the domain's access policy lets in can read and change every index; there are no per-index, per-document or per-field permissions and no audit log.",
	"severity": "medium",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Set advanced_security_options { enabled = true } with IAM or SAML users mapped to roles that grant only the indices they need.",
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
	r := _resource("aws_opensearch_domain", "search", {"advanced_security_options": {"enabled": true}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_enabled if {
	r := _resource("aws_opensearch_domain", "search", {"advanced_security_options": {"enabled": false}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" has no fine-grained access control (advanced_security_options.enabled = false)")}
}

test_fail_no_block_elasticsearch if {
	r := _resource("aws_elasticsearch_domain", "logs", {"advanced_security_options": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" has no advanced_security_options block, so it has no fine-grained access control")}
}

test_missing_enabled if {
	r := _resource("aws_opensearch_domain", "search", {"advanced_security_options": {}}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": advanced_security_options.enabled is missing from the inventory", ["advanced_security_options.enabled"])}
}

test_missing_block if {
	r := _resource("aws_opensearch_domain", "search", {"domain_name": "search"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": advanced_security_options.enabled is missing from the inventory", ["advanced_security_options.enabled"])}
}

test_unknown_block if {
	r := _resource("aws_elasticsearch_domain", "logs", {}, {"unknown": ["advanced_security_options"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Elasticsearch domain \"logs\": advanced_security_options.enabled is known only after apply", ["advanced_security_options.enabled"])}
}
