package checks.aws.neptune.customer_managed_key_test

import data.checks.aws.neptune.customer_managed_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NEP-002",
	"title": "Neptune cluster holding classified data not encrypted with a customer-managed KMS key",
	"description": "A graph holding classified data (personal, health, card or confidential) must be encrypted with a customer-managed KMS key, so use of the key is governed by its own key policy, audited, rotated and revocable; the AWS-managed key (alias/aws/rds) can be used by anyone allowed to use the database service in the account, and an unencrypted cluster has no key at all.",
	"severity": "medium",
	"resource_types": ["aws_neptune_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Create a customer-managed KMS key with a key policy limited to the cluster's roles, and set storage_encrypted = true and kms_key_arn to it. The key of an existing cluster cannot be changed in place: restore a snapshot into a new cluster encrypted with the new key.",
}

_cmk := "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/neptune", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:patients-graph",
	"type": "aws_neptune_cluster",
	"provider": "aws",
	"name": "patients-graph",
	"tags": {"DataClassification": "phi"},
	"data_classes": ["pii"],
	"attributes": attributes,
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_classified_cluster_with_customer_key if {
	r := _cluster({"storage_encrypted": true, "kms_key_arn": _cmk})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_customer_key_alias if {
	r := _cluster({"storage_encrypted": true, "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:alias/patients-graph"})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_aws_managed_key if {
	r := _cluster({"storage_encrypted": true, "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds"})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"patients-graph\" holds classified data (phi, pii) without a customer-managed KMS key (kms_key_arn = \"arn:aws:kms:eu-west-1:123456789012:alias/aws/rds\")", [])} with input as _inventory([r])
}

test_fail_null_key if {
	r := _cluster({"storage_encrypted": true, "kms_key_arn": null})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"patients-graph\" holds classified data (phi, pii) without a customer-managed KMS key (kms_key_arn = null)", [])} with input as _inventory([r])
}

test_fail_empty_key if {
	r := _cluster({"kms_key_arn": ""})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"patients-graph\" holds classified data (phi, pii) without a customer-managed KMS key (kms_key_arn = \"\")", [])} with input as _inventory([r])
}

# A plan leaves kms_key_arn unknown when it is not set; unencrypted storage decides anyway.
test_fail_unencrypted_with_unknown_key if {
	r := object.union(_cluster({"storage_encrypted": false}), {"unknown": ["kms_key_arn"]})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"patients-graph\" holds classified data (phi, pii) on unencrypted storage (storage_encrypted = false)", [])} with input as _inventory([r])
}

test_fail_unencrypted_whatever_the_key if {
	r := _cluster({"storage_encrypted": false, "kms_key_arn": _cmk})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"patients-graph\" holds classified data (phi, pii) on unencrypted storage (storage_encrypted = false)", [])} with input as _inventory([r])
}

test_missing_kms_key_arn if {
	r := _cluster({"storage_encrypted": true})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"patients-graph\": kms_key_arn is missing from the inventory", ["kms_key_arn"])} with input as _inventory([r])
}

test_unknown_kms_key_arn if {
	r := object.union(_cluster({"storage_encrypted": true, "kms_key_arn": null}), {"unknown": ["kms_key_arn"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"patients-graph\": kms_key_arn is known only after apply", ["kms_key_arn"])} with input as _inventory([r])
}

# Encryption not known either: only a customer-managed key would decide.
test_unknown_encryption_and_key if {
	r := object.union(_cluster({}), {"unknown": ["storage_encrypted", "kms_key_arn"]})
	check.findings == {_finding(r, "indeterminate", "aws_neptune_cluster \"patients-graph\": kms_key_arn is known only after apply", ["kms_key_arn"])} with input as _inventory([r])
}

test_pass_unclassified_cluster_out_of_scope if {
	r := object.union(_cluster({"storage_encrypted": false}), {"tags": {"DataClassification": "public"}, "data_classes": ["public"]})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_untagged_cluster_out_of_scope if {
	r := object.remove(_cluster({"storage_encrypted": false}), ["tags", "data_classes"])
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_fail_classified_data_classes_parameter_overridden if {
	r := object.union(_cluster({"storage_encrypted": false}), {"tags": {}, "data_classes": ["public"]})
	inventory := object.union(_inventory([r]), {"parameters": {"classified_data_classes": ["public"]}})
	check.findings == {_finding(r, "fail", "aws_neptune_cluster \"patients-graph\" holds classified data (public) on unencrypted storage (storage_encrypted = false)", [])} with input as inventory
}

test_pass_out_of_scope_types_ignored if {
	r := object.union(_cluster({"storage_encrypted": false}), {"type": "aws_rds_cluster"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}
