package checks.aws.acm.transparency_logging_test

import data.checks.aws.acm.transparency_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ACM-003",
	"title": "ACM certificate opted out of certificate transparency logging",
	"description": "Without certificate transparency logging, browsers reject the certificate and a certificate mis-issued for your domain is harder to spot in the public logs you monitor.",
	"severity": "low",
	"resource_types": [
		"aws_acm_certificate",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(e)(1)",
		],
		"pci_dss": [
			"4.2.1.1",
		],
		"soc2": [
			"CC7.1",
		],
		"iso27001": [
			"A.8.24",
			"A.8.16",
		],
	},
	"remediation": "Remove options certificate_transparency_logging_preference = \"DISABLED\" (or set it to \"ENABLED\").",
}

_inventory(resources, parameters) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "terraform_plan", "scope": "plan.json", "status": "complete"}],
	"parameters": parameters,
	"resources": resources,
}

_resource(type, name, attributes, unknown) := {
	"address": concat(".", [type, name]),
	"type": type,
	"provider": "aws",
	"name": name,
	"tags": object.get(attributes, "tags", {}),
	"attributes": attributes,
	"unknown": unknown,
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_enabled if {
	r := _resource("aws_acm_certificate", "site", {"options": {"certificate_transparency_logging_preference": "ENABLED"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_no_options if {
	r := _resource("aws_acm_certificate", "site", {"options": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_disabled if {
	r := _resource("aws_acm_certificate", "site", {"options": {"certificate_transparency_logging_preference": "DISABLED"}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "ACM certificate \"site\" is not logged to certificate transparency logs (DISABLED)")}
}

test_missing_options if {
	r := _resource("aws_acm_certificate", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "ACM certificate \"site\": options is missing from the inventory", ["options"])}
}

test_unknown_options if {
	r := _resource("aws_acm_certificate", "site", {}, ["options"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "ACM certificate \"site\": options is known only after apply", ["options"])}
}
