package checks.aws.eks.control_plane_logging_test

import data.checks.aws.eks.control_plane_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EKS-003",
	"title": "EKS control-plane audit logs not enabled",
	"description": "Without the audit and authenticator control-plane logs there is no record of who called the Kubernetes API, with which identity, and what they changed or read (secrets included).",
	"severity": "medium",
	"resource_types": ["aws_eks_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1", "10.2.1.2"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Set enabled_cluster_log_types to include every type in the required_eks_log_types parameter (by default api, audit and authenticator), and give the /aws/eks/<cluster>/cluster log group a retention period.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_eks_cluster.main"

_cluster(types) := {
	"address": _address,
	"type": "aws_eks_cluster",
	"provider": "aws",
	"name": "main",
	"attributes": {"enabled_cluster_log_types": types},
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_all_required if {
	r := _cluster(["api", "audit", "authenticator", "scheduler"])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_audit_missing if {
	r := _cluster(["api", "authenticator"])
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" does not send control-plane log type(s) audit to CloudWatch Logs")} with input as _inventory([r])
}

# The checkov fixture's cluster: enabled_cluster_log_types = null.
test_fail_none if {
	r := _cluster(null)
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" does not send control-plane log type(s) api, audit, authenticator to CloudWatch Logs")} with input as _inventory([r])
}

test_pass_fewer_required_by_parameter if {
	r := _cluster(["audit"])
	count(check.findings) == 0 with input as object.union(_inventory([r]), {"parameters": {"required_eks_log_types": ["audit"]}})
}

test_unknown_types if {
	r := object.union(_cluster([]), {"unknown": ["enabled_cluster_log_types"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": enabled_cluster_log_types is known only after apply", ["enabled_cluster_log_types"])} with input as _inventory([r])
}

test_missing_types if {
	r := object.union(_cluster(null), {"attributes": {"version": "1.33"}})
	r2 := json.patch(r, [{"op": "remove", "path": "/attributes/enabled_cluster_log_types"}])
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": enabled_cluster_log_types is missing from the inventory", ["enabled_cluster_log_types"])} with input as _inventory([r2])
}
