package checks.aws.iam.admin_policy_test

import data.checks.aws.iam.admin_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-005",
	"title": "IAM policy grants every action on every resource",
	"description": "A policy that allows Action \"*\" (or NotAction) on Resource \"*\" (or NotResource) gives whoever holds it full administrator rights, including reading all data, changing IAM and turning off logging, far beyond least privilege.",
	"severity": "high",
	"resource_types": ["aws_iam_policy"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.8.2", "A.5.15"],
	},
	"remediation": "Replace the statement with the actions and resources the holders need (IAM Access Analyzer can generate one from CloudTrail activity); keep full administrator access to a few break-glass roles.",
}

_address := "arn:aws:iam::123456789012:policy/ops-admin"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/global/iam", "status": "complete"}],
	"resources": resources,
}

_iam_policy(attributes) := {
	"address": _address,
	"type": "aws_iam_policy",
	"provider": "aws",
	"name": "ops-admin",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_iam_policy", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_iam_policy", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_iam_policy(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_admin := {"Sid": "FullAdmin", "Effect": "Allow", "Action": "*", "Resource": "*"}

_read_orders := {
	"Sid": "ReadOrders",
	"Effect": "Allow",
	"Action": ["s3:GetObject", "s3:ListBucket"],
	"Resource": ["arn:aws:s3:::acme-orders", "arn:aws:s3:::acme-orders/*"],
}

_policy(statements) := {"Version": "2012-10-17", "Statement": statements}

_admin_message(names) := sprintf("IAM policy \"ops-admin\" allows every action on every resource in statement(s) %s", [names])

test_pass_scoped_policy if {
	r := _iam_policy({"name": "ops-admin", "policy": _policy([_read_orders])})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_service_wildcard_is_not_every_action if {
	statement := object.union(_admin, {"Action": "s3:*"})
	count(_findings({"policy": _policy([statement])})) == 0
}

test_pass_every_action_on_one_resource if {
	statement := object.union(_admin, {"Resource": "arn:aws:s3:::acme-orders/*"})
	count(_findings({"policy": _policy([statement])})) == 0
}

test_pass_deny_everything if {
	statement := object.union(_admin, {"Effect": "Deny"})
	count(_findings({"policy": _policy([statement])})) == 0
}

test_pass_no_policy_document if {
	count(_findings({"policy": null})) == 0
}

test_fail_full_admin_statement if {
	findings := _findings({"name": "ops-admin", "policy": _policy([_read_orders, _admin])})
	findings == {expect.fail(
		_metadata, "arn:aws:iam::123456789012:policy/ops-admin", "aws_iam_policy",
		"IAM policy \"ops-admin\" allows every action on every resource in statement(s) FullAdmin",
	)}
}

# Lists holding "*", no Sid: named by position.
test_fail_wildcards_inside_lists_without_sid if {
	statement := {"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]}
	_findings({"policy": _policy([_read_orders, statement])}) == {_fail("IAM policy \"ops-admin\" allows every action on every resource in statement(s) #1")}
}

# A condition does not make full access least-privilege; Statement may be one object.
test_fail_single_statement_with_condition if {
	statement := object.union(_admin, {"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})
	_findings({"policy": {"Statement": statement}}) == {_fail("IAM policy \"ops-admin\" allows every action on every resource in statement(s) FullAdmin")}
}

test_missing_policy if {
	_findings({"name": "ops-admin"}) == {_indeterminate(
		"IAM policy \"ops-admin\": policy is missing from the inventory",
		["policy"],
	)}
}

test_unknown_policy if {
	r := object.union(_iam_policy({"policy": null}), {"unknown": ["policy"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"IAM policy \"ops-admin\": policy is known only after apply",
		["policy"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"policy": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

# A null, numeric or empty Sid is no name: the statement is named by position
# (concat on a non-string Sid used to raise a builtin error and stop the scan).
test_fail_numeric_sid_named_by_position if {
	statement := {"Sid": 1, "Effect": "Allow", "Action": "*", "Resource": "*"}
	_findings({"policy": {"Statement": [statement]}}) == {_fail(_admin_message("#0"))}
}

test_fail_null_and_empty_sid_named_by_position if {
	null_sid := object.union(_admin, {"Sid": null})
	empty_sid := object.union(_admin, {"Sid": ""})
	_findings({"policy": _policy([_read_orders, null_sid, empty_sid])}) == {_fail(_admin_message("#1, #2"))}
}

# NotAction allows every action but the ones listed: on every resource that is
# still administrator access.
test_fail_not_action_on_every_resource if {
	statement := object.union(object.remove(_admin, ["Action"]), {"NotAction": ["iam:*", "organizations:*"]})
	_findings({"policy": _policy([statement])}) == {_fail(_admin_message("FullAdmin"))}
}

# NotResource with every action is every resource but a few.
test_fail_every_action_with_not_resource if {
	statement := object.union(object.remove(_admin, ["Resource"]), {"NotResource": "arn:aws:s3:::acme-audit/*"})
	_findings({"policy": _policy([statement])}) == {_fail(_admin_message("FullAdmin"))}
}

test_fail_service_and_action_wildcard if {
	statement := object.union(_admin, {"Action": "*:*"})
	_findings({"policy": _policy([statement])}) == {_fail(_admin_message("FullAdmin"))}
	in_list := object.union(_admin, {"Action": ["*:*"], "Resource": ["*"]})
	_findings({"policy": _policy([in_list])}) == {_fail(_admin_message("FullAdmin"))}
}

# ARNs made only of wildcards name every resource.
test_fail_wildcard_only_resource_arns if {
	every resource in ["arn:aws:*:*:*:*", "arn:*:*:*:*:*", "arn:*", "arn:aws:*", ["arn:aws-us-gov:*:*:*:*"]] {
		statement := object.union(_admin, {"Resource": resource})
		_findings({"policy": _policy([statement])}) == {_fail(_admin_message("FullAdmin"))}
	}
}

# An ARN that names a service, account or resource type is not every resource.
test_pass_partly_wildcard_resource_arns if {
	every resource in ["arn:aws:s3:::*", "arn:aws:*:*:123456789012:*", "arn:aws:iam::*:role/*"] {
		statement := object.union(_admin, {"Resource": resource})
		count(_findings({"policy": _policy([statement])})) == 0
	}
}

# Effect must be exactly "Allow"; anything else, or a malformed statement, is
# skipped without an error.
test_pass_other_effects_and_malformed_statements if {
	count(_findings({"policy": _policy([
		object.union(_admin, {"Effect": "allow"}),
		object.union(_admin, {"Effect": null}),
		object.union(_admin, {"Action": 5, "Resource": [null, 3]}),
		"oops",
		null,
	])})) == 0
	count(_findings({"policy": {"Statement": "oops"}})) == 0
}

test_pass_not_action_on_one_resource if {
	statement := object.union(object.remove(_admin, ["Action"]), {"NotAction": "iam:*", "Resource": "arn:aws:s3:::acme-orders/*"})
	count(_findings({"policy": _policy([statement])})) == 0
}
