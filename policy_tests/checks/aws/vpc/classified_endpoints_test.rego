package checks.aws.vpc.classified_endpoints_test

import data.checks.aws.vpc.classified_endpoints as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-NET-006",
	"title": "VPC holding classified data without endpoints for its key AWS services",
	"description": "Without VPC endpoints, traffic from a VPC that holds classified data to S3, KMS and the other services it depends on leaves through a NAT or internet gateway, outside the reach of endpoint policies and aws:SourceVpce conditions that keep the data inside the organization.",
	"severity": "medium",
	"resource_types": ["aws_vpc"],
	"controls": {
		"gdpr": ["Art.32(1)(a)", "Art.32(1)(b)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["1.3.2", "1.4.2"],
		"soc2": ["CC6.6", "CC6.7"],
		"iso27001": ["A.8.20", "A.8.22"],
	},
	"remediation": "Create an aws_vpc_endpoint in the VPC for each service listed in classified_vpc_endpoint_services (a Gateway endpoint for S3 and DynamoDB, Interface endpoints with private DNS for KMS and the others), with an endpoint policy limited to your organization's resources.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0a1b2c3d4e5f60003"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_vpc(tags, endpoints) := {
	"address": _address,
	"type": "aws_vpc",
	"provider": "aws",
	"name": "payments",
	"tags": tags,
	"attributes": {"cidr_block": "10.30.0.0/16", "is_default": false, "vpc_endpoints": endpoints},
}

_pci := {"DataClassification": "pci"}

_endpoint(name, type) := {"service_name": name, "vpc_endpoint_type": type}

_s3 := _endpoint("com.amazonaws.eu-west-1.s3", "Gateway")

_kms := _endpoint("com.amazonaws.eu-west-1.kms", "Interface")

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(services) := expect.fail(_metadata, _address, "aws_vpc", sprintf("VPC \"payments\" holds classified data but has no VPC endpoint for %s", [services]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_endpoints_for_every_service if {
	r := _vpc(_pci, [_s3, _kms, _endpoint("com.amazonaws.eu-west-1.ecr.dkr", "Interface")])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_fips_and_data_classes if {
	r := object.union(
		_vpc({}, [_s3, _endpoint("com.amazonaws.us-gov-west-1.kms-fips", "Interface")]),
		{"data_classes": ["phi"]},
	)
	count(_findings(r)) == 0
}

test_fail_no_endpoints if {
	_findings(_vpc(_pci, [])) == {_fail("kms, s3")}
}

test_fail_one_missing if {
	_findings(_vpc(_pci, [_s3, _endpoint("com.amazonaws.eu-west-1.kms-fips.extra", "Interface")])) == {_fail("kms")}
	_findings(_vpc(_pci, [_kms, _endpoint("com.amazonaws.s3-global.accesspoint", "Interface")])) == {_fail("s3")}
}

test_fail_services_parameter if {
	r := _vpc(_pci, [_s3, _kms])
	findings := check.findings with input as object.union(_inventory([r]), {"parameters": {"classified_vpc_endpoint_services": ["s3", "kms", "secretsmanager"]}})
	findings == {_fail("secretsmanager")}
}

test_pass_not_classified_out_of_scope if {
	r := _vpc({"DataClassification": "public"}, [])
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_missing_vpc_endpoints if {
	r := json.patch(_vpc(_pci, []), [{"op": "remove", "path": "/attributes/vpc_endpoints"}])
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"payments\": vpc_endpoints is missing from the inventory", ["vpc_endpoints"],
	)}
	_findings(_vpc(_pci, null)) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"payments\": vpc_endpoints is not a list of endpoints", ["vpc_endpoints"],
	)}
}

test_unknown_vpc_endpoints if {
	r := object.union(_vpc(_pci, []), {"unknown": ["vpc_endpoints"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"payments\": vpc_endpoints is known only after apply", ["vpc_endpoints"],
	)}
}

test_unknown_endpoint_service_name if {
	r := object.union(_vpc(_pci, [_s3, _endpoint(null, "Interface")]), {"unknown": ["vpc_endpoints.1.service_name"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"payments\": vpc_endpoints is known only after apply", ["vpc_endpoints"],
	)}
}

# An endpoint without a readable service name may be the missing one.
test_missing_endpoint_service_name if {
	_findings(_vpc(_pci, [_s3, {"vpc_endpoint_type": "Interface"}])) == {expect.indeterminate(
		_metadata, _address, "aws_vpc",
		"VPC \"payments\" holds classified data and has no known VPC endpoint for kms; vpc_endpoints.1.service_name not readable",
		["vpc_endpoints.1.service_name"],
	)}
	_findings(_vpc(_pci, [_s3, {"service_name": null}, _kms])) == set()
}
