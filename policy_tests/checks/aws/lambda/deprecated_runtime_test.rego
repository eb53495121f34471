package checks.aws.lambda.deprecated_runtime_test

import data.checks.aws.lambda.deprecated_runtime as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-006",
	"title": "Lambda function on a deprecated runtime",
	"description": "A deprecated runtime no longer receives security patches for its language runtime or operating system, and AWS eventually blocks updates to it.",
	"severity": "medium",
	"resource_types": [
		"aws_lambda_function",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.308(a)(1)(ii)(B)",
		],
		"pci_dss": [
			"6.3.3",
		],
		"soc2": [
			"CC7.1",
		],
		"iso27001": [
			"A.8.8",
		],
	},
	"remediation": "Move the function to a supported runtime (for example nodejs22.x, python3.13, java21) and test it there; the deprecated runtimes are the parameter lambda_deprecated_runtimes.",
}

_inventory(resources, parameters) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "terraform_plan", "scope": "plan.json", "status": "complete"}],
	"parameters": parameters,
	"resources": resources,
}

_resource(type, name, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": object.get(attributes, "tags", {}),
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_supported_runtime if {
	r := _resource("aws_lambda_function", "orders", {"runtime": "python3.13", "package_type": "Zip"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_container_image_out_of_scope if {
	r := _resource("aws_lambda_function", "orders", {"runtime": null, "package_type": "Image"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_deprecated_runtime if {
	r := _resource("aws_lambda_function", "orders", {"runtime": "nodejs12.x", "package_type": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" runs on the deprecated runtime nodejs12.x")}
}

test_fail_runtime_added_by_parameter if {
	r := _resource("aws_lambda_function", "orders", {"runtime": "python3.13"}, [])
	inv := _inventory([r], {"lambda_deprecated_runtimes": ["python3.13"]})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda function \"orders\" runs on the deprecated runtime python3.13")}
}

test_pass_runtime_removed_by_parameter if {
	r := _resource("aws_lambda_function", "orders", {"runtime": "nodejs12.x"}, [])
	inv := _inventory([r], {"lambda_deprecated_runtimes": []})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_missing_runtime if {
	r := _resource("aws_lambda_function", "orders", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": runtime is missing from the inventory", ["runtime"])}
}

test_missing_runtime_value_on_zip if {
	r := _resource("aws_lambda_function", "orders", {"runtime": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": runtime is not set and package_type is not Image", ["runtime"])}
}

test_unknown_runtime if {
	r := _resource("aws_lambda_function", "orders", {}, ["runtime"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda function \"orders\": runtime is known only after apply", ["runtime"])}
}
