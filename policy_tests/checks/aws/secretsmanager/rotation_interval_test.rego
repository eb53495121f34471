package checks.aws.secretsmanager.rotation_interval_test

import data.checks.aws.secretsmanager.rotation_interval as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SEC-002",
	"title": "Secrets Manager rotation interval longer than the maximum credential age",
	"description": "Rotation only bounds a leaked secret's useful life if it runs often enough; an interval longer than the maximum credential age keeps credentials valid beyond what the policy allows.",
	"severity": "low",
	"resource_types": ["aws_secretsmanager_secret"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.6.3"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17"],
	},
	"remediation": "Set rotation_rules.automatically_after_days (or a rate() schedule) to at most the credential_max_age_days parameter (90 by default).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/secretsmanager", "status": "complete"}],
	"resources": resources,
}

_secret(rules) := {
	"address": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf",
	"type": "aws_secretsmanager_secret",
	"provider": "aws",
	"name": "orders-db",
	"attributes": {"rotation_enabled": true, "rotation_rules": rules},
}

_finding(status, message, paths) := expect.finding(
	_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
	status, message, paths,
)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_interval_within_maximum if {
	r := _secret({"automatically_after_days": 30})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_interval_at_maximum if {
	r := _secret({"automatically_after_days": 90})
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_rate_schedule_within_maximum if {
	every expression in ["rate(30 days)", "rate(1 day)", "rate(4 hours)", "rate(2160 hours)"] {
		r := _secret({"automatically_after_days": null, "schedule_expression": expression})
		count(check.findings) == 0 with input as _inventory([r])
	}
}

test_fail_interval_over_maximum if {
	r := _secret({"automatically_after_days": 180})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
		"aws_secretsmanager_secret \"orders-db\" is rotated every 180 days, longer than the maximum credential age of 90 days (rotation_rules.automatically_after_days = 180)",
	)}
}

test_fail_rate_days_over_maximum if {
	r := _secret({"schedule_expression": "rate(91 days)"})
	check.findings == {_finding("fail", "aws_secretsmanager_secret \"orders-db\" is rotated every 91 days, longer than the maximum credential age of 90 days (rotation_rules.schedule_expression = \"rate(91 days)\")", [])} with input as _inventory([r])
}

test_fail_rate_hours_over_maximum if {
	r := _secret({"schedule_expression": "rate(2400 hours)"})
	check.findings == {_finding("fail", "aws_secretsmanager_secret \"orders-db\" is rotated every 100 days, longer than the maximum credential age of 90 days (rotation_rules.schedule_expression = \"rate(2400 hours)\")", [])} with input as _inventory([r])
}

test_fail_parameter_lowered if {
	r := _secret({"automatically_after_days": 60})
	inventory := object.union(_inventory([r]), {"parameters": {"credential_max_age_days": 30}})
	check.findings == {_finding("fail", "aws_secretsmanager_secret \"orders-db\" is rotated every 60 days, longer than the maximum credential age of 30 days (rotation_rules.automatically_after_days = 60)", [])} with input as inventory
}

test_missing_interval_for_cron_schedule if {
	r := _secret({"automatically_after_days": null, "schedule_expression": "cron(0 4 1 */6 ? *)"})
	check.findings == {_finding("indeterminate", "aws_secretsmanager_secret \"orders-db\": the rotation interval cannot be read from rotation_rules (schedule_expression = \"cron(0 4 1 */6 ? *)\")", ["rotation_rules"])} with input as _inventory([r])
}

test_missing_interval_in_empty_rules if {
	r := _secret({})
	check.findings == {_finding("indeterminate", "aws_secretsmanager_secret \"orders-db\": the rotation interval cannot be read from rotation_rules (schedule_expression = null)", ["rotation_rules"])} with input as _inventory([r])
}

test_missing_rotation_rules if {
	r := object.union(object.remove(_secret(null), ["attributes"]), {"attributes": {"rotation_enabled": true}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
		"aws_secretsmanager_secret \"orders-db\": rotation_rules is missing from the inventory", ["rotation_rules"],
	)}
}

test_unknown_rotation_rules if {
	r := object.union(_secret({"automatically_after_days": 365}), {"unknown": ["rotation_rules.automatically_after_days"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf", "aws_secretsmanager_secret",
		"aws_secretsmanager_secret \"orders-db\": rotation_rules is known only after apply", ["rotation_rules"],
	)}
}

# Secrets without rotation are left to AWS-SEC-001.
test_pass_rotation_disabled_out_of_scope if {
	r := object.union(_secret({"automatically_after_days": 365}), {"attributes": {"rotation_enabled": false}})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_no_rotation_rules_out_of_scope if {
	r := object.union(object.remove(_secret(null), ["attributes"]), {"attributes": {"rotation_rules": null}})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	vault := {
		"address": "arn:aws:backup:eu-west-1:123456789012:backup-vault:databases",
		"type": "aws_backup_vault",
		"provider": "aws",
		"name": "databases",
		"attributes": {"rotation_rules": {"automatically_after_days": 365}},
	}
	count(check.findings) == 0 with input as _inventory([vault])
	count(check.resources) == 0 with input as _inventory([vault])
}

# A regex builtin that answers a non-string operand with an absurd interval
# instead of a (strict-mode) error, so a test sees the check calling it on null.
_regex_strings_only(pattern, value, n) := regex.find_all_string_submatch_n(pattern, value, n) if is_string(value)

_regex_strings_only(_, value, _) := [["rate(100000 days)", "100000"]] if not is_string(value)

# Null settings must never reach the regex builtin (a builtin error under
# --strict-builtin-errors aborts the whole scan): the interval is missing.
test_missing_interval_null_settings_never_reach_regex if {
	every rules in [{"automatically_after_days": null, "schedule_expression": null}, {}] {
		r := _secret(rules)
		check.findings == {_finding("indeterminate", "aws_secretsmanager_secret \"orders-db\": the rotation interval cannot be read from rotation_rules (schedule_expression = null)", ["rotation_rules"])} with input as _inventory([r])
			with regex.find_all_string_submatch_n as _regex_strings_only
	}
}

test_pass_rate_schedule_with_strict_regex if {
	r := _secret({"automatically_after_days": null, "schedule_expression": "rate(30 days)"})
	count(check.findings) == 0 with input as _inventory([r]) with regex.find_all_string_submatch_n as _regex_strings_only
	check.resources == {r} with input as _inventory([r])
}

# A non-string schedule (a collector bug) is unreadable, not an error.
test_missing_interval_non_string_schedule if {
	r := _secret({"schedule_expression": 30})
	check.findings == {_finding("indeterminate", "aws_secretsmanager_secret \"orders-db\": the rotation interval cannot be read from rotation_rules (schedule_expression = 30)", ["rotation_rules"])} with input as _inventory([r])
		with regex.find_all_string_submatch_n as _regex_strings_only
}
