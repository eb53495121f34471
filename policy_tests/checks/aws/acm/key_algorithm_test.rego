package checks.aws.acm.key_algorithm_test

import data.checks.aws.acm.key_algorithm as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ACM-002",
	"title": "ACM certificate with a weak key algorithm",
	"description": "An RSA key shorter than 2048 bits can be factored with feasible effort, so traffic protected by the certificate could be decrypted or impersonated.",
	"severity": "high",
	"resource_types": [
		"aws_acm_certificate",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(a)",
		],
		"hipaa": [
			"164.312(e)(2)(ii)",
		],
		"pci_dss": [
			"4.2.1",
			"3.7.1",
		],
		"soc2": [
			"CC6.7",
		],
		"iso27001": [
			"A.8.24",
		],
	},
	"remediation": "Request or import the certificate with RSA_2048 or longer, or an EC key (EC_prime256v1, EC_secp384r1); the accepted algorithms are the parameter acm_accepted_key_algorithms.",
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

test_pass_rsa_2048 if {
	r := _resource("aws_acm_certificate", "site", {"key_algorithm": "RSA_2048"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_ec if {
	r := _resource("aws_acm_certificate", "site", {"key_algorithm": "EC_prime256v1"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_rsa_1024 if {
	r := _resource("aws_acm_certificate", "site", {"key_algorithm": "RSA_1024"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "ACM certificate \"site\" uses key algorithm RSA_1024, which is not one of the accepted algorithms")}
}

test_fail_rsa_2048_not_in_parameter if {
	r := _resource("aws_acm_certificate", "site", {"key_algorithm": "RSA_2048"}, [])
	inv := _inventory([r], {"acm_accepted_key_algorithms": ["RSA_4096"]})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "ACM certificate \"site\" uses key algorithm RSA_2048, which is not one of the accepted algorithms")}
}

test_missing_key_algorithm if {
	r := _resource("aws_acm_certificate", "site", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "ACM certificate \"site\": key_algorithm is missing from the inventory", ["key_algorithm"])}
}

test_unknown_key_algorithm if {
	r := _resource("aws_acm_certificate", "site", {}, ["key_algorithm"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "ACM certificate \"site\": key_algorithm is known only after apply", ["key_algorithm"])}
}
