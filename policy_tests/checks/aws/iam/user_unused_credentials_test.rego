package checks.aws.iam.user_unused_credentials_test

import data.checks.aws.iam.user_unused_credentials as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-112",
	"title": "IAM user credentials left unused",
	"description": "A console password or an active access key nobody has used for weeks belongs to someone who left or a job that stopped; it still works for whoever finds it, and nobody would notice it being used (CIS AWS Foundations 1.12).",
	"severity": "medium",
	"resource_types": ["aws_iam_user"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(3)(ii)(C)", "164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.2.6"],
		"soc2": ["CC6.2"],
		"iso27001": ["A.5.18"],
	},
	"remediation": "Delete the login profile and deactivate (then delete) the access keys unused for longer than credential_unused_max_days; remove the user when nobody owns it.",
}

_address := "arn:aws:iam::123456789012:user/sam"

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
	"name": "sam",
	"attributes": object.union({"name": "sam", "arn": _address}, attributes),
}

_key(status, last_used, age) := {"access_key_id": "AKIA...3K9Z", "status": status, "last_used_days": last_used, "age_days": age}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(text) := expect.fail(_metadata, _address, "aws_iam_user", sprintf("IAM user \"sam\" has credentials unused for more than 45 days: %s", [text]))

_undecided(paths) := expect.indeterminate(_metadata, _address, "aws_iam_user", sprintf("IAM user \"sam\": %s not known", [concat(", ", paths)]), paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_recently_used if {
	r := _user({
		"password_enabled": true, "password_last_used_days": 3, "password_age_days": 400,
		"access_keys": [_key("Active", 45, 300), _key("Inactive", 200, 500), _key("Active", null, 10)],
	})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_no_credentials if {
	count(_findings(_user({"password_enabled": false, "access_keys": []}))) == 0
}

test_fail_password_unused if {
	_findings(_user({"password_enabled": true, "password_last_used_days": 46, "access_keys": []})) == {_fail("console password (last used 46 days ago)")}
	_findings(_user({"password_enabled": true, "password_last_used_days": null, "password_age_days": 90, "access_keys": []})) == {_fail("console password (never used, created 90 days ago)")}
}

test_fail_keys_unused if {
	_findings(_user({"password_enabled": false, "access_keys": [_key("Active", 100, 400), _key("Active", null, 60)]})) == {_fail("access_keys[0] (last used 100 days ago), access_keys[1] (never used, created 60 days ago)")}
}

test_fail_parameter if {
	r := _user({"password_enabled": true, "password_last_used_days": 20, "access_keys": []})
	findings := check.findings with input as object.union(_inventory([r]), {"parameters": {"credential_unused_max_days": 14}})
	findings == {expect.fail(_metadata, _address, "aws_iam_user", "IAM user \"sam\" has credentials unused for more than 14 days: console password (last used 20 days ago)")}
}

# A failure is reported even when other facts are missing.
test_fail_with_other_facts_missing if {
	_findings(_user({"access_keys": [_key("Active", 300, 400)]})) == {_fail("access_keys[0] (last used 300 days ago)")}
}

test_missing_last_used if {
	_findings(_user({"password_enabled": true, "access_keys": [{"access_key_id": "AKIA...3K9Z", "status": "Active", "age_days": 10}]})) == {_undecided(["password_last_used_days", "access_keys.0.last_used_days"])}
	_findings(_user({"password_enabled": true, "password_last_used_days": null, "access_keys": [_key("Active", null, null)]})) == {_undecided(["password_age_days", "access_keys.0.age_days"])}
}

# A plan user: nothing says whether it has a password or keys.
test_missing_credentials_facts if {
	_findings(_user({})) == {_undecided(["password_enabled", "access_keys"])}
	_findings(_user({"password_enabled": false, "access_keys": [{"access_key_id": "AKIA...3K9Z"}]})) == {_undecided(["access_keys.0.status"])}
}

test_unknown_password_facts if {
	r := object.union(_user({"password_enabled": true, "access_keys": []}), {"unknown": ["password_last_used_days"]})
	_findings(r) == {_undecided(["password_last_used_days"])}
}
