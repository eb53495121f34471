package checks.aws.cloudtrail_audit.log_files_intact_test

import data.checks.aws.cloudtrail_audit.log_files_intact as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CTA-002",
	"title": "CloudTrail log files of the period were altered, deleted or never digested",
	"description": "A log file whose content no longer has the hash its digest recorded, a log file a digest lists that is gone, a log file no digest lists, or one that cannot be read, means the audit record of the period cannot be trusted as delivered by CloudTrail.",
	"severity": "high",
	"resource_types": ["aws_cloudtrail_summary"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.5(1)(f)"],
		"hipaa": ["164.312(b)", "164.312(c)(1)"],
		"pci_dss": ["10.3.2", "10.3.4"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Treat the listed objects as evidence of tampering: find who wrote or deleted them (S3 server access logs or data events), restore them from a replica or a version, and protect the log bucket with Object Lock, versioning and a bucket policy that denies deletes and overwrites.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-03-03T09:00:00Z",
	"sources": [],
	"resources": resources,
}

_resource(attributes, extra) := object.union(
	{
		"address": "s3://audit-trail-logs/org#111122223333",
		"type": "aws_cloudtrail_summary",
		"provider": "aws",
		"account": "111122223333",
		"region": null,
		"name": "s3://audit-trail-logs/org#111122223333",
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

_name := "s3://audit-trail-logs/org#111122223333"

_clean := {"hash_mismatches": [], "missing_log_files": [], "logs_not_in_digest": [], "unreadable_files": []}

test_pass_all_logs_intact if {
	r := _resource(_clean, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_altered_and_undigested if {
	r := _resource(
		object.union(_clean, {
			"hash_mismatches": [{"object": "a", "digest": "d", "detail": "x"}],
			"logs_not_in_digest": [{"object": "b", "region": "eu-west-1"}, {"object": "c", "region": "eu-west-1"}],
		}),
		{},
	)
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: log files 1 altered, 2 in no digest", [_name]))}
}

test_fail_deleted_and_unreadable if {
	r := _resource(
		object.union(_clean, {
			"missing_log_files": [{"object": "a", "digest": "d"}],
			"unreadable_files": [{"object": "b", "detail": "not gzip"}],
		}),
		{},
	)
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: log files 1 deleted, 1 unreadable", [_name]))}
}

test_missing_hash_mismatches if {
	r := _resource(object.remove(_clean, ["hash_mismatches"]), {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: hash_mismatches is missing from the inventory", [_name]), ["hash_mismatches"])}
}
