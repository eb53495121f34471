package checks.aws.transfer.plaintext_ftp_test

import data.checks.aws.transfer.plaintext_ftp as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-TRF-001",
	"title": "Transfer Family server accepts plain FTP",
	"description": "FTP sends user names, passwords and every file in clear text; a Transfer Family server that offers it lets anyone on the path read them.",
	"severity": "high",
	"resource_types": ["aws_transfer_server"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Remove FTP from protocols and offer SFTP (or FTPS with a certificate); move partners still on FTP to SFTP.",
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

test_pass_sftp_only if {
	r := _resource("aws_transfer_server", "partners", {"protocols": ["SFTP"], "endpoint_type": "VPC"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_ftps if {
	r := _resource("aws_transfer_server", "partners", {"protocols": ["SFTP", "FTPS"]}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_ftp if {
	r := _resource("aws_transfer_server", "partners", {"protocols": ["SFTP", "FTP"]}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Transfer Family server \"partners\" accepts plain FTP (protocols include FTP)")}
}

test_missing_protocols if {
	r := _resource("aws_transfer_server", "partners", {"endpoint_type": "VPC"}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Transfer Family server \"partners\": protocols is missing from the inventory", ["protocols"])}
}

test_unknown_protocols if {
	r := _resource("aws_transfer_server", "partners", {}, {"unknown": ["protocols"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Transfer Family server \"partners\": protocols is known only after apply", ["protocols"])}
}
