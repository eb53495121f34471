package checks.aws.s3.default_encryption_test

import data.checks.aws.s3.default_encryption as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-002",
	"title": "S3 bucket without default encryption",
	"description": "Without a default encryption rule the bucket declares no encryption of its own, so whether new objects are encrypted at rest, and with which key, is left to each writer instead of being enforced by the bucket.",
	"severity": "high",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Add an aws_s3_bucket_server_side_encryption_configuration with a rule whose apply_server_side_encryption_by_default uses sse_algorithm aws:kms (or AES256) and bucket_key_enabled = true.",
}

_address := "arn:aws:s3:::acme-records"

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
	"name": "acme-records",
	"attributes": attributes,
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_s3_bucket", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_bucket(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_kms_default_encryption if {
	r := _bucket({"bucket": "acme-records", "server_side_encryption": {"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_aes256_default_encryption if {
	count(_findings({"server_side_encryption": {"sse_algorithm": "AES256", "kms_master_key_id": null}})) == 0
}

test_fail_no_default_encryption if {
	findings := _findings({"bucket": "acme-records", "server_side_encryption": null})
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-records", "aws_s3_bucket",
		"S3 bucket \"acme-records\" has no default encryption (server_side_encryption = null)",
	)}
}

test_missing_server_side_encryption if {
	_findings({"bucket": "acme-records"}) == {_indeterminate(
		"S3 bucket \"acme-records\": server_side_encryption is missing from the inventory",
		["server_side_encryption"],
	)}
}

test_unknown_server_side_encryption if {
	r := object.union(_bucket({"bucket": "acme-records"}), {"unknown": ["server_side_encryption"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-records\": server_side_encryption is known only after apply",
		["server_side_encryption"],
	)}
}

# A plan can leave only the key unknown; the rule is then not fully known.
test_unknown_kms_key_inside_rule_is_indeterminate if {
	r := object.union(
		_bucket({"server_side_encryption": {"sse_algorithm": "aws:kms"}}),
		{"unknown": ["server_side_encryption.kms_master_key_id"]},
	)
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
}

# A path listed in unknown wins over a placeholder null: no fail on top of it.
test_unknown_with_placeholder_null_is_only_indeterminate if {
	r := object.union(_bucket({"server_side_encryption": null}), {"unknown": ["server_side_encryption"]})
	findings := check.findings with input as _inventory([r])
	[f.status | some f in findings] == ["indeterminate"]
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"server_side_encryption": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

# A rule without its algorithm was not fully collected: indeterminate, not pass.
test_missing_sse_algorithm_in_rule if {
	_findings({"server_side_encryption": {}}) == {_indeterminate(
		"S3 bucket \"acme-records\": server_side_encryption.sse_algorithm is missing from the inventory",
		["server_side_encryption.sse_algorithm"],
	)}
	_findings({"server_side_encryption": {"kms_master_key_id": null, "bucket_key_enabled": true}}) == {_indeterminate(
		"S3 bucket \"acme-records\": server_side_encryption.sse_algorithm is missing from the inventory",
		["server_side_encryption.sse_algorithm"],
	)}
}

# A rule whose algorithm is empty or null names no encryption: fail.
test_fail_empty_sse_algorithm if {
	_findings({"server_side_encryption": {"sse_algorithm": ""}}) == {_fail("S3 bucket \"acme-records\" default encryption rule names no algorithm (sse_algorithm = \"\")")}
	_findings({"server_side_encryption": {"sse_algorithm": "  "}}) == {_fail("S3 bucket \"acme-records\" default encryption rule names no algorithm (sse_algorithm = \"  \")")}
	_findings({"server_side_encryption": {"sse_algorithm": null}}) == {_fail("S3 bucket \"acme-records\" default encryption rule names no algorithm (sse_algorithm = null)")}
}

test_pass_dsse_kms_default_encryption if {
	r := _bucket({"server_side_encryption": {"sse_algorithm": "aws:kms:dsse"}})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}
