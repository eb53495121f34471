package checks.aws.iam.wildcard_resource_write_test

import data.checks.aws.iam.wildcard_resource_write as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-102",
	"title": "IAM policy allows write actions on every resource",
	"description": "A statement that allows changing, deleting or creating on Resource \"*\" reaches every bucket, table, key and instance of those services in the account, present and future, not just the ones the holder works with.",
	"severity": "medium",
	"resource_types": ["aws_iam_group_policy", "aws_iam_policy", "aws_iam_role", "aws_iam_role_policy", "aws_iam_user_policy"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Name the resources (ARNs, with account and resource names or prefixes) each write action needs; keep \"*\" only for read-only actions and for the few actions that take no resource.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
		"attributes": attributes,
	},
	extra,
)

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_scoped_writes_and_wildcard_reads if {
	r := _resource("aws_iam_policy", "app", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::orders/*"}, {"Effect": "Allow", "Action": ["ec2:Describe*", "s3:ListAllMyBuckets", "logs:GetLogEvents"], "Resource": "*"}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_service_wildcards_on_every_resource if {
	r := _resource("aws_iam_role_policy", "ec2policy", {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "ec2:*", "rds:*"], "Resource": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role inline policy \"ec2policy\" allows write actions on every resource in statement(s) #0 (ec2:*, rds:*, s3:*)")}
}

test_fail_managed_policy_delete if {
	r := _resource("aws_iam_policy", "cleanup", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::orders/*"}, {"Sid": "Cleanup", "Effect": "Allow", "Action": ["s3:DeleteObject", "s3:GetObject"], "Resource": "arn:aws:s3:::*/*"}, {"Sid": "Purge", "Effect": "Allow", "Action": "dynamodb:DeleteTable", "Resource": ["*"]}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM policy \"cleanup\" allows write actions on every resource in statement(s) Purge (dynamodb:DeleteTable)")}
}

test_fail_not_action if {
	r := _resource("aws_iam_user_policy", "ops", {"policy": {"Version": "2012-10-17", "Statement": [{"Sid": "Most", "Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM user inline policy \"ops\" allows write actions on every resource in statement(s) Most (NotAction)")}
}

test_pass_prefixes_from_parameter if {
	r := _resource("aws_iam_policy", "app", {"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:FilterLogEvents", "Resource": "*"}]}}, {})
	count(_findings(r, {"iam_read_only_action_prefixes": ["filter"]})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_missing_policy if {
	r := _resource("aws_iam_policy", "app", {"name": "app"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM policy \"app\": policy is missing from the inventory", ["policy"])}
}

test_unknown_policy if {
	r := _resource("aws_iam_group_policy", "ops", {}, {"unknown": ["policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM group inline policy \"ops\": policy is known only after apply", ["policy"])}
}
