package checks.aws.iam.stale_access_keys_test

import data.checks.aws.iam.stale_access_keys as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-004",
	"title": "IAM user with an active access key older than allowed",
	"description": "Long-lived access keys end up in scripts, CI variables and laptops; the longer one lives the likelier it has leaked. Active keys must be rotated within credential_max_age_days.",
	"severity": "medium",
	"resource_types": ["aws_iam_user"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.3.9", "8.6.3"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17", "A.5.18"],
	},
	"remediation": "Create a new access key, move its users to it, deactivate and then delete the old one; better, replace user keys with IAM roles or IAM Identity Center short-term credentials.",
}

_address := "arn:aws:iam::123456789012:user/ci-deploy"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_user(attributes) := {
	"address": _address,
	"type": "aws_iam_user",
	"provider": "aws",
	"name": "ci-deploy",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_iam_user", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_iam_user", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_user(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_key(status, age) := {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "status": status, "age_days": age, "create_date": "2026-01-01T00:00:00Z"}

test_pass_recent_active_keys if {
	r := _user({"name": "ci-deploy", "access_keys": [_key("Active", 30), _key("Active", 90)]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_old_inactive_key if {
	count(_findings({"access_keys": [_key("Inactive", 400)]})) == 0
}

test_pass_no_access_keys if {
	count(_findings({"access_keys": []})) == 0
}

# An inactive key needs no age.
test_pass_inactive_key_without_age if {
	count(_findings({"access_keys": [{"status": "Inactive"}]})) == 0
}

test_fail_active_key_one_day_too_old if {
	findings := _findings({"name": "ci-deploy", "access_keys": [_key("Active", 12), _key("Active", 91)]})
	findings == {expect.fail(
		_metadata, "arn:aws:iam::123456789012:user/ci-deploy", "aws_iam_user",
		"IAM user \"ci-deploy\" has active access key(s) older than 90 days: access_keys[1] (91 days)",
	)}
}

test_fail_names_every_stale_key if {
	keys := [_key("Active", 400), _key("Inactive", 500), _key("Active", 120)]
	_findings({"access_keys": keys}) == {_fail("IAM user \"ci-deploy\" has active access key(s) older than 90 days: access_keys[0] (400 days), access_keys[2] (120 days)")}
}

test_pass_and_fail_with_max_age_overridden if {
	doc := object.union(_inventory([_user({"access_keys": [_key("Active", 45)]})]), {"parameters": {"credential_max_age_days": 30}})
	check.findings == {_fail("IAM user \"ci-deploy\" has active access key(s) older than 30 days: access_keys[0] (45 days)")} with input as doc
	count(_findings({"access_keys": [_key("Active", 45)]})) == 0
}

# A stale key fails the user even when another key's age is missing.
test_fail_stale_key_beside_key_without_age if {
	_findings({"access_keys": [{"status": "Active"}, _key("Active", 100)]}) == {_fail("IAM user \"ci-deploy\" has active access key(s) older than 90 days: access_keys[1] (100 days)")}
}

test_missing_access_keys if {
	_findings({"name": "ci-deploy", "password_enabled": false}) == {_indeterminate(
		"IAM user \"ci-deploy\": access_keys is missing from the inventory",
		["access_keys"],
	)}
}

test_missing_age_of_active_key if {
	_findings({"access_keys": [{"access_key_id": "AKIAIOSFODNN7EXAMPLE", "status": "Active"}]}) == {_indeterminate(
		"IAM user \"ci-deploy\": access_keys.0.age_days missing from the inventory",
		["access_keys.0.age_days"],
	)}
}

test_missing_status_of_key if {
	_findings({"access_keys": [_key("Active", 3), {"age_days": 200}]}) == {_indeterminate(
		"IAM user \"ci-deploy\": access_keys.1.status missing from the inventory",
		["access_keys.1.status"],
	)}
}

test_unknown_access_keys if {
	r := object.union(_user({"access_keys": []}), {"unknown": ["access_keys"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"IAM user \"ci-deploy\": access_keys is known only after apply",
		["access_keys"],
	)}
}

test_unknown_age_of_one_key if {
	r := object.union(_user({"access_keys": [{"status": "Active"}]}), {"unknown": ["access_keys.0.age_days"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"IAM user \"ci-deploy\": access_keys is known only after apply",
		["access_keys"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"access_keys": [{"status": "Active", "age_days": 400}]},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}
