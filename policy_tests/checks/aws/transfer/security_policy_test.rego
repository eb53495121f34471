package checks.aws.transfer.security_policy_test

import data.checks.aws.transfer.security_policy as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-TRF-003",
	"title": "Transfer Family server uses a weak security policy",
	"description": "The server's security policy sets the SSH and TLS ciphers, MACs and key exchanges it accepts; the oldest policies, the provider's default among them, still allow SHA-1 and CBC algorithms.",
	"severity": "medium",
	"resource_types": ["aws_transfer_server"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set security_policy_name to a current policy such as TransferSecurityPolicy-2024-01 (any policy not listed in transfer_weak_security_policies).",
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

test_pass_current_policy if {
	r := _resource("aws_transfer_server", "partners", {"security_policy_name": "TransferSecurityPolicy-2024-01"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_2018_policy if {
	r := _resource("aws_transfer_server", "partners", {"security_policy_name": "TransferSecurityPolicy-2018-11"}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Transfer Family server \"partners\" uses the weak security policy TransferSecurityPolicy-2018-11")}
}

test_fail_unset_policy_is_the_oldest if {
	r := _resource("aws_transfer_server", "partners", {"security_policy_name": null}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Transfer Family server \"partners\" uses the weak security policy TransferSecurityPolicy-2018-11")}
}

test_fail_parameter_lists_more if {
	r := _resource("aws_transfer_server", "partners", {"security_policy_name": "TransferSecurityPolicy-2020-06"}, {})
	findings := _findings(r, {"transfer_weak_security_policies": ["TransferSecurityPolicy-2018-11", "TransferSecurityPolicy-2020-06"]})
	findings == {expect.fail(_metadata, r.address, r.type, "Transfer Family server \"partners\" uses the weak security policy TransferSecurityPolicy-2020-06")}
}

test_missing_policy if {
	r := _resource("aws_transfer_server", "partners", {"endpoint_type": "VPC"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Transfer Family server \"partners\": security_policy_name is missing from the inventory", ["security_policy_name"])}
}

test_unknown_policy if {
	r := _resource("aws_transfer_server", "partners", {}, {"unknown": ["security_policy_name"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Transfer Family server \"partners\": security_policy_name is known only after apply", ["security_policy_name"])}
}
