package checks.aws.lambda.permission_public_test

import data.checks.aws.lambda.permission_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-003",
	"title": "Lambda permission open to any principal without a source condition",
	"description": "A resource policy statement for principal \"*\" with no source ARN, source account or organization lets any AWS account (or anyone, for a function URL) invoke the function.",
	"severity": "high",
	"resource_types": [
		"aws_lambda_permission",
	],
	"controls": {
		"gdpr": [
			"Art.25(2)",
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
		],
		"pci_dss": [
			"7.2.1",
			"1.4.4",
		],
		"soc2": [
			"CC6.1",
			"CC6.6",
		],
		"iso27001": [
			"A.5.15",
			"A.8.3",
		],
	},
	"remediation": "Name the calling service or account as principal, and set source_arn (and source_account for S3) or principal_org_id so that only your own resources can invoke the function.",
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

test_pass_service_principal if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "s3.amazonaws.com", "source_arn": null, "source_account": null, "principal_org_id": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_star_with_source_arn if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "*", "source_arn": "arn:aws:execute-api:eu-west-1:123456789012:abc/*", "source_account": null, "principal_org_id": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_star_with_org if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "*", "source_arn": null, "source_account": null, "principal_org_id": "o-abc123"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_star_with_known_account_despite_unknown_arn if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "*", "source_account": "123456789012", "principal_org_id": null}, ["source_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_star_without_conditions if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "*", "source_arn": null, "source_account": "", "principal_org_id": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Lambda permission \"from_bucket\" lets any principal invoke the function, with no source_arn, source_account or principal_org_id")}
}

test_missing_principal if {
	r := _resource("aws_lambda_permission", "from_bucket", {"source_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda permission \"from_bucket\": principal is missing from the inventory", ["principal"])}
}

test_unknown_principal if {
	r := _resource("aws_lambda_permission", "from_bucket", {"source_arn": null, "source_account": null, "principal_org_id": null}, ["principal"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda permission \"from_bucket\": principal is known only after apply", ["principal"])}
}

test_unknown_source_arn_is_indeterminate if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "*", "source_account": null, "principal_org_id": null}, ["source_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda permission \"from_bucket\" lets any principal invoke the function; source_arn known only after apply", ["source_arn"])}
}

test_missing_conditions if {
	r := _resource("aws_lambda_permission", "from_bucket", {"principal": "*", "source_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Lambda permission \"from_bucket\" lets any principal invoke the function; source_account, principal_org_id missing from the inventory", ["source_account", "principal_org_id"])}
}
