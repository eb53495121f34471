package checks.aws.securityhub.enabled_test

import data.checks.aws.securityhub.enabled as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SH-001",
	"title": "Security Hub not enabled",
	"description": "Without Security Hub in an account and region, findings from GuardDuty, Inspector, Macie and Config rules are not gathered or checked against a security standard, so no one sees the region's posture in one place.",
	"severity": "medium",
	"resource_types": ["aws_securityhub_account"],
	"controls": {
		"gdpr": ["Art.32(1)(d)", "Art.33(1)"],
		"hipaa": ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)"],
		"pci_dss": ["10.4.1", "11.5.1"],
		"soc2": ["CC7.2", "CC7.3"],
		"iso27001": ["A.8.16", "A.5.25"],
	},
	"remediation": "Enable Security Hub (aws_securityhub_account) in every account and region in use, with the AWS Foundational Security Best Practices standard, and aggregate findings to the security account.",
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

test_pass_enabled if {
	r := _resource("aws_securityhub_account", "main", {"enabled": true}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_not_enabled if {
	r := _resource("aws_securityhub_account", "main", {"enabled": false}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Security Hub is not enabled in account 123456789012, region eu-west-1 (enabled = false)")}
}

test_missing_enabled if {
	r := _resource("aws_securityhub_account", "main", {"enable_default_standards": true}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Security Hub in account 123456789012, region eu-west-1: enabled is missing from the inventory", ["enabled"])}
}

test_unknown_enabled if {
	r := _resource("aws_securityhub_account", "main", {}, {"unknown": ["enabled"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Security Hub in account 123456789012, region eu-west-1: enabled is known only after apply", ["enabled"])}
}
