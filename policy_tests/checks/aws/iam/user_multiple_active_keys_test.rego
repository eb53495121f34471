package checks.aws.iam.user_multiple_active_keys_test

import data.checks.aws.iam.user_multiple_active_keys as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-111",
	"title": "IAM user with more than one active access key",
	"description": "A second active key is meant only for the minutes of a rotation; kept longer, it doubles what can leak and usually means the old key was never retired (CIS AWS Foundations 1.13).",
	"severity": "medium",
	"resource_types": ["aws_iam_user"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.3.9", "8.6.3"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17"],
	},
	"remediation": "Find which key is still used (its last-used date), move everything to it, then deactivate and delete the other; better, replace user keys with roles or IAM Identity Center short-term credentials.",
}

_address := "arn:aws:iam::123456789012:user/etl-bot"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_user(keys) := {
	"address": _address,
	"type": "aws_iam_user",
	"provider": "aws",
	"name": "etl-bot",
	"attributes": {"name": "etl-bot", "arn": _address, "access_keys": keys},
}

_key(status) := {"access_key_id": "AKIA...7Q2X", "status": status, "age_days": 30}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_one_active_key if {
	r := _user([_key("Inactive"), _key("Active")])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
	count(_findings(_user([]))) == 0
}

test_fail_two_active_keys if {
	_findings(_user([_key("Active"), _key("Active")])) == {expect.fail(
		_metadata, _address, "aws_iam_user",
		"IAM user \"etl-bot\" has 2 active access keys: access_keys[0], access_keys[1]",
	)}
}

test_missing_access_keys if {
	_findings(json.patch(_user([]), [{"op": "remove", "path": "/attributes/access_keys"}])) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"etl-bot\": access_keys is missing from the inventory", ["access_keys"],
	)}
	_findings(_user(null)) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"etl-bot\": access_keys is not a list of keys", ["access_keys"],
	)}
}

# A key of unknown status decides only when it could be the second active one.
test_missing_key_status if {
	_findings(_user([_key("Active"), {"access_key_id": "AKIA...9F1B"}])) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"etl-bot\": access_keys.1.status missing from the inventory", ["access_keys.1.status"],
	)}
	count(_findings(_user([_key("Inactive"), {"access_key_id": "AKIA...9F1B"}]))) == 0
}

test_unknown_access_keys if {
	r := object.union(_user([]), {"unknown": ["access_keys"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_iam_user",
		"IAM user \"etl-bot\": access_keys is known only after apply", ["access_keys"],
	)}
}
