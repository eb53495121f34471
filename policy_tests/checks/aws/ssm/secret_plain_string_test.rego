package checks.aws.ssm.secret_plain_string_test

import data.checks.aws.ssm.secret_plain_string as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SSM-001",
	"title": "SSM parameter named like a secret is not a SecureString",
	"description": "A parameter of type String or StringList is stored and returned unencrypted, shown in the console and readable by anyone with ssm:GetParameter; a name such as db-password says it holds a secret.",
	"severity": "high",
	"resource_types": ["aws_ssm_parameter"],
	"controls": {
		"gdpr": ["Art.32(1)(a)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(2)(iv)", "164.312(d)"],
		"pci_dss": ["8.3.2", "3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17", "A.8.24"],
	},
	"remediation": "Recreate the parameter as type SecureString with a customer-managed KMS key (or move the secret to Secrets Manager), rotate the exposed value, and restrict ssm:GetParameter and kms:Decrypt to the readers that need it.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_secure_string if {
	r := _resource("aws_ssm_parameter", "db_password", {"name": "/orders/db/password", "type": "SecureString", "key_id": "alias/orders"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_plain_config_value if {
	r := _resource("aws_ssm_parameter", "api_url", {"name": "/orders/api/url", "type": "String"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_password_as_string if {
	r := _resource("aws_ssm_parameter", "db_password", {"name": "/orders/db/Password", "type": "String"}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "SSM parameter \"/orders/db/Password\" looks like a secret but is stored as String, unencrypted")}
}

test_fail_api_key_as_string_list if {
	r := _resource("aws_ssm_parameter", "keys", {"name": "/partners/API_KEY", "type": "StringList"}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "SSM parameter \"/partners/API_KEY\" looks like a secret but is stored as StringList, unencrypted")}
}

test_fail_pattern_from_parameter if {
	r := _resource("aws_ssm_parameter", "pin", {"name": "/cards/pin", "type": "String"}, {})
	findings := _findings(r, {"secret_parameter_name_patterns": ["(?i)pin$"]})
	findings == {expect.fail(_metadata, r.address, r.type, "SSM parameter \"/cards/pin\" looks like a secret but is stored as String, unencrypted")}
}

test_missing_type if {
	r := _resource("aws_ssm_parameter", "db_password", {"name": "/orders/db/password"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SSM parameter \"/orders/db/password\": type is missing from the inventory", ["type"])}
}

test_missing_name if {
	r := _resource("aws_ssm_parameter", "db_password", {"type": "String"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SSM parameter \"db_password\": name is missing from the inventory", ["name"])}
}

test_unknown_name if {
	r := _resource("aws_ssm_parameter", "db_password", {"type": "String"}, {"unknown": ["name"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SSM parameter \"db_password\": name is known only after apply", ["name"])}
}
