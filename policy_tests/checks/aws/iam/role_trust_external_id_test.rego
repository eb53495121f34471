package checks.aws.iam.role_trust_external_id_test

import data.checks.aws.iam.role_trust_external_id as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-IAM-105",
	"title": "IAM role trusts another account without an external id",
	"description": "A role that another AWS account may assume without an sts:ExternalId condition can be used by anyone who persuades that account's service to act for them (the confused deputy problem), reaching your data with the role's permissions.",
	"severity": "high",
	"resource_types": ["aws_iam_role"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.5.15", "A.8.2"],
	},
	"remediation": "Add a Condition {\"StringEquals\": {\"sts:ExternalId\": \"<value agreed with the third party>\"}} to the statement, or list your own organization's accounts in trusted_account_ids.",
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

test_pass_own_account if {
	r := _resource("aws_iam_role", "ops", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_external_id if {
	r := _resource("aws_iam_role", "vendor", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Condition": {"StringEquals": {"sts:ExternalId": "a1b2"}}}]}}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_trusted_account_parameter if {
	r := _resource("aws_iam_role", "org", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "999988887777"}}]}}, {})
	count(_findings(r, {"trusted_account_ids": ["999988887777"]})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_other_account if {
	r := _resource("aws_iam_role", "vendor", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ["arn:aws:iam::999988887777:root", "arn:aws:iam::111122223333:role/deployer"]}}]}}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role \"vendor\" trusts other account(s) 111122223333, 999988887777 without an sts:ExternalId condition")}
}

test_fail_own_account_from_arn if {
	r := _resource("aws_iam_role", "vendor", {"arn": "arn:aws:iam::123456789012:role/vendor", "assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "999988887777"}}]}}, {"account": null})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "IAM role \"vendor\" trusts other account(s) 999988887777 without an sts:ExternalId condition")}
}

test_unknown_own_account if {
	r := _resource("aws_iam_role", "vendor", {"assume_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}}]}}, {"account": null, "unknown": ["arn"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role \"vendor\" trusts account(s) 999988887777 without an sts:ExternalId condition, and its own account is not known", ["arn"])}
}

test_missing_trust_policy if {
	r := _resource("aws_iam_role", "vendor", {"name": "vendor"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role \"vendor\": assume_role_policy is missing from the inventory", ["assume_role_policy"])}
}

test_unknown_trust_policy if {
	r := _resource("aws_iam_role", "vendor", {}, {"unknown": ["assume_role_policy"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "IAM role \"vendor\": assume_role_policy is known only after apply", ["assume_role_policy"])}
}
