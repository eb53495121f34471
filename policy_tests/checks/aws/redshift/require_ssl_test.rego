package checks.aws.redshift.require_ssl_test

import data.checks.aws.redshift.require_ssl as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RS-006",
	"title": "Redshift parameter group does not require SSL",
	"description": "Unless the cluster's parameter group sets require_ssl to true, Redshift accepts clear-text connections, and query results and credentials cross the network readable; whether a group requires it by default depends on its family, so only a recorded true passes.",
	"severity": "high",
	"resource_types": ["aws_redshift_cluster"],
	"controls": {"gdpr": ["Art.32(1)(a)"], "hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"], "iso27001": ["A.8.24", "A.5.14"], "pci_dss": ["4.2.1"], "soc2": ["CC6.7"]},
	"remediation": "Use a custom cluster parameter group (aws_redshift_parameter_group) with the parameter require_ssl = true, set it as the cluster's cluster_parameter_group_name, and reboot the cluster to apply it.",
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

_cluster(parameters, unknown) := _resource("aws_redshift_cluster", "warehouse", {}, {"parameter_group": {"name": "warehouse-params", "family": "redshift-1.0", "parameters": parameters}}, unknown)

test_pass_require_ssl_true if {
	r := _cluster({"require_ssl": "true", "enable_user_activity_logging": "true"}, [])
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_pass_value_without_case if {
	r := _cluster({"require_ssl": " TRUE "}, [])
	count(check.findings) == 0 with input as _inventory([r])
}

test_fail_require_ssl_false if {
	r := _cluster({"require_ssl": "false"}, [])
	check.findings == {expect.fail(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\" accepts unencrypted connections: parameter group \"warehouse-params\" sets require_ssl = \"false\"",
	)} with input as _inventory([r])
}

test_missing_parameter_group if {
	r := _resource("aws_redshift_cluster", "warehouse", {}, {"encrypted": true}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": parameter_group.parameters is missing from the inventory", ["parameter_group.parameters"],
	)} with input as _inventory([r])
}

test_unknown_parameter if {
	r := _cluster({}, ["parameter_group.parameters.require_ssl"])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": parameter_group.parameters is known only after apply", ["parameter_group.parameters"],
	)} with input as _inventory([r])
}

# A plan lists only the parameters a group sets; the default depends on the family.
test_missing_require_ssl_not_listed if {
	r := _cluster({"enable_user_activity_logging": "true"}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": parameter require_ssl is missing from parameter_group.parameters", ["parameter_group.parameters"],
	)} with input as _inventory([r])
}

test_missing_shape_value_not_text if {
	r := _cluster({"require_ssl": null}, [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": parameter require_ssl is not recorded in parameter_group.parameters (null)", ["parameter_group.parameters"],
	)} with input as _inventory([r])
}

test_missing_shape_parameters_not_object if {
	r := _cluster(["require_ssl=true"], [])
	check.findings == {expect.indeterminate(
		_metadata, "aws_redshift_cluster.warehouse", "aws_redshift_cluster",
		"Redshift cluster \"warehouse\": parameter_group.parameters is not an object of parameter values", ["parameter_group.parameters"],
	)} with input as _inventory([r])
}
