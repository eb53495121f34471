package checks.aws.transfer.public_endpoint_test

import data.checks.aws.transfer.public_endpoint as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-TRF-002",
	"title": "Transfer Family server has a public endpoint",
	"description": "A PUBLIC endpoint cannot be limited by security groups or source addresses, so the server's login is open to password guessing from the whole internet.",
	"severity": "medium",
	"resource_types": ["aws_transfer_server"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.1", "1.4.2"],
		"soc2": ["CC6.6"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Set endpoint_type = \"VPC\" with endpoint_details naming private subnets, security groups that allow only partner addresses, and Elastic IPs only where partners must reach it from the internet.",
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

test_pass_vpc_endpoint if {
	r := _resource("aws_transfer_server", "partners", {"endpoint_type": "VPC"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_public if {
	r := _resource("aws_transfer_server", "partners", {"endpoint_type": "PUBLIC"}, {})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "Transfer Family server \"partners\" has a public endpoint (endpoint_type = PUBLIC)")}
}

test_missing_endpoint_type if {
	r := _resource("aws_transfer_server", "partners", {"protocols": ["SFTP"]}, {})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Transfer Family server \"partners\": endpoint_type is missing from the inventory", ["endpoint_type"])}
}

test_unknown_endpoint_type if {
	r := _resource("aws_transfer_server", "partners", {}, {"unknown": ["endpoint_type"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Transfer Family server \"partners\": endpoint_type is known only after apply", ["endpoint_type"])}
}
