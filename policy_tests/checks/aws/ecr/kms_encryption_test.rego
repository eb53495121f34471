package checks.aws.ecr.kms_encryption_test

import data.checks.aws.ecr.kms_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECR-001",
	"title": "ECR repository not encrypted with a KMS key",
	"description": "By default ECR encrypts images with AES-256 keys AWS owns; with KMS the owner controls and audits the key, can revoke access to the images, and meets requirements for customer-controlled keys.",
	"severity": "medium",
	"resource_types": [
		"aws_ecr_repository",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(a)(2)(iv)",
		],
		"iso27001": [
			"A.8.24",
		],
		"pci_dss": [
			"3.6.1",
		],
		"soc2": [
			"CC6.1",
		],
	},
	"remediation": "Set encryption_configuration { encryption_type = \"KMS\", kms_key = <customer key ARN> }. Encryption is fixed at creation: create a new repository, push the images to it and delete the old one.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_ecr_repository.app"

_resource(attributes) := {
	"address": _address,
	"type": "aws_ecr_repository",
	"provider": "aws",
	"name": "app",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms if {
	r := _resource({"encryption_configuration": {"encryption_type": "KMS", "kms_key": "arn:aws:kms:eu-west-1:123456789012:key/k"}})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

# The checkov fixture's repository: encryption_configuration = [] folds into null.
test_fail_no_block if {
	check.findings == {expect.fail(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\" is not encrypted with KMS (no encryption_configuration: AES256)")} with input as _inventory([_resource({"encryption_configuration": null})])
}

test_fail_aes256 if {
	check.findings == {expect.fail(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\" is not encrypted with KMS (encryption_type = \"AES256\")")} with input as _inventory([_resource({"encryption_configuration": {"encryption_type": "AES256"}})])
}

test_unknown_type if {
	r := object.union(_resource({"encryption_configuration": {}}), {"unknown": ["encryption_configuration.encryption_type"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\": encryption_configuration.encryption_type is known only after apply", ["encryption_configuration.encryption_type"])} with input as _inventory([r])
}

test_missing_block if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\": encryption_configuration is missing from the inventory", ["encryption_configuration"])} with input as _inventory([_resource({})])
}
