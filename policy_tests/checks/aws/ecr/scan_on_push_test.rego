package checks.aws.ecr.scan_on_push_test

import data.checks.aws.ecr.scan_on_push as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECR-003",
	"title": "ECR repository does not scan images on push",
	"description": "Without scan on push, images with known vulnerabilities in their operating system packages reach the registry and deployments unnoticed.",
	"severity": "medium",
	"resource_types": [
		"aws_ecr_repository",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(d)",
		],
		"hipaa": [
			"164.308(a)(1)(ii)(A)",
		],
		"iso27001": [
			"A.8.8",
		],
		"pci_dss": [
			"6.3.1",
			"11.3.1",
		],
		"soc2": [
			"CC7.1",
		],
	},
	"remediation": "Set image_scanning_configuration { scan_on_push = true }, or turn on enhanced scanning for the registry (aws_ecr_registry_scanning_configuration with scan_frequency SCAN_ON_PUSH or CONTINUOUS_SCAN), and act on the findings.",
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

test_pass_scan_on_push if {
	r := _resource({"image_scanning_configuration": {"scan_on_push": true}})
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

# The checkov fixture's repository: image_scanning_configuration = [] folds into null.
test_fail_no_block if {
	check.findings == {expect.fail(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\" does not scan images on push (no image_scanning_configuration)")} with input as _inventory([_resource({"image_scanning_configuration": null})])
}

test_fail_scan_off if {
	check.findings == {expect.fail(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\" does not scan images on push (scan_on_push = false)")} with input as _inventory([_resource({"image_scanning_configuration": {"scan_on_push": false}})])
}

test_unknown_flag if {
	r := object.union(_resource({"image_scanning_configuration": {}}), {"unknown": ["image_scanning_configuration.scan_on_push"]})
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\": image_scanning_configuration.scan_on_push is known only after apply", ["image_scanning_configuration.scan_on_push"])} with input as _inventory([r])
}

test_missing_block if {
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecr_repository", "ECR repository \"app\": image_scanning_configuration is missing from the inventory", ["image_scanning_configuration"])} with input as _inventory([_resource({})])
}
