package checks.aws.securityhub.standards_subscribed_test

import data.checks.aws.securityhub.standards_subscribed as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SH-002",
	"title": "Security Hub enabled without any security standard",
	"description": "Security Hub with no standard subscribed runs no controls of its own: it only collects other services' findings, and no configuration check (CIS, AWS Foundational Security Best Practices, PCI DSS) is ever evaluated against the account.",
	"severity": "medium",
	"resource_types": ["aws_securityhub_account"],
	"controls": {
		"gdpr": ["Art.32(1)(d)"],
		"hipaa": ["164.308(a)(1)(ii)(D)", "164.308(a)(8)"],
		"pci_dss": ["10.4.1", "11.5.1"],
		"soc2": ["CC4.1", "CC7.1"],
		"iso27001": ["A.5.36", "A.8.16"],
	},
	"remediation": "Subscribe to at least the AWS Foundational Security Best Practices and CIS AWS Foundations standards (aws_securityhub_standards_subscription), or keep enable_default_standards = true on aws_securityhub_account.",
}

_address := "arn:aws:securityhub:eu-west-1:123456789012:hub/default"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/securityhub", "status": "complete"}],
	"resources": resources,
}

_hub(attributes) := {
	"address": _address,
	"type": "aws_securityhub_account",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"name": "123456789012",
	"attributes": attributes,
}

_fsbp := "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0"

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_standard_enabled if {
	r := _hub({"enabled": true, "standards": [_fsbp]})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

# A plan: the default standards come with the account, subscriptions or not.
test_pass_default_standards if {
	count(_findings(_hub({"enable_default_standards": true}))) == 0
	count(_findings(_hub({"enable_default_standards": true, "standards": []}))) == 0
}

test_fail_no_standard if {
	_findings(_hub({"enabled": true, "standards": []})) == {expect.fail(
		_metadata, _address, "aws_securityhub_account",
		"Security Hub in account 123456789012, region eu-west-1 has no security standard enabled (standards = [])",
	)}
	_findings(_hub({"enable_default_standards": false, "standards": []})) == {expect.fail(
		_metadata, _address, "aws_securityhub_account",
		"Security Hub in account 123456789012, region eu-west-1 has no security standard enabled (standards = [])",
	)}
}

test_pass_disabled_hub_out_of_scope if {
	r := _hub({"enabled": false, "standards": []})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_missing_standards if {
	_findings(_hub({"enabled": true, "enable_default_standards": false})) == {expect.indeterminate(
		_metadata, _address, "aws_securityhub_account",
		"Security Hub in account 123456789012, region eu-west-1: standards is missing from the inventory", ["standards"],
	)}
	_findings(_hub({"enabled": true, "standards": null})) == {expect.indeterminate(
		_metadata, _address, "aws_securityhub_account",
		"Security Hub in account 123456789012, region eu-west-1: standards is not a list of standard ARNs", ["standards"],
	)}
}

test_unknown_standards if {
	r := object.union(_hub({"enable_default_standards": false, "standards": [null]}), {"unknown": ["standards.0"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_securityhub_account",
		"Security Hub in account 123456789012, region eu-west-1: standards is known only after apply", ["standards"],
	)}
}
