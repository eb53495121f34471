package checks.aws.eks.supported_version_test

import data.checks.aws.eks.supported_version as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EKS-004",
	"title": "EKS cluster runs an unsupported Kubernetes version",
	"description": "A Kubernetes version outside EKS support gets no security patches for the control plane, its add-ons or the node AMIs, so known vulnerabilities stay open.",
	"severity": "medium",
	"resource_types": ["aws_eks_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(1)(ii)(B)"],
		"pci_dss": ["6.3.3"],
		"soc2": ["CC7.1"],
		"iso27001": ["A.8.8"],
	},
	"remediation": "Upgrade the cluster one minor version at a time to a version in the supported_eks_versions parameter (keep that list in line with the EKS release calendar), then upgrade node groups and add-ons.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/eks", "status": "complete"}],
	"resources": resources,
}

_address := "arn:aws:eks:eu-west-1:123456789012:cluster/main"

_cluster(attributes) := {
	"address": _address,
	"type": "aws_eks_cluster",
	"provider": "aws",
	"name": "main",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_supported if {
	r := _cluster({"version": "1.34"})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_old_version if {
	r := _cluster({"version": "1.27"})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" runs Kubernetes \"1.27\", not a supported version (1.32, 1.33, 1.34, 1.35, 1.36)")} with input as _inventory([r])
}

test_fail_parameter_narrows_support if {
	r := _cluster({"version": "1.34"})
	inv := object.union(_inventory([r]), {"parameters": {"supported_eks_versions": ["1.35", "1.36"]}})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" runs Kubernetes \"1.34\", not a supported version (1.35, 1.36)")} with input as inv
}

test_unknown_version if {
	r := object.union(_cluster({}), {"unknown": ["version"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": version is known only after apply", ["version"])} with input as _inventory([r])
}

test_missing_version if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": version is missing from the inventory", ["version"])} with input as _inventory([_cluster({})])
}
