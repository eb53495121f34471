package checks.aws.eks.node_group_ssh_open_test

import data.checks.aws.eks.node_group_ssh_open as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EKS-005",
	"title": "EKS node group allows SSH from anywhere",
	"description": "A node group with an SSH key in remote_access but no source security groups opens port 22 on every node to the internet (0.0.0.0/0).",
	"severity": "high",
	"resource_types": ["aws_eks_node_group"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.5"],
	},
	"remediation": "Remove remote_access and reach nodes with SSM Session Manager, or list the bastion's security group in remote_access.source_security_group_ids.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_eks_node_group.workers"

_group(attributes) := {
	"address": _address,
	"type": "aws_eks_node_group",
	"provider": "aws",
	"name": "workers",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_no_remote_access if {
	r := _group({"cluster_name": "main", "remote_access": null})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_restricted_sources if {
	r := _group({"remote_access": {"ec2_ssh_key": "ops", "source_security_group_ids": ["sg-0bastion"]}})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_key_without_sources if {
	r := _group({"remote_access": {"ec2_ssh_key": "ops", "source_security_group_ids": null}})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_node_group", "EKS node group \"workers\" allows SSH to its nodes from anywhere (remote_access has a key and no source_security_group_ids)")} with input as _inventory([r])
}

test_unknown_sources if {
	r := object.union(_group({"remote_access": {"ec2_ssh_key": "ops"}}), {"unknown": ["remote_access.source_security_group_ids"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_node_group", "EKS node group \"workers\": remote_access.source_security_group_ids is known only after apply", ["remote_access.source_security_group_ids"])} with input as _inventory([r])
}

test_missing_remote_access if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_node_group", "EKS node group \"workers\": remote_access is missing from the inventory", ["remote_access"])} with input as _inventory([_group({"cluster_name": "main"})])
}

test_unknown_key if {
	r := object.union(_group({"remote_access": {"source_security_group_ids": []}}), {"unknown": ["remote_access.ec2_ssh_key"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_node_group", "EKS node group \"workers\": remote_access.ec2_ssh_key is known only after apply", ["remote_access.ec2_ssh_key"])} with input as _inventory([r])
}
