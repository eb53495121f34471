package checks.aws.redshift.audit_logging_test

import data.checks.aws.redshift.audit_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-RS-003",
	"title": "Redshift audit logging disabled",
	"description": "Without audit logging there is no record of who connected to the data warehouse and what they ran, so misuse of the data cannot be detected or investigated.",
	"severity": "medium",
	"resource_types": ["aws_redshift_cluster"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Turn on audit logging (aws_redshift_logging) to CloudWatch Logs or S3 with the connectionlog, userlog and useractivitylog exports, and set enable_user_activity_logging = true in the cluster parameter group.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/redshift", "status": "complete"}],
	"resources": resources,
}

_cluster(attributes) := {
	"address": "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse",
	"type": "aws_redshift_cluster",
	"provider": "aws",
	"name": "warehouse",
	"attributes": attributes,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_logging_to_cloudwatch if {
	r := _cluster({"logging": {"log_destination_type": "cloudwatch", "log_exports": ["connectionlog", "userlog", "useractivitylog"]}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_legacy_logging_block_enabled if {
	r := _cluster({"logging": {"enable": true, "bucket_name": "acme-redshift-audit"}})
	count(check.findings) == 0 with input as _inventory([r])
	r in check.resources with input as _inventory([r])
}

test_fail_no_logging if {
	r := _cluster({"logging": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\" has no audit logging (logging = null)",
	)}
}

test_fail_legacy_logging_block_disabled if {
	r := _cluster({"logging": {"enable": false, "bucket_name": null}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\" has no audit logging (logging.enable = false)",
	)}
}

test_missing_logging if {
	r := _cluster({"encrypted": true})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\": logging is missing from the inventory", ["logging"],
	)}
}

test_unknown_logging if {
	r := object.union(_cluster({"logging": null}), {"unknown": ["logging"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster",
		"aws_redshift_cluster \"warehouse\": logging is known only after apply", ["logging"],
	)}
}

# An enable flag known only after apply makes the block undecidable, placeholder or not.
test_unknown_enable_with_placeholder_value_is_only_indeterminate if {
	r := object.union(_cluster({"logging": {"enable": false}}), {"unknown": ["logging.enable"]})
	[f.status | some f in check.findings] == ["indeterminate"] with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	cluster := {
		"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"type": "aws_rds_cluster",
		"provider": "aws",
		"name": "analytics",
		"attributes": {"logging": null},
	}
	count(check.findings) == 0 with input as _inventory([cluster])
	count(check.resources) == 0 with input as _inventory([cluster])
}

_indeterminate(message, paths) := expect.indeterminate(_metadata, "arn:aws:redshift:eu-west-1:123456789012:cluster:warehouse", "aws_redshift_cluster", message, paths)

# A logging block without enable does not say whether logging is on.
test_missing_logging_enable if {
	every logging in [{}, {"bucket_name": "acme-redshift-audit"}] {
		r := _cluster({"logging": logging})
		check.findings == {_indeterminate("aws_redshift_cluster \"warehouse\": logging.enable is missing from the inventory", ["logging.enable"])} with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

test_missing_logging_enable_null if {
	r := _cluster({"logging": {"enable": null, "bucket_name": "acme-redshift-audit"}})
	check.findings == {_indeterminate("aws_redshift_cluster \"warehouse\": logging.enable is not recorded (null)", ["logging.enable"])} with input as _inventory([r])
}

test_unknown_logging_enable if {
	r := object.union(_cluster({"logging": {"bucket_name": "acme-redshift-audit"}}), {"unknown": ["logging.enable"]})
	check.findings == {_indeterminate("aws_redshift_cluster \"warehouse\": logging is known only after apply", ["logging"])} with input as _inventory([r])
}
