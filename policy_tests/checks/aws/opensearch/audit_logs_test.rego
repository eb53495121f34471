package checks.aws.opensearch.audit_logs_test

import data.checks.aws.opensearch.audit_logs as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-OS-007",
	"title": "OpenSearch domain does not publish audit logs",
	"description": "Without audit logs published to CloudWatch Logs, who read or changed which index, and failed logins to the domain, leave no record to investigate.",
	"severity": "low",
	"resource_types": ["aws_opensearch_domain", "aws_elasticsearch_domain"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Turn on fine-grained access control and add a log_publishing_options block with log_type = \"AUDIT_LOGS\" and a CloudWatch Logs group.",
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

test_pass_audit_logs if {
	r := _resource("aws_opensearch_domain", "search", {"log_publishing_options": [{"log_type": "INDEX_SLOW_LOGS", "enabled": true}, {"log_type": "AUDIT_LOGS", "enabled": true, "cloudwatch_log_group_arn": "arn:aws:logs:eu-west-1:123456789012:log-group:search-audit"}]}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_no_options if {
	r := _resource("aws_elasticsearch_domain", "logs", {"log_publishing_options": []}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Elasticsearch domain \"logs\" publishes no audit logs (no enabled AUDIT_LOGS log_publishing_options)")}
}

test_fail_audit_disabled if {
	r := _resource("aws_opensearch_domain", "search", {"log_publishing_options": [{"log_type": "AUDIT_LOGS", "enabled": false}]}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "OpenSearch domain \"search\" publishes no audit logs (no enabled AUDIT_LOGS log_publishing_options)")}
}

test_missing_options if {
	r := _resource("aws_opensearch_domain", "search", {"domain_name": "search"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": log_publishing_options is missing from the inventory", ["log_publishing_options"])}
}

test_unknown_options if {
	r := _resource("aws_opensearch_domain", "search", {}, {"unknown": ["log_publishing_options"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "OpenSearch domain \"search\": log_publishing_options is known only after apply", ["log_publishing_options"])}
}
