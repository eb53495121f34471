package checks.aws.s3.object_lock_audit_buckets_test

import data.checks.aws.s3.object_lock_audit_buckets as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-007",
	"title": "Audit-log or evidence bucket without Object Lock retention",
	"description": "Buckets that keep audit logs or compliance evidence must be immutable for the retention period, so an administrator or an attacker with the keys cannot delete or overwrite the record. That needs Object Lock on with a default retention at least as long as the records must be kept. Such buckets are the ones whose purpose tag names audit logs or evidence.",
	"severity": "high",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.5(1)(f)", "Art.32(1)(b)"],
		"hipaa": ["164.312(b)", "164.312(c)(1)"],
		"pci_dss": ["10.3.2", "10.5.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.5.28", "A.5.33"],
	},
	"remediation": "Create the bucket with object_lock_enabled = true and add an aws_s3_bucket_object_lock_configuration whose rule sets a default_retention (mode COMPLIANCE, days or years covering the retention period). Object Lock can be enabled on an existing versioned bucket through the S3 API.",
}

_address := "arn:aws:s3:::acme-audit-logs"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/s3", "status": "complete"}],
	"resources": resources,
}

_bucket(attributes) := {
	"address": _address,
	"type": "aws_s3_bucket",
	"provider": "aws",
	"name": "acme-audit-logs",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_s3_bucket", message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_audit(attributes) := object.union(_bucket(attributes), {"tags": {"Purpose": "audit-logs"}})

_audit_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_audit(attributes)])
}

_locked := {
	"object_lock_enabled": "Enabled",
	"rule": {"default_retention": {"mode": "COMPLIANCE", "days": null, "years": 7}},
}

test_pass_audit_bucket_locked_in_compliance_mode if {
	r := _audit({"bucket": "acme-audit-logs", "object_lock_configuration": _locked})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# Tag keys and values are matched case-insensitively on the value; an absent
# object_lock_enabled defaults to Enabled.
test_pass_evidence_bucket_governance_days if {
	r := object.union(
		_bucket({"object_lock_configuration": {"rule": {"default_retention": {"mode": "GOVERNANCE", "days": 2555}}}}),
		{"tags": {"purpose": "Evidence"}},
	)
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_other_buckets_not_evaluated if {
	backups := object.union(_bucket({"object_lock_configuration": null}), {"tags": {"Purpose": "backups"}})
	untagged := _bucket({"object_lock_configuration": null})
	findings := check.findings with input as _inventory([backups, untagged])
	count(findings) == 0
	resources := check.resources with input as _inventory([backups, untagged])
	count(resources) == 0
}

test_fail_audit_bucket_without_object_lock if {
	findings := _audit_findings({"bucket": "acme-audit-logs", "object_lock_configuration": null})
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-audit-logs", "aws_s3_bucket",
		"S3 bucket \"acme-audit-logs\" holds audit-logs but has Object Lock off",
	)}
}

test_fail_object_lock_without_rule if {
	_audit_findings({"object_lock_configuration": {"object_lock_enabled": "Enabled"}}) == {_fail("S3 bucket \"acme-audit-logs\" holds audit-logs but its Object Lock sets no default retention")}
}

test_fail_object_lock_rule_null if {
	_audit_findings({"object_lock_configuration": {"object_lock_enabled": "Enabled", "rule": null}}) == {_fail("S3 bucket \"acme-audit-logs\" holds audit-logs but its Object Lock sets no default retention")}
}

test_fail_default_retention_without_period if {
	lock := {"rule": {"default_retention": {"mode": "COMPLIANCE", "days": null, "years": null}}}
	_audit_findings({"object_lock_configuration": lock}) == {_fail("S3 bucket \"acme-audit-logs\" holds audit-logs but its Object Lock sets no default retention")}
}

test_fail_default_retention_without_mode if {
	lock := {"rule": {"default_retention": {"days": 365}}}
	_audit_findings({"object_lock_configuration": lock}) == {_fail("S3 bucket \"acme-audit-logs\" holds audit-logs but its Object Lock sets no default retention")}
}

test_fail_evidence_bucket_names_its_purpose if {
	r := object.union(_bucket({"object_lock_configuration": null}), {"tags": {"Purpose": "evidence"}})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("S3 bucket \"acme-audit-logs\" holds evidence but has Object Lock off")}
}

test_missing_object_lock_configuration if {
	_audit_findings({"bucket": "acme-audit-logs"}) == {_indeterminate(
		"S3 bucket \"acme-audit-logs\": object_lock_configuration is missing from the inventory",
		["object_lock_configuration"],
	)}
}

test_unknown_object_lock_rule if {
	r := object.union(_audit({"object_lock_configuration": {"object_lock_enabled": "Enabled"}}), {"unknown": ["object_lock_configuration.rule"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-audit-logs\": object_lock_configuration is known only after apply",
		["object_lock_configuration"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"tags": {"Purpose": "audit-logs"},
		"attributes": {"object_lock_configuration": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

_evidence(days) := object.union(
	_bucket({"object_lock_configuration": {"rule": {"default_retention": {"mode": "COMPLIANCE", "days": days}}}}),
	{"tags": {"Purpose": "evidence"}},
)

# Evidence must outlive the strictest framework's evidence retention (GDPR 2555 days).
test_fail_evidence_locked_shorter_than_evidence_retention if {
	findings := check.findings with input as _inventory([_evidence(400)])
	findings == {expect.fail(
		_metadata, _evidence(400).address, "aws_s3_bucket",
		sprintf("S3 bucket %q holds evidence locked for 400 days, less than the 2555 days required", [_evidence(400).name]),
	)}
}

test_pass_audit_logs_locked_for_the_log_retention if {
	r := _audit({"object_lock_configuration": {"rule": {"default_retention": {"mode": "COMPLIANCE", "days": 365}}}})
	count(check.findings) == 0 with input as _inventory([r])
	r2 := _audit({"object_lock_configuration": {"rule": {"default_retention": {"mode": "COMPLIANCE", "days": 364}}}})
	[f.message | some f in check.findings] == [sprintf("S3 bucket %q holds audit-logs locked for 364 days, less than the 365 days required", [r2.name])] with input as _inventory([r2])
}

test_pass_evidence_retention_follows_the_parameter if {
	inventory := object.union(_inventory([_evidence(400)]), {"parameters": {"evidence_retention_days": {"pci_dss": 365}}})
	count(check.findings) == 0 with input as inventory
}

test_pass_purpose_values_follow_the_parameters if {
	r := object.union(_bucket({"object_lock_configuration": null}), {"tags": {"Purpose": "siem"}})
	count(check.resources) == 0 with input as _inventory([r])
	inventory := object.union(_inventory([r]), {"parameters": {"audit_log_purposes": ["siem"]}})
	count(check.findings) == 1 with input as inventory
}

# Only days set, years null (the usual shape): no arithmetic on null.
test_fail_days_only_with_years_null if {
	r := _audit({"object_lock_configuration": {"rule": {"default_retention": {"mode": "COMPLIANCE", "days": 30, "years": null}}}})
	[f.message | some f in check.findings] == [sprintf("S3 bucket %q holds audit-logs locked for 30 days, less than the 365 days required", [r.name])] with input as _inventory([r])
}
