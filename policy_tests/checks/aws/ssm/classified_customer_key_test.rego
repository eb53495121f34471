package checks.aws.ssm.classified_customer_key_test

import data.checks.aws.ssm.classified_customer_key as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SSM-002",
	"title": "Classified SSM parameter not encrypted with a customer-managed key",
	"description": "A parameter holding classified data must be a SecureString under a customer-managed key: a String is stored in clear, and the AWS-managed alias/aws/ssm key lets any principal with ssm:GetParameter in the account decrypt it.",
	"severity": "medium",
	"resource_types": ["aws_ssm_parameter"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.5.1", "3.6.1"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Make the parameter a SecureString with key_id naming a customer-managed KMS key whose policy allows kms:Decrypt only to the parameter's readers.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1", "status": "complete"}],
	"resources": resources,
}

_resource(type, name, attributes, extra) := object.union(
	{
		"address": sprintf("%s.%s", [type, name]),
		"type": type,
		"provider": "aws",
		"account": "123456789012",
		"region": "eu-west-1",
		"name": name,
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

test_pass_customer_key if {
	r := _resource("aws_ssm_parameter", "card_key", {"name": "/cards/key", "type": "SecureString", "key_id": "arn:aws:kms:eu-west-1:123456789012:key/1a2b"}, {"tags": {"DataClassification": "confidential"}})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_plain_string if {
	r := _resource("aws_ssm_parameter", "card_key", {"name": "/cards/key", "type": "String"}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "SSM parameter \"card_key\" holds classified data unencrypted (type = String)")}
}

test_fail_default_key if {
	r := _resource("aws_ssm_parameter", "card_key", {"type": "SecureString", "key_id": "alias/aws/ssm"}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "SSM parameter \"card_key\" holds classified data under the AWS-managed key, not a customer-managed one (key_id = alias/aws/ssm)")}
}

test_fail_empty_key if {
	r := _resource("aws_ssm_parameter", "card_key", {"type": "SecureString", "key_id": ""}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.fail(_metadata, r.address, r.type, "SSM parameter \"card_key\" holds classified data under the AWS-managed key, not a customer-managed one (key_id = )")}
}

test_missing_type if {
	r := _resource("aws_ssm_parameter", "card_key", {"name": "/cards/key"}, {"tags": {"DataClassification": "confidential"}})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SSM parameter \"card_key\": type is missing from the inventory", ["type"])}
}

test_unknown_key_id if {
	r := _resource("aws_ssm_parameter", "card_key", {"type": "SecureString"}, {"tags": {"DataClassification": "confidential"}, "unknown": ["key_id"]})
	findings := _findings(r, {})
	findings == {expect.indeterminate(_metadata, r.address, r.type, "SSM parameter \"card_key\": key_id is known only after apply", ["key_id"])}
}

test_pass_out_of_scope_unclassified if {
	r := _resource("aws_ssm_parameter", "card_key", {"type": "String"}, {})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}
