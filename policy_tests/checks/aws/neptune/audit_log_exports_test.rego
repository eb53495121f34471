package checks.aws.neptune.audit_log_exports_test

import data.checks.aws.neptune.audit_log_exports as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-004",
	"title": "Neptune audit logs not exported to CloudWatch Logs",
	"description": "Neptune's audit log records every query and the client that sent it; kept only on the cluster it is lost with it and cannot be monitored. It takes two settings: the audit log type in the cluster's CloudWatch Logs exports, and neptune_enable_audit_log = 1 in its cluster parameter group. This check judges the export and fails a cluster on a default parameter group (which keeps the parameter at 0); the parameter's value in a custom group is not judged.",
	"severity": "medium",
	"resource_types": ["aws_neptune_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Add \"audit\" to enable_cloudwatch_logs_exports, attach a custom cluster parameter group (neptune_cluster_parameter_group_name) that sets neptune_enable_audit_log = 1, and give the log group a retention of at least minimum_log_retention_days.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:social-graph",
	"type": "aws_neptune_cluster",
	"provider": "aws",
	"name": "social-graph",
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_audit_exported_with_custom_group if {
	r := _cluster({"enable_cloudwatch_logs_exports": ["audit", "slowquery"], "neptune_cluster_parameter_group_name": "graph-audit"})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_audit_spelled_loosely if {
	r := _cluster({"enable_cloudwatch_logs_exports": [" Audit "], "neptune_cluster_parameter_group_name": "graph-audit"})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_no_exports if {
	r := _cluster({"enable_cloudwatch_logs_exports": [], "neptune_cluster_parameter_group_name": "graph-audit"})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" does not export its audit log to CloudWatch Logs (enable_cloudwatch_logs_exports = [])", [])} with input as _inventory([r])
}

test_fail_only_slow_queries_exported if {
	r := _cluster({"enable_cloudwatch_logs_exports": ["slowquery"], "neptune_cluster_parameter_group_name": "graph-audit"})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" does not export its audit log to CloudWatch Logs (enable_cloudwatch_logs_exports = [\"slowquery\"])", [])} with input as _inventory([r])
}

test_fail_audit_exported_on_default_group if {
	r := _cluster({"enable_cloudwatch_logs_exports": ["audit"], "neptune_cluster_parameter_group_name": "default.neptune1.3"})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" exports the audit log type, but its default cluster parameter group \"default.neptune1.3\" keeps neptune_enable_audit_log = 0, so no audit log is written", [])} with input as _inventory([r])
}

# Without the audit export the parameter group does not matter.
test_fail_no_audit_whatever_the_group if {
	r := object.union(_cluster({"enable_cloudwatch_logs_exports": []}), {"unknown": ["neptune_cluster_parameter_group_name"]})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"social-graph\" does not export its audit log to CloudWatch Logs (enable_cloudwatch_logs_exports = [])", [])} with input as _inventory([r])
}

test_missing_enable_cloudwatch_logs_exports if {
	r := _cluster({"neptune_cluster_parameter_group_name": "graph-audit"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": enable_cloudwatch_logs_exports is missing from the inventory", ["enable_cloudwatch_logs_exports"])} with input as _inventory([r])
}

test_unknown_enable_cloudwatch_logs_exports if {
	r := object.union(_cluster({"neptune_cluster_parameter_group_name": "graph-audit"}), {"unknown": ["enable_cloudwatch_logs_exports"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": enable_cloudwatch_logs_exports is known only after apply", ["enable_cloudwatch_logs_exports"])} with input as _inventory([r])
}

test_null_enable_cloudwatch_logs_exports_is_indeterminate if {
	r := _cluster({"enable_cloudwatch_logs_exports": null, "neptune_cluster_parameter_group_name": "graph-audit"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": enable_cloudwatch_logs_exports is not recorded (null)", ["enable_cloudwatch_logs_exports"])} with input as _inventory([r])
}

test_non_string_export_is_indeterminate if {
	r := _cluster({"enable_cloudwatch_logs_exports": ["audit", 1], "neptune_cluster_parameter_group_name": "graph-audit"})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": enable_cloudwatch_logs_exports is not recorded ([\"audit\", 1])", ["enable_cloudwatch_logs_exports"])} with input as _inventory([r])
}

test_missing_parameter_group_with_audit_export if {
	r := _cluster({"enable_cloudwatch_logs_exports": ["audit"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": neptune_cluster_parameter_group_name is missing from the inventory", ["neptune_cluster_parameter_group_name"])} with input as _inventory([r])
}

test_unknown_parameter_group_with_audit_export if {
	r := object.union(_cluster({"enable_cloudwatch_logs_exports": ["audit"]}), {"unknown": ["neptune_cluster_parameter_group_name"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": neptune_cluster_parameter_group_name is known only after apply", ["neptune_cluster_parameter_group_name"])} with input as _inventory([r])
}

test_null_parameter_group_with_audit_export_is_indeterminate if {
	r := _cluster({"enable_cloudwatch_logs_exports": ["audit"], "neptune_cluster_parameter_group_name": null})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"social-graph\": neptune_cluster_parameter_group_name is not recorded (null)", ["neptune_cluster_parameter_group_name"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_cluster({"enable_cloudwatch_logs_exports": []}), {"type": "aws_rds_cluster"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
