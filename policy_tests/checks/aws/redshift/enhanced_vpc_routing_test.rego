package checks.aws.redshift.enhanced_vpc_routing_test

import data.checks.aws.redshift.enhanced_vpc_routing as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RS-004",
	"title": "Redshift cluster without enhanced VPC routing",
	"description": "Without enhanced VPC routing, COPY and UNLOAD traffic between the cluster and S3 or other sources leaves through AWS's own network paths, outside the VPC's security groups, endpoint policies, network ACLs and flow logs, so bulk data can move where the network controls neither limit nor record it.",
	"severity": "medium",
	"resource_types": ["aws_redshift_cluster"],
	"controls": {"gdpr": ["Art.32(1)(b)"], "hipaa": ["164.312(e)(1)"], "iso27001": ["A.8.20", "A.8.22"], "pci_dss": ["1.3.2", "1.4.4"], "soc2": ["CC6.6", "CC6.7"]},
	"remediation": "Set enhanced_vpc_routing = true and give the cluster's subnets a route to S3 (an S3 gateway endpoint with a policy limited to the buckets it loads from and unloads to, or a NAT gateway).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/redshift", "status": "complete"}],
	"resources": resources,
}

_with_parameters(resources, parameters) := object.union(_inventory(resources), {"parameters": parameters})

_resource(type, name, tags, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": tags,
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_cluster(attributes, unknown) := _resource("aws_redshift_cluster", "warehouse", {}, attributes, unknown)

test_pass_enhanced_vpc_routing if {
	r := _cluster({"enhanced_vpc_routing": true}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_off if {
	r := _cluster({"enhanced_vpc_routing": false}, [])
	check.findings == {expect.fail(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\" moves COPY and UNLOAD traffic outside its VPC (enhanced_vpc_routing = false)",
	)} with input as _inventory([r])
}

test_fail_never_set if {
	r := _cluster({"enhanced_vpc_routing": null}, [])
	check.findings == {expect.fail(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\" moves COPY and UNLOAD traffic outside its VPC (enhanced_vpc_routing = null)",
	)} with input as _inventory([r])
}

test_missing_setting if {
	r := _cluster({"encrypted": true}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": enhanced_vpc_routing is missing from the inventory", ["enhanced_vpc_routing"],
	)} with input as _inventory([r])
}

test_unknown_setting if {
	r := _cluster({}, ["enhanced_vpc_routing"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": enhanced_vpc_routing is known only after apply", ["enhanced_vpc_routing"],
	)} with input as _inventory([r])
}

test_missing_shape_not_boolean if {
	r := _cluster({"enhanced_vpc_routing": "true"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": enhanced_vpc_routing is not a boolean (\"true\")", ["enhanced_vpc_routing"],
	)} with input as _inventory([r])
}

test_missing_shape_number if {
	r := _cluster({"enhanced_vpc_routing": 1}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": enhanced_vpc_routing is not a boolean (1)", ["enhanced_vpc_routing"],
	)} with input as _inventory([r])
}
