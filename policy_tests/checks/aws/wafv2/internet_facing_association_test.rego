package checks.aws.wafv2.internet_facing_association_test

import data.checks.aws.wafv2.internet_facing_association as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-WAF-001",
	"title": "Internet-facing load balancer or API stage without a WAF web ACL",
	"description": "An internet-facing application load balancer or REST API stage without an associated WAFv2 web ACL passes injection, scraping and layer 7 flood traffic straight to the application.",
	"severity": "medium",
	"resource_types": [
		"aws_lb",
		"aws_alb",
		"aws_api_gateway_stage",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.308(a)(1)(ii)(B)",
		],
		"pci_dss": [
			"6.4.1",
			"6.4.2",
		],
		"soc2": [
			"CC6.6",
		],
		"iso27001": [
			"A.8.20",
			"A.8.21",
		],
	},
	"remediation": "Create an aws_wafv2_web_acl with scope REGIONAL (with the AWS managed core and known-bad-inputs rule groups at least) and an aws_wafv2_web_acl_association with resource_arn the load balancer's or the stage's ARN. In a plan the association is folded into the resource it names, as web_acl_arn.",
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

test_pass_associated if {
	r := _resource("aws_lb", "public", {"internal": false, "load_balancer_type": "application", "web_acl_arn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/app/1"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_internal_out_of_scope if {
	r := _resource("aws_lb", "public", {"internal": true, "web_acl_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_pass_network_out_of_scope if {
	r := _resource("aws_lb", "public", {"internal": false, "load_balancer_type": "network", "web_acl_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	count(check.resources) == 0 with input as inv
}

test_fail_internet_facing_without_acl if {
	r := _resource("aws_lb", "public", {"internal": false, "load_balancer_type": "application", "web_acl_arn": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "Load balancer \"public\" is reachable from the internet with no WAF web ACL associated")}
}

test_fail_api_stage_without_acl if {
	r := _resource("aws_api_gateway_stage", "prod", {"web_acl_arn": ""}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "API Gateway stage \"prod\" is reachable from the internet with no WAF web ACL associated")}
}

test_missing_web_acl_arn if {
	r := _resource("aws_alb", "public", {"internal": false}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer \"public\": web_acl_arn is missing from the inventory", ["web_acl_arn"])}
}

test_unknown_internal if {
	r := _resource("aws_lb", "public", {"web_acl_arn": null}, ["internal"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "Load balancer \"public\": internal is known only after apply", ["internal"])}
}

test_unknown_stage_web_acl if {
	r := _resource("aws_api_gateway_stage", "prod", {}, ["web_acl_arn"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "API Gateway stage \"prod\": web_acl_arn is known only after apply", ["web_acl_arn"])}
}
