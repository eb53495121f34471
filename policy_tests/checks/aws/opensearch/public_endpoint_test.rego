package checks.aws.opensearch.public_endpoint_test

import data.checks.aws.opensearch.public_endpoint as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-005",
	"title": "OpenSearch domain has a public endpoint",
	"description": "A search domain outside a VPC has an endpoint on the internet, guarded only by its access policy; one permissive statement exposes every index to anyone.",
	"severity": "high",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["1.4.4", "7.2.1"],
		"soc2": ["CC6.1", "CC6.6"],
		"iso27001": ["A.8.3", "A.8.20"],
	},
	"remediation": "Create the domain inside a VPC (vpc_options with private subnet_ids and security_group_ids) and reach it through the VPC; a domain cannot be moved from a public endpoint to a VPC in place.",
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

test_pass_in_vpc if {
	r := _resource("aws_opensearch_domain", "search", {"vpc_options": {"subnet_ids": ["subnet-0a1b"], "security_group_ids": ["sg-0a1b"]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_no_vpc_options if {
	r := _resource("aws_elasticsearch_domain", "logs", {"vpc_options": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" has a public endpoint (no vpc_options subnets)")}
}

test_fail_empty_subnets if {
	r := _resource("aws_opensearch_domain", "search", {"vpc_options": {"subnet_ids": []}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" has a public endpoint (no vpc_options subnets)")}
}

test_missing_vpc_options if {
	r := _resource("aws_opensearch_domain", "search", {"domain_name": "search"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": vpc_options is missing from the inventory", ["vpc_options"])}
}

test_unknown_vpc_options if {
	r := _resource("aws_opensearch_domain", "search", {}, {"unknown": ["vpc_options"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": vpc_options is known only after apply", ["vpc_options"])}
}
