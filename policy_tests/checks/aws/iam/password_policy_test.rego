package checks.aws.iam.password_policy_test

import data.checks.aws.iam.password_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-006",
	"title": "IAM account password policy too weak",
	"description": "Short passwords without character classes, passwords that never expire and reused passwords are easy to guess, spray or replay. The policy must ask for 14 or more characters with symbols, numbers, upper and lower case letters, expiry within credential_max_age_days and no reuse of the last 24.",
	"severity": "medium",
	"resource_types": ["aws_iam_account_password_policy"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.3.6", "8.3.7", "8.3.9"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17", "A.8.5"],
	},
	"remediation": "Set minimum_password_length = 14 or more, require_symbols, require_numbers, require_uppercase_characters and require_lowercase_characters = true, max_password_age between 1 and the credential maximum age (90 days by default) and password_reuse_prevention = 24.",
}

_address := "arn:aws:iam::123456789012:account-password-policy"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_password_policy(attributes) := {
	"address": _address,
	"type": "aws_iam_account_password_policy",
	"provider": "aws",
	"name": "123456789012",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_iam_account_password_policy", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_iam_account_password_policy", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_password_policy(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_strong := {
	"minimum_password_length": 14,
	"require_symbols": true,
	"require_numbers": true,
	"require_uppercase_characters": true,
	"require_lowercase_characters": true,
	"allow_users_to_change_password": true,
	"max_password_age": 90,
	"password_reuse_prevention": 24,
}

_weak(weaknesses) := _fail(sprintf("IAM account password policy \"123456789012\" is weak: %s", [weaknesses]))

test_pass_strong_policy_at_the_thresholds if {
	r := _password_policy(_strong)
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_stricter_than_required if {
	count(_findings(object.union(_strong, {"minimum_password_length": 20, "max_password_age": 30}))) == 0
}

# The AWS defaults: 8 characters, no classes, no expiry, no reuse prevention.
test_fail_aws_default_policy_names_every_weakness if {
	findings := _findings({
		"minimum_password_length": 8,
		"require_symbols": false,
		"require_numbers": false,
		"require_uppercase_characters": false,
		"require_lowercase_characters": false,
		"max_password_age": 0,
		"password_reuse_prevention": null,
	})
	findings == {expect.fail(
		_metadata, "arn:aws:iam::123456789012:account-password-policy", "aws_iam_account_password_policy",
		"IAM account password policy \"123456789012\" is weak: minimum_password_length 8 (< 14); require_symbols false; require_numbers false; require_uppercase_characters false; require_lowercase_characters false; max_password_age 0 (passwords never expire); password_reuse_prevention 0 (< 24)",
	)}
}

test_fail_length_one_below if {
	_findings(object.union(_strong, {"minimum_password_length": 13})) == {_weak("minimum_password_length 13 (< 14)")}
}

test_fail_each_character_class_off_is_named if {
	every setting in ["require_symbols", "require_numbers", "require_uppercase_characters", "require_lowercase_characters"] {
		_findings(object.union(_strong, {setting: false})) == {_weak(sprintf("%s false", [setting]))}
	}
}

test_fail_expiry_too_long if {
	_findings(object.union(_strong, {"max_password_age": 91})) == {_weak("max_password_age 91 (> 90)")}
}

test_fail_no_expiry_when_null if {
	_findings(object.union(_strong, {"max_password_age": null})) == {_weak("max_password_age 0 (passwords never expire)")}
}

test_fail_reuse_prevention_too_small if {
	_findings(object.union(_strong, {"password_reuse_prevention": 23})) == {_weak("password_reuse_prevention 23 (< 24)")}
}

test_pass_and_fail_with_max_age_overridden if {
	doc := object.union(_inventory([_password_policy(_strong)]), {"parameters": {"credential_max_age_days": 60}})
	check.findings == {_weak("max_password_age 90 (> 60)")} with input as doc
	doc_365 := object.union(_inventory([_password_policy(object.union(_strong, {"max_password_age": 365}))]), {"parameters": {"credential_max_age_days": 365}})
	count(check.findings) == 0 with input as doc_365
}

test_missing_require_symbols if {
	_findings(object.remove(_strong, ["require_symbols"])) == {_indeterminate(
		"IAM account password policy \"123456789012\": require_symbols is missing from the inventory",
		["require_symbols"],
	)}
}

test_missing_every_setting if {
	_findings({"allow_users_to_change_password": true}) == {_indeterminate(
		"IAM account password policy \"123456789012\": minimum_password_length is missing from the inventory, require_symbols is missing from the inventory, require_numbers is missing from the inventory, require_uppercase_characters is missing from the inventory, require_lowercase_characters is missing from the inventory, max_password_age is missing from the inventory, password_reuse_prevention is missing from the inventory",
		["minimum_password_length", "require_symbols", "require_numbers", "require_uppercase_characters", "require_lowercase_characters", "max_password_age", "password_reuse_prevention"],
	)}
}

test_unknown_max_password_age if {
	r := object.union(_password_policy(_strong), {"unknown": ["max_password_age"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"IAM account password policy \"123456789012\": max_password_age is known only after apply",
		["max_password_age"],
	)}
}

# A known weakness fails the policy even when another setting is not known.
test_fail_known_weakness_despite_missing_setting if {
	attributes := object.union(object.remove(_strong, ["require_numbers"]), {"minimum_password_length": 10})
	_findings(attributes) == {_weak("minimum_password_length 10 (< 14)")}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"minimum_password_length": 6},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

test_pass_thresholds_follow_the_parameters if {
	weak := {
		"address": "arn:aws:iam::111122223333:account-password-policy",
		"type": "aws_iam_account_password_policy",
		"provider": "aws",
		"name": "p",
		"attributes": {
			"minimum_password_length": 12,
			"require_symbols": true,
			"require_numbers": true,
			"require_uppercase_characters": true,
			"require_lowercase_characters": true,
			"max_password_age": 90,
			"password_reuse_prevention": 5,
		},
	}
	count(check.findings) == 1 with input as {"resources": [weak]}
	relaxed := {"resources": [weak], "parameters": {"minimum_password_length": 12, "password_reuse_prevention": 5}}
	count(check.findings) == 0 with input as relaxed
}
