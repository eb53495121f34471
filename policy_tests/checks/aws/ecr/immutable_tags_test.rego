package checks.aws.ecr.immutable_tags_test

import data.checks.aws.ecr.immutable_tags as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECR-002",
	"title": "ECR repository allows image tags to be overwritten",
	"description": "With mutable tags anyone who can push may replace the image behind a tag already deployed or approved, so what runs is no longer what was reviewed and scanned.",
	"severity": "medium",
	"resource_types": [
		"aws_ecr_repository",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(c)(1)",
		],
		"iso27001": [
			"A.8.32",
			"A.8.9",
		],
		"pci_dss": [
			"6.5.1",
		],
		"soc2": [
			"CC8.1",
		],
	},
	"remediation": "Set image_tag_mutability = \"IMMUTABLE\" (or IMMUTABLE_WITH_EXCLUSION for a few moving tags such as latest) and deploy by digest or by a unique version tag.",
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

test_pass_immutable if {
	r := _resource({"image_tag_mutability": "IMMUTABLE"})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.findings) == 0 with input as _inventory([_resource({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"})])
	check.resources == {r} with input as _inventory([r])
}

# The checkov fixture's repository.
test_fail_mutable if {
	check.findings == {expect.fail(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\" lets pushes overwrite image tags (image_tag_mutability = \"MUTABLE\")")} with input as _inventory([_resource({"image_tag_mutability": "MUTABLE"})])
}

test_unknown_mutability if {
	r := object.union(_resource({}), {"unknown": ["image_tag_mutability"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\": image_tag_mutability is known only after apply", ["image_tag_mutability"])} with input as _inventory([r])
}

test_missing_mutability if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\": image_tag_mutability is missing from the inventory", ["image_tag_mutability"])} with input as _inventory([_resource({})])
}
