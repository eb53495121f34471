package checks.aws.opensearch.tls_policy_test

import data.checks.aws.opensearch.tls_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-004",
	"title": "OpenSearch domain allows TLS below 1.2",
	"description": "The domain endpoint's TLS security policy decides the oldest protocol clients may use; the default policy still accepts TLS 1.0 and 1.1, which are deprecated and weak.",
	"severity": "medium",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set domain_endpoint_options { tls_security_policy = \"Policy-Min-TLS-1-2-PFS-2023-10\" } (or another policy listed in opensearch_tls_security_policies).",
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

test_pass_tls12_policy if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"enforce_https": true, "tls_security_policy": "Policy-Min-TLS-1-2-2019-07"}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_pfs_policy if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_tls10_policy if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"tls_security_policy": "Policy-Min-TLS-1-0-2019-07"}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" allows TLS below 1.2 (domain_endpoint_options.tls_security_policy = Policy-Min-TLS-1-0-2019-07)")}
}

test_fail_policy_not_in_parameter if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"tls_security_policy": "Policy-Min-TLS-1-2-2019-07"}}, {})
	findings := _findings(r, {"opensearch_tls_security_policies": ["Policy-Min-TLS-1-2-PFS-2023-10"]})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" allows TLS below 1.2 (domain_endpoint_options.tls_security_policy = Policy-Min-TLS-1-2-2019-07)")}
}

test_fail_no_block_elasticsearch if {
	r := _resource("aws_elasticsearch_domain", "logs", {"domain_endpoint_options": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" has no domain_endpoint_options block, so its endpoint accepts TLS 1.0")}
}

test_missing_policy if {
	r := _resource("aws_opensearch_domain", "search", {"domain_endpoint_options": {"enforce_https": true}}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": domain_endpoint_options.tls_security_policy is missing from the inventory", ["domain_endpoint_options.tls_security_policy"])}
}

test_unknown_policy if {
	r := _resource("aws_elasticsearch_domain", "logs", {"domain_endpoint_options": {"enforce_https": true}}, {"unknown": ["domain_endpoint_options.tls_security_policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Elasticsearch domain \"logs\": domain_endpoint_options.tls_security_policy is known only after apply", ["domain_endpoint_options.tls_security_policy"])}
}
