package checks.aws.cloudtrail_audit.digest_chain_test

import data.checks.aws.cloudtrail_audit.digest_chain as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-CTA-003",
	"title": "CloudTrail digest chain of the period is broken or badly signed",
	"description": "Hourly digest files chained by the previous digest's hash and signature are what proves that no log file was added, changed or removed. A span without a digest, a link that does not match, or a signature that does not verify leaves the period's log integrity unproven.",
	"severity": "high",
	"resource_types": ["aws_cloudtrail_summary"],
	"controls": {
		"gdpr": ["Art.32(1)(b)", "Art.5(1)(f)"],
		"hipaa": ["164.312(b)", "164.312(c)(1)"],
		"pci_dss": ["10.3.2", "10.3.4"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15"],
	},
	"remediation": "Keep log file validation on for the trail, restore missing digests from a replica or a version, find who wrote or deleted digest objects, and give the trail's public keys (cloudtrail list-public-keys) to the summary so every signature is verified.",
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

_clean := {"missing_digests": [], "broken_chain": [], "bad_signatures": [], "signatures_unverified": false}

test_pass_chain_verified if {
	r := _resource(_clean, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_missing_digest_and_broken_link if {
	r := _resource(
		object.union(_clean, {
			"missing_digests": [{"region": "eu-west-1", "trail": "main", "from": "2026-03-02T11:00:00Z", "to": "2026-03-02T12:00:00Z"}],
			"broken_chain": [{"digest": "d", "detail": "previous digest p is missing"}],
		}),
		{},
	)
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: digest chain has 1 spans without a digest, 1 broken links", [_name]))}
}

test_fail_bad_signature_even_when_unverified_elsewhere if {
	r := _resource(object.union(_clean, {"bad_signatures": [{"digest": "d", "detail": "signature does not verify"}]}), {})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, sprintf("CloudTrail at %q: digest chain has 1 bad signatures", [_name]))}
}

test_unverified_signatures_are_indeterminate if {
	r := _resource(object.union(_clean, {"signatures_unverified": true}), {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: digest signatures were not verified (no public keys given)", [_name]), ["signatures_unverified"])}
}

test_missing_broken_chain if {
	r := _resource(object.remove(_clean, ["broken_chain"]), {})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, sprintf("CloudTrail at %q: broken_chain is missing from the inventory", [_name]), ["broken_chain"])}
}
