package checks.aws.eks.secrets_encryption_test

import data.checks.aws.eks.secrets_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EKS-001",
	"title": "EKS cluster does not envelope-encrypt Kubernetes secrets",
	"description": "Without an encryption_config for \"secrets\", Kubernetes Secrets sit in etcd protected only by the volume encryption AWS manages; envelope encryption with a KMS key adds a layer the cluster owner controls and can audit.",
	"severity": "high",
	"resource_types": ["aws_eks_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.6.1", "8.3.2"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24", "A.5.17"],
	},
	"remediation": "Add encryption_config { resources = [\"secrets\"] provider { key_arn = <customer KMS key ARN> } } (or associate-encryption-config on a running cluster; it cannot be removed afterwards), then rewrite existing secrets so they are encrypted with the key.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_eks_cluster.main"

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

test_pass_secrets_encrypted if {
	r := _cluster({"encryption_config": {"resources": ["secrets"], "provider": {"key_arn": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000013"}}})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

# The key ARN of a key created in the same plan is unknown: secrets still are covered.
test_pass_key_unknown if {
	r := object.union(_cluster({"encryption_config": {"resources": ["secrets"], "provider": {}}}), {"unknown": ["encryption_config.provider.key_arn"]})
	count(check.findings) == 0 with input as _inventory([r])
}

# The checkov fixture's cluster: encryption_config = [] folds into null.
test_fail_no_encryption_config if {
	r := _cluster({"encryption_config": null, "name": "main"})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" has no encryption_config: Kubernetes secrets are not envelope-encrypted with a KMS key")} with input as _inventory([r])
}

test_fail_resources_without_secrets if {
	r := _cluster({"encryption_config": {"resources": [], "provider": {"key_arn": "arn:aws:kms:eu-west-1:123456789012:key/x"}}})
	check.findings == {expect.fail(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\" encryption_config does not cover secrets (resources = [])")} with input as _inventory([r])
}

test_unknown_resources if {
	r := object.union(_cluster({"encryption_config": {"provider": {"key_arn": "k"}}}), {"unknown": ["encryption_config.resources"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": encryption_config.resources is known only after apply", ["encryption_config.resources"])} with input as _inventory([r])
}

test_missing_encryption_config if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": encryption_config is missing from the inventory", ["encryption_config"])} with input as _inventory([_cluster({"version": "1.33"})])
}

test_unknown_encryption_config if {
	r := object.union(_cluster({}), {"unknown": ["encryption_config"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_eks_cluster", "EKS cluster \"main\": encryption_config is known only after apply", ["encryption_config"])} with input as _inventory([r])
}
