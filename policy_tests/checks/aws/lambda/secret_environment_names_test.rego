package checks.aws.lambda.secret_environment_names_test

import data.checks.aws.lambda.secret_environment_names as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-LMB-007",
	"title": "Lambda function environment variables named like secrets",
	"description": "Environment variables of a Lambda function are returned in plain text to anyone allowed GetFunctionConfiguration, and show in the console, the plan and the state; a variable named like a password, token or key most likely holds one. Secrets belong in Secrets Manager or SSM Parameter Store, read by the function at run time.",
	"severity": "high",
	"resource_types": ["aws_lambda_function"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.312(a)(1)", "164.308(a)(5)(ii)(D)"], "iso27001": ["A.5.17", "A.8.12"], "pci_dss": ["8.6.2", "8.3.2"], "soc2": ["CC6.1"]},
	"remediation": "Move each flagged value to Secrets Manager (or an SSM SecureString parameter), keep only its name or ARN in the environment, read it at run time (the AWS Parameters and Secrets Lambda Extension caches it), give the function's role read access to it, and rotate the exposed value.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/lambda", "status": "complete"}],
	"resources": resources,
}

_with_parameters(resources, parameters) := object.union(_inventory(resources), {"parameters": parameters})

_resource(type, name, tags, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": tags,
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_function(attributes, unknown) := _resource("aws_lambda_function", "checkout", {}, attributes, unknown)

test_pass_plain_settings if {
	r := _function({"environment": {"variables": {"DB_HOST": "db.internal", "LOG_LEVEL": "info", "DB_PASSWORD_SECRET_ARN_REF": null}}}, [])
	inv := _with_parameters([r], {"secret_environment_name_patterns": ["(?i)^db_password$"]})
	count(check.findings) == 0 with input as inv
	check.resources == {r} with input as inv
}

test_pass_no_environment if {
	r := _function({"environment": null}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_no_variables if {
	r := _function({"environment": {"variables": null}}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

# Names only: values never reach the message.
test_fail_secret_names if {
	r := _function({"environment": {"variables": {"STRIPE_API_KEY": "sk_live_abc123", "DB_HOST": "db.internal", "DB_PASSWORD": "hunter2"}}}, [])
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\" sets secret-looking environment variable(s) in plain text: DB_PASSWORD, STRIPE_API_KEY",
	)}
	every f in findings {
		not contains(f.message, "hunter2")
		not contains(f.message, "sk_live")
	}
}

# A value known only after apply still has a known name.
test_fail_name_of_unknown_value if {
	r := _function({"environment": {"variables": {"DB_HOST": "db.internal"}}}, ["environment.variables.AUTH_TOKEN"])
	check.findings == {expect.fail(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\" sets secret-looking environment variable(s) in plain text: AUTH_TOKEN",
	)} with input as _inventory([r])
}

test_pass_unknown_value_with_plain_name if {
	r := _function({"environment": {"variables": {"DB_HOST": "db.internal"}}}, ["environment.variables.QUEUE_URL"])
	count(check.findings) == 0 with input as _inventory([r])
}

test_missing_environment if {
	r := _function({"runtime": "python3.12"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\": environment is missing from the inventory", ["environment"],
	)} with input as _inventory([r])
}

test_unknown_environment if {
	r := _function({}, ["environment"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\": environment is known only after apply", ["environment"],
	)} with input as _inventory([r])
}

test_unknown_variables if {
	r := _function({"environment": {}}, ["environment.variables"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\": environment.variables is known only after apply", ["environment.variables"],
	)} with input as _inventory([r])
}

test_missing_variables if {
	r := _function({"environment": {}}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\": environment.variables is missing from the inventory", ["environment.variables"],
	)} with input as _inventory([r])
}

test_missing_shape_unexpected_values if {
	environment := _function({"environment": ["DB_PASSWORD"]}, [])
	variables := object.union(_function({"environment": {"variables": "DB_PASSWORD=x"}}, []), {"name": "refund", "address": "aws_lambda_function.refund"})
	check.findings == {
		expect.indeterminate(
			_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
			"Lambda function \"checkout\": environment is not an object", ["environment"],
		),
		expect.indeterminate(
			_metadata, "aws_lambda_function.refund", "aws_lambda_function",
			"Lambda function \"refund\": environment.variables is not an object", ["environment.variables"],
		),
	} with input as _inventory([environment, variables])
}

# Where a secret is kept (its ARN or parameter path) is not the secret.
test_pass_secret_references if {
	r := _function({"environment": {"variables": {"DB_PASSWORD_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", "API_TOKEN_PARAM": "/checkout/api-token"}}}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_references_not_excluded_when_parameter_emptied if {
	r := _function({"environment": {"variables": {"DB_PASSWORD_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"}}}, [])
	check.findings == {expect.fail(
		_metadata, "aws_lambda_function.checkout", "aws_lambda_function",
		"Lambda function \"checkout\" sets secret-looking environment variable(s) in plain text: DB_PASSWORD_SECRET_ARN",
	)} with input as _with_parameters([r], {"secret_reference_name_patterns": []})
}
