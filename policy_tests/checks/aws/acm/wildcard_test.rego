package checks.aws.acm.wildcard_test

import data.checks.aws.acm.wildcard as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ACM-001",
	"title": "ACM certificate for a wildcard domain",
	"description": "A wildcard certificate is valid for every host under the domain: one compromised service holding its key can impersonate all the others.",
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
			"4.2.1",
		],
		"soc2": [
			"CC6.7",
		],
		"iso27001": [
			"A.8.24",
		],
	},
	"remediation": "Request certificates for the host names each service serves; set the parameter acm_wildcard_certificates_allowed to true where wildcard certificates are accepted.",
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

test_pass_named_hosts if {
	r := _resource("aws_acm_certificate", "site", {"domain_name": "www.example.com", "subject_alternative_names": ["api.example.com"]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_allowed_by_parameter_out_of_scope if {
	r := _resource("aws_acm_certificate", "site", {"domain_name": "*.example.com"}, [])
	inv := _inventory([r], {"acm_wildcard_certificates_allowed": true})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_wildcard_domain_without_alternative_names if {
	r := _resource("aws_acm_certificate", "site", {"domain_name": "*.example.com", "subject_alternative_names": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "ACM certificate \"site\" covers wildcard names: *.example.com")}
}

test_fail_wildcards_named_in_order if {
	r := _resource("aws_acm_certificate", "site", {"domain_name": "*.example.com", "subject_alternative_names": ["example.com", "*.api.example.com"]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "ACM certificate \"site\" covers wildcard names: *.api.example.com, *.example.com")}
}

test_fail_wildcard_alternative_name_with_unknown_sans_elsewhere if {
	r := _resource("aws_acm_certificate", "site", {"domain_name": "example.com", "subject_alternative_names": ["*.example.com"]}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "ACM certificate \"site\" covers wildcard names: *.example.com")}
}

test_missing_domain_name if {
	r := _resource("aws_acm_certificate", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "ACM certificate \"site\": domain_name is missing from the inventory", ["domain_name"])}
}

test_unknown_domain_name if {
	r := _resource("aws_acm_certificate", "site", {}, ["domain_name"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "ACM certificate \"site\": domain_name is known only after apply", ["domain_name"])}
}
