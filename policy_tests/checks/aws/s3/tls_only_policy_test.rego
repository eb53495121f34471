package checks.aws.s3.tls_only_policy_test

import data.checks.aws.s3.tls_only_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-S3-006",
	"title": "S3 bucket policy does not deny requests without TLS",
	"description": "S3 accepts plain HTTP requests unless the bucket policy denies them, so without a TLS-only policy objects and credentials can cross the network unencrypted.",
	"severity": "medium",
	"resource_types": ["aws_s3_bucket"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Add a bucket policy statement with Effect Deny, Principal \"*\", Action \"s3:*\", Resource the bucket and its objects, and Condition {\"Bool\": {\"aws:SecureTransport\": \"false\"}}.",
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

_fail(message) := expect.fail(_metadata, _address, "aws_s3_bucket", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_s3_bucket", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_bucket(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_deny_insecure := {
	"Sid": "DenyInsecureTransport",
	"Effect": "Deny",
	"Principal": "*",
	"Action": "s3:*",
	"Resource": ["arn:aws:s3:::acme-records", "arn:aws:s3:::acme-records/*"],
	"Condition": {"Bool": {"aws:SecureTransport": "false"}},
}

_allow_reader := {
	"Sid": "AllowReader",
	"Effect": "Allow",
	"Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"},
	"Action": ["s3:GetObject"],
	"Resource": "arn:aws:s3:::acme-records/*",
}

# object.union would merge a new Condition into the old one: replace it whole.
_with_condition(condition) := object.union(object.remove(_deny_insecure, ["Condition"]), {"Condition": condition})

_policy(statements) := {"Version": "2012-10-17", "Statement": statements}

_no_deny_message := "S3 bucket \"acme-records\" bucket policy has no statement denying all S3 actions on the bucket and its objects to everyone whenever aws:SecureTransport is false"

test_pass_tls_only_statement if {
	r := _bucket({"bucket": "acme-records", "policy": _policy([_allow_reader, _deny_insecure])})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# A single Statement object, Principal {"AWS": "*"}, Action lists and a boolean value.
test_pass_statement_variants if {
	statement := object.union(_deny_insecure, {
		"Principal": {"AWS": ["*"]},
		"Action": ["s3:GetObject", "*"],
		"Condition": {"Bool": {"aws:SecureTransport": false}},
	})
	count(_findings({"policy": {"Statement": statement}})) == 0
}

# Condition operators and keys are case-insensitive; BoolIfExists denies too.
test_pass_condition_case_and_bool_if_exists if {
	statement := _with_condition({"boolifexists": {"AWS:SecureTransport": ["false"]}})
	count(_findings({"policy": _policy([statement])})) == 0
}

test_fail_no_bucket_policy if {
	findings := _findings({"bucket": "acme-records", "policy": null})
	findings == {expect.fail(
		_metadata, "arn:aws:s3:::acme-records", "aws_s3_bucket",
		"S3 bucket \"acme-records\" has no bucket policy, so requests without TLS are allowed",
	)}
}

test_fail_policy_without_tls_statement if {
	_findings({"policy": _policy([_allow_reader])}) == {_fail(_no_deny_message)}
}

test_fail_policy_without_statements if {
	_findings({"policy": {"Version": "2012-10-17"}}) == {_fail(_no_deny_message)}
}

test_fail_deny_covers_only_some_actions if {
	statement := object.union(_deny_insecure, {"Action": ["s3:PutObject", "s3:GetObject"]})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_deny_for_one_principal_only if {
	statement := object.union(_deny_insecure, {"Principal": {"AWS": "arn:aws:iam::123456789012:role/reader"}})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_condition_on_secure_transport_true if {
	statement := _with_condition({"Bool": {"aws:SecureTransport": "true"}})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_other_condition_operator if {
	statement := _with_condition({"StringEquals": {"aws:SecureTransport": "false"}})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_allow_with_insecure_condition_is_not_a_deny if {
	statement := object.union(_deny_insecure, {"Effect": "Allow"})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_missing_policy if {
	_findings({"bucket": "acme-records"}) == {_indeterminate(
		"S3 bucket \"acme-records\": policy is missing from the inventory",
		["policy"],
	)}
}

test_unknown_policy if {
	r := object.union(_bucket({"policy": null}), {"unknown": ["policy"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-records\": policy is known only after apply",
		["policy"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"policy": null},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

# The deny must cover the bucket and its objects: one of the two is not enough.
test_fail_deny_covers_objects_only if {
	statement := object.union(_deny_insecure, {"Resource": "arn:aws:s3:::acme-records/*"})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_deny_covers_bucket_only if {
	statement := object.union(_deny_insecure, {"Resource": ["arn:aws:s3:::acme-records"]})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_deny_covers_another_bucket if {
	statement := object.union(_deny_insecure, {"Resource": ["arn:aws:s3:::acme-other", "arn:aws:s3:::acme-other/*"]})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_deny_with_not_resource if {
	statement := object.union(object.remove(_deny_insecure, ["Resource"]), {"NotResource": "arn:aws:s3:::acme-records/public/*"})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

# Two statements, one for the bucket and one for the objects, cover both.
test_pass_bucket_and_objects_in_two_statements if {
	bucket := object.union(_deny_insecure, {"Sid": "DenyBucket", "Resource": "arn:aws:s3:::acme-records"})
	objects := object.union(_deny_insecure, {"Sid": "DenyObjects", "Resource": "arn:aws:s3:::acme-records/*"})
	count(_findings({"bucket": "acme-records", "policy": _policy([bucket, objects])})) == 0
}

# "*" and "arn:aws:s3:::*" cover every bucket and object.
test_pass_wildcard_resources if {
	every resource in ["*", "arn:aws:s3:::*", ["arn:aws:s3:::*"]] {
		statement := object.union(_deny_insecure, {"Resource": resource})
		count(_findings({"policy": _policy([statement])})) == 0
	}
}

# The bucket name comes from attributes.bucket when set, else the resource name.
test_pass_bucket_name_from_attributes if {
	r := object.union(_bucket({"bucket": "acme-records-eu", "policy": _policy([object.union(_deny_insecure, {"Resource": ["arn:aws:s3:::acme-records-eu", "arn:aws:s3:::acme-records-eu/*"]})])}), {"name": "records"})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_resources_of_resource_name_when_bucket_differs if {
	r := object.union(_bucket({"bucket": "acme-records-eu", "policy": _policy([_deny_insecure])}), {"name": "acme-records"})
	[f.status | some f in check.findings] == ["fail"] with input as _inventory([r])
}

# A condition that narrows the deny (to some callers or networks) leaves other
# plain-HTTP requests allowed.
test_fail_deny_narrowed_by_another_condition if {
	narrowed := [
		{"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:PrincipalAccount": "123456789012"}},
		{"Bool": {"aws:SecureTransport": "false", "aws:ViaAWSService": "false"}},
		{"Bool": {"aws:SecureTransport": "false"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
		{"Bool": {"aws:SecureTransport": ["false", "true"]}},
	]
	every condition in narrowed {
		_findings({"policy": _policy([_with_condition(condition)])}) == {_fail(_no_deny_message)}
	}
}

test_fail_deny_without_condition_is_not_tls_only if {
	statement := object.remove(_deny_insecure, ["Condition"])
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

test_fail_deny_for_some_principals_in_service_block if {
	statement := object.union(_deny_insecure, {"Principal": {"Service": "*"}})
	_findings({"policy": _policy([statement])}) == {_fail(_no_deny_message)}
}

# Action matching is case-insensitive; malformed statements are skipped.
test_pass_action_case_and_malformed_statements if {
	statement := object.union(_deny_insecure, {"Action": ["S3:*"]})
	count(_findings({"policy": _policy(["oops", null, {"Sid": 3, "Effect": 1}, statement])})) == 0
}

# A plan can leave the bucket name unknown: a deny that names the bucket by
# ARN cannot be matched, so the outcome is indeterminate, not pass or fail.
test_unknown_bucket_name_with_named_deny if {
	r := object.union(_bucket({"policy": _policy([_deny_insecure])}), {"unknown": ["bucket"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"S3 bucket \"acme-records\": bucket is known only after apply, so whether the TLS-only statement covers it cannot be told",
		["bucket"],
	)}
}

test_pass_unknown_bucket_name_with_wildcard_deny if {
	r := object.union(_bucket({"policy": _policy([object.union(_deny_insecure, {"Resource": "*"})])}), {"unknown": ["bucket"]})
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_unknown_bucket_name_without_any_tls_deny if {
	r := object.union(_bucket({"policy": _policy([_allow_reader])}), {"unknown": ["bucket"]})
	check.findings == {_fail(_no_deny_message)} with input as _inventory([r])
}
