package checks.aws.eks.public_endpoint_test

import data.checks.aws.eks.public_endpoint as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EKS-002",
	"title": "EKS API endpoint open to the internet",
	"description": "A public Kubernetes API endpoint reachable from 0.0.0.0/0 exposes the cluster's control plane to credential attacks and to any flaw in its authentication from anywhere; the endpoint should be private or limited to known networks.",
	"severity": "high",
	"resource_types": ["aws_eks_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set vpc_config { endpoint_private_access = true, endpoint_public_access = false } and reach the API through the VPC (VPN, bastion, CI runners in the VPC), or keep the public endpoint and list only the networks that need it in public_access_cidrs.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_eks_cluster.main"

_cluster(vpc_config) := {
	"address": _address,
	"type": "aws_eks_cluster",
	"provider": "aws",
	"name": "main",
	"attributes": {"vpc_config": vpc_config},
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_private_only if {
	r := _cluster({"endpoint_private_access": true, "endpoint_public_access": false, "public_access_cidrs": ["0.0.0.0/0"]})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_public_restricted if {
	r := _cluster({"endpoint_public_access": true, "public_access_cidrs": ["203.0.113.0/24", "198.51.100.7/32"]})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_open_to_world if {
	r := _cluster({"endpoint_public_access": true, "public_access_cidrs": ["203.0.113.0/24", "0.0.0.0/0"]})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" has a public API endpoint open to 0.0.0.0/0")} with input as _inventory([r])
}

test_fail_cidrs_not_set if {
	r := _cluster({"endpoint_public_access": true, "public_access_cidrs": []})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" has a public API endpoint open to 0.0.0.0/0 (public_access_cidrs not set)")} with input as _inventory([r])
}

# The checkov fixture: public on, the CIDRs computed by the provider.
test_unknown_cidrs if {
	r := object.union(_cluster({"endpoint_private_access": true, "endpoint_public_access": true}), {"unknown": ["vpc_config.public_access_cidrs", "vpc_config.vpc_id"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" has a public API endpoint; vpc_config.public_access_cidrs is known only after apply", ["vpc_config.public_access_cidrs"])} with input as _inventory([r])
}

test_missing_public_access if {
	r := _cluster({"endpoint_private_access": true})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": vpc_config.endpoint_public_access is missing from the inventory", ["vpc_config.endpoint_public_access"])} with input as _inventory([r])
}
