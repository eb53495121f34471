package checks.aws.kms.key_policy_wildcard_principal_test

import data.checks.aws.kms.key_policy_wildcard_principal as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-KMS-002",
	"title": "KMS key policy allows any principal without a condition",
	"description": "A key policy statement that allows Principal \"*\" (or AWS \"*\", or uses NotPrincipal) without a condition limiting the caller lets any AWS account's principals use or manage the key, so the key no longer limits who can decrypt the data it protects.",
	"severity": "critical",
	"resource_types": ["aws_kms_key"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["3.6.1", "7.2.1"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.8.24", "A.5.15"],
	},
	"remediation": "Name the account root, roles or services in the statement's Principal, or keep \"*\" only with a Condition that scopes it (kms:CallerAccount, kms:ViaService, aws:PrincipalOrgID).",
}

_address := "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/kms", "status": "complete"}],
	"resources": resources,
}

_key(attributes) := {
	"address": _address,
	"type": "aws_kms_key",
	"provider": "aws",
	"name": "orders-key",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_kms_key", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_kms_key", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_key(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_root := {
	"Sid": "EnableRootPermissions",
	"Effect": "Allow",
	"Principal": {"AWS": "arn:aws:iam::123456789012:root"},
	"Action": "kms:*",
	"Resource": "*",
}

_public := {
	"Sid": "PublicUse",
	"Effect": "Allow",
	"Principal": "*",
	"Action": ["kms:Decrypt", "kms:GenerateDataKey"],
	"Resource": "*",
}

_policy(statements) := {"Version": "2012-10-17", "Statement": statements}

_open_message(names) := sprintf("KMS key \"orders-key\" policy allows any principal without a condition limiting the caller in statement(s) %s", [names])

test_pass_account_scoped_key_policy if {
	r := _key({"key_id": "0f1e2d3c-0000-4000-8000-000000000001", "policy": _policy([_root])})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_wildcard_principal_with_condition if {
	statement := object.union(_public, {"Condition": {"StringEquals": {"kms:CallerAccount": "123456789012"}}})
	count(_findings({"policy": _policy([_root, statement])})) == 0
}

test_pass_wildcard_principal_in_deny if {
	statement := object.union(_public, {"Effect": "Deny"})
	count(_findings({"policy": _policy([_root, statement])})) == 0
}

test_pass_no_policy_document if {
	count(_findings({"policy": null})) == 0
}

test_fail_wildcard_principal if {
	findings := _findings({"key_id": "0f1e2d3c-0000-4000-8000-000000000001", "policy": _policy([_root, _public])})
	findings == {expect.fail(
		_metadata, "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001", "aws_kms_key",
		"KMS key \"orders-key\" policy allows any principal without a condition limiting the caller in statement(s) PublicUse",
	)}
}

# A statement without Sid is named by its position; AWS "*" in a list counts.
test_fail_aws_wildcard_in_list_without_sid if {
	statement := object.remove(object.union(_public, {"Principal": {"AWS": ["arn:aws:iam::123456789012:root", "*"]}}), ["Sid"])
	_findings({"policy": _policy([_root, statement])}) == {_fail("KMS key \"orders-key\" policy allows any principal without a condition limiting the caller in statement(s) #1")}
}

# Statement as a single object, Principal {"AWS": "*"} and an empty Condition.
test_fail_single_statement_with_empty_condition if {
	statement := object.union(object.remove(_public, ["Sid"]), {"Principal": {"AWS": "*"}, "Condition": {}})
	_findings({"policy": {"Statement": statement}}) == {_fail("KMS key \"orders-key\" policy allows any principal without a condition limiting the caller in statement(s) #0")}
}

test_fail_names_every_open_statement if {
	second := object.union(_public, {"Sid": "AlsoPublic"})
	_findings({"policy": _policy([_public, _root, second])}) == {_fail("KMS key \"orders-key\" policy allows any principal without a condition limiting the caller in statement(s) PublicUse, AlsoPublic")}
}

test_missing_policy if {
	_findings({"key_id": "0f1e2d3c-0000-4000-8000-000000000001"}) == {_indeterminate(
		"KMS key \"orders-key\": policy is missing from the inventory",
		["policy"],
	)}
}

test_unknown_policy if {
	r := object.union(_key({"policy": null}), {"unknown": ["policy"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"KMS key \"orders-key\": policy is known only after apply",
		["policy"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

# A null, numeric or empty Sid is no name: the statement is named by position
# (concat on a non-string Sid used to raise a builtin error and stop the scan).
test_fail_null_sid_named_by_position if {
	statement := {"Sid": null, "Effect": "Allow", "Principal": "*", "Action": "kms:*"}
	_findings({"policy": {"Statement": [statement]}}) == {_fail(_open_message("#0"))}
}

test_fail_numeric_and_empty_sid_named_by_position if {
	numeric := object.union(_public, {"Sid": 7})
	empty := object.union(_public, {"Sid": ""})
	_findings({"policy": _policy([_root, numeric, empty])}) == {_fail(_open_message("#1, #2"))}
}

# An empty condition block limits nobody.
test_fail_empty_condition_operator_block if {
	statement := object.union(_public, {"Condition": {"StringEquals": {}}})
	_findings({"policy": _policy([_root, statement])}) == {_fail(_open_message("PublicUse"))}
}

# A condition on something other than the caller (here the encryption
# context) does not limit who can use the key.
test_fail_condition_not_restricting_caller if {
	statement := object.union(_public, {"Condition": {"StringEquals": {"kms:EncryptionContext:app": "orders"}}})
	_findings({"policy": _policy([_root, statement])}) == {_fail(_open_message("PublicUse"))}
}

test_fail_caller_condition_with_empty_value if {
	statement := object.union(_public, {"Condition": {"StringEquals": {"kms:CallerAccount": ""}}})
	_findings({"policy": _policy([_root, statement])}) == {_fail(_open_message("PublicUse"))}
	empty_list := object.union(_public, {"Condition": {"StringEquals": {"kms:CallerAccount": []}}})
	_findings({"policy": _policy([_root, empty_list])}) == {_fail(_open_message("PublicUse"))}
}

# A negated or IfExists operator, or a Null test, lets callers through
# instead of naming them.
test_fail_negated_or_if_exists_caller_condition if {
	negated := object.union(_public, {"Condition": {"StringNotEquals": {"kms:CallerAccount": "999999999999"}}})
	_findings({"policy": _policy([negated])}) == {_fail(_open_message("PublicUse"))}
	if_exists := object.union(_public, {"Condition": {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}}})
	_findings({"policy": _policy([if_exists])}) == {_fail(_open_message("PublicUse"))}
	null_test := object.union(_public, {"Condition": {"Null": {"aws:PrincipalOrgID": "false"}}})
	_findings({"policy": _policy([null_test])}) == {_fail(_open_message("PublicUse"))}
}

# Allow with NotPrincipal allows everyone but the principals it names.
test_fail_allow_with_not_principal if {
	statement := object.union(object.remove(_public, ["Principal"]), {"NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/blocked"}})
	_findings({"policy": _policy([_root, statement])}) == {_fail(_open_message("PublicUse"))}
}

test_pass_deny_with_not_principal if {
	statement := object.union(object.remove(_public, ["Principal"]), {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}})
	count(_findings({"policy": _policy([_root, statement])})) == 0
}

# Each caller-restricting key counts, whatever its case, with a list value too.
test_pass_caller_restricting_condition_keys if {
	conditions := [
		{"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
		{"StringEquals": {"AWS:PrincipalOrgID": ["o-abc123def4"]}},
		{"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
		{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/app-*"}},
		{"StringEquals": {"aws:SourceAccount": "123456789012"}},
		{"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::acme-orders"}},
		{"StringEquals": {"aws:SourceVpc": "vpc-0123456789abcdef0"}},
		{"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}},
		{"stringequals": {"KMS:CALLERACCOUNT": "123456789012"}},
		{"ForAnyValue:StringEquals": {"kms:CallerAccount": ["123456789012", "210987654321"]}},
		{"StringEquals": {"kms:EncryptionContext:app": "orders", "kms:CallerAccount": "123456789012"}},
	]
	every condition in conditions {
		statement := object.union(_public, {"Condition": condition})
		count(_findings({"policy": _policy([_root, statement])})) == 0
	}
}

# Action as a string or a list does not matter; a Statement object works.
test_fail_single_statement_object_with_action_string if {
	statement := object.union(_public, {"Action": "kms:Decrypt"})
	_findings({"policy": {"Statement": statement}}) == {_fail(_open_message("PublicUse"))}
}

# A malformed statement (not an object) or Effect is skipped, not an error.
test_pass_malformed_statements_ignored if {
	count(_findings({"policy": {"Statement": ["oops", 3, null, {"Effect": 1, "Principal": "*"}]}})) == 0
	count(_findings({"policy": {"Statement": "oops"}})) == 0
}
