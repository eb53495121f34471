package checks.aws.residency.personal_data_region_test

import data.checks.aws.residency.personal_data_region as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-REG-001",
	"title": "Personal data stored outside the allowed regions",
	"description": "Personal data stored in a region outside the allowed ones (by default the EU/EEA regions) is a transfer to a third country, lawful only under an adequacy decision or appropriate safeguards; data residency keeps it where the transfer assessment says it may be.",
	"severity": "high",
	"resource_types": [
		"aws_db_instance",
		"aws_rds_cluster",
		"aws_db_snapshot",
		"aws_db_cluster_snapshot",
		"aws_s3_bucket",
		"aws_dynamodb_table",
		"aws_redshift_cluster",
		"aws_ebs_volume",
		"aws_elasticache_replication_group",
		"aws_sagemaker_notebook_instance",
		"aws_sagemaker_model",
		"aws_cloudwatch_log_group",
		"aws_backup_vault",
		"aws_secretsmanager_secret",
	],
	"controls": {"gdpr": ["Art.44", "Art.46(1)"], "iso27001": ["A.5.34", "A.5.31"]},
	"remediation": "Move the data to an allowed region (restore a snapshot or replicate there, then delete the copy outside), or, where the transfer is lawful under an adequacy decision or appropriate safeguards, add the region to allowed_regions with `opa-comply scan --config`.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/us-east-1/rds", "status": "complete"}],
	"resources": resources,
}

_instance(region) := {
	"address": "arn:aws:rds:us-east-1:123456789012:db:customers",
	"type": "aws_db_instance",
	"provider": "aws",
	"account": "123456789012",
	"region": region,
	"name": "customers",
	"tags": {"DataClassification": "pii"},
	"data_classes": ["pii"],
	"attributes": {"engine": "postgres", "storage_encrypted": true},
}

_bucket(region, data_classes, tags) := {
	"address": "arn:aws:s3:::acme-patient-scans",
	"type": "aws_s3_bucket",
	"provider": "aws",
	"region": region,
	"name": "acme-patient-scans",
	"tags": tags,
	"data_classes": data_classes,
	"attributes": {"bucket": "acme-patient-scans"},
}

_finding(r, status, message, paths) := expect.finding(_metadata, r.address, r.type, status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_personal_data_in_allowed_region if {
	r := _instance("eu-central-1")
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_personal_data_in_us_region if {
	r := _instance("us-east-1")
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:rds:us-east-1:123456789012:db:customers", "aws_db_instance",
		"aws_db_instance \"customers\" holds personal data (pii) in region \"us-east-1\", outside allowed_regions",
	)}
}

# Personal data classes come from data_classes and from classification tags.
test_fail_health_data_from_tag_only if {
	r := _bucket("ap-southeast-2", [], {"Classification": "PHI, confidential"})
	check.findings == {_finding(r, "fail", "aws_s3_bucket \"acme-patient-scans\" holds personal data (phi) in region \"ap-southeast-2\", outside allowed_regions", [])} with input as _inventory([r])
}

test_fail_lists_every_personal_class if {
	r := _bucket("us-west-2", ["pii", "pci"], {"DataClassification": "phi"})
	check.findings == {_finding(r, "fail", "aws_s3_bucket \"acme-patient-scans\" holds personal data (phi, pii) in region \"us-west-2\", outside allowed_regions", [])} with input as _inventory([r])
}

test_missing_region_absent if {
	r := object.remove(_instance(null), ["region"])
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:rds:us-east-1:123456789012:db:customers", "aws_db_instance",
		"aws_db_instance \"customers\" holds personal data (pii) but its region is not recorded", ["region"],
	)}
}

test_missing_region_null_or_empty if {
	every region in [null, "", " "] {
		r := _instance(region)
		check.findings == {_finding(r, "indeterminate", "aws_db_instance \"customers\" holds personal data (pii) but its region is not recorded", ["region"])} with input as _inventory([r])
	}
}

test_pass_non_personal_data_out_of_scope if {
	every classes in [[], ["pci"], ["confidential", "public"]] {
		r := _bucket("us-east-1", classes, {})
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_pass_region_missing_without_personal_data if {
	r := object.remove(_bucket(null, ["pci"], {}), ["region"])
	count(check.findings) == 0 with input as _inventory([r])
}

test_pass_allowed_regions_parameter_override if {
	r := _instance("us-east-1")
	inventory := object.union(_inventory([r]), {"parameters": {"allowed_regions": ["us-east-1", "us-west-2"]}})
	count(check.findings) == 0 with input as inventory
	r in check.resources with input as inventory
}

test_fail_allowed_regions_parameter_override_narrows if {
	r := _instance("eu-west-1")
	count(check.findings) == 0 with input as _inventory([r])
	inventory := object.union(_inventory([r]), {"parameters": {"allowed_regions": ["eu-central-1"]}})
	check.findings == {_finding(r, "fail", "aws_db_instance \"customers\" holds personal data (pii) in region \"eu-west-1\", outside allowed_regions", [])} with input as inventory
}

test_fail_personal_data_classes_parameter_override if {
	r := _bucket("us-east-1", ["confidential"], {})
	count(check.findings) == 0 with input as _inventory([r])
	inventory := object.union(_inventory([r]), {"parameters": {"personal_data_classes": ["pii", "phi", "confidential"]}})
	check.findings == {_finding(r, "fail", "aws_s3_bucket \"acme-patient-scans\" holds personal data (confidential) in region \"us-east-1\", outside allowed_regions", [])} with input as inventory
}

test_fail_every_listed_type_in_scope if {
	every t in _metadata.resource_types {
		r := object.union(_instance("sa-east-1"), {"type": t})
		check.findings == {_finding(r, "fail", sprintf("%s \"customers\" holds personal data (pii) in region \"sa-east-1\", outside allowed_regions", [t]), [])} with input as _inventory([r])
	}
}

test_pass_out_of_scope_types_ignored if {
	every t in ["aws_security_group", "aws_iam_user", "aws_kms_key", "postgresql_server"] {
		r := object.union(_instance("us-east-1"), {"type": t})
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_fail_only_offending_resources_reported if {
	inside := object.union(_instance("eu-west-1"), {"address": "arn:aws:rds:eu-west-1:123456789012:db:customers-eu"})
	outside := _instance("us-east-1")
	findings := check.findings with input as _inventory([inside, outside])
	{f.resource | some f in findings} == {"arn:aws:rds:us-east-1:123456789012:db:customers"}
	check.resources == {inside, outside} with input as _inventory([inside, outside])
}
