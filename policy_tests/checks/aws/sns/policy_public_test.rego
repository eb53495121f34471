package checks.aws.sns.policy_public_test

import data.checks.aws.sns.policy_public as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SNS-002",
	"title": "SNS topic policy open to any principal",
	"description": "A topic policy that allows Principal \"*\" without a condition naming an account, organization or source lets anyone publish to the topic or subscribe to its messages.",
	"severity": "high",
	"resource_types": [
		"aws_sns_topic",
		"aws_sns_topic_policy",
	],
	"controls": {
		"gdpr": [
			"Art.25(2)",
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
		],
		"pci_dss": [
			"7.2.1",
			"1.4.4",
		],
		"soc2": [
			"CC6.1",
			"CC6.6",
		],
		"iso27001": [
			"A.5.15",
			"A.8.3",
		],
	},
	"remediation": "Replace Principal \"*\" with the accounts or services that need the topic, or add a condition on aws:SourceOwner, aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID to every Allow statement.",
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

# The policy AWS gives a new topic: everyone, but only from the owner account.
test_pass_default_policy_with_source_owner if {
	r := _resource("aws_sns_topic", "alerts", {"policy": "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:Publish\",\"SNS:Subscribe\"],\"Resource\":\"arn:aws:sns:eu-west-1:123456789012:alerts\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"123456789012\"}}}]}"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_policy_object_service_principal if {
	r := _resource("aws_sns_topic", "alerts", {"policy": {"Statement": {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*"}}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_no_policy if {
	r := _resource("aws_sns_topic", "alerts", {"policy": null}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_open_deny if {
	r := _resource("aws_sns_topic", "alerts", {"policy": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sns:*", "Resource": "*"}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_pass_wildcard_condition_value_ignored_only_when_every_value_is_wildcard if {
	r := _resource("aws_sns_topic", "alerts", {"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": ["*", "arn:aws:s3:::acme-*"]}}}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	count(findings) == 0
	r in check.resources with input as inv
}

test_fail_open_json_string if {
	r := _resource("aws_sns_topic", "alerts", {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Anyone\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"SNS:Publish\",\"Resource\":\"*\"}]}"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "aws_sns_topic \"alerts\" policy allows any principal without a narrowing condition: Anyone")}
}

test_fail_open_with_wildcard_source if {
	r := _resource("aws_sns_topic", "alerts", {"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*", "Condition": {"StringLike": {"aws:SourceArn": "*"}}}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "aws_sns_topic \"alerts\" policy allows any principal without a narrowing condition: statement 1")}
}

test_fail_topic_policy_resource if {
	r := _resource("aws_sns_topic_policy", "alerts_policy", {"arn": "arn:aws:sns:eu-west-1:123456789012:alerts", "policy": {"Statement": [{"Sid": "", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "*"]}, "Action": "sns:Subscribe", "Resource": "*", "Condition": {"StringEquals": {"sns:Protocol": "https"}}}]}}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.fail(_metadata, r.address, r.type, "aws_sns_topic_policy \"alerts_policy\" policy allows any principal without a narrowing condition: statement 1")}
}

test_missing_policy if {
	r := _resource("aws_sns_topic", "alerts", {}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "aws_sns_topic \"alerts\": policy is missing from the inventory", ["policy"])}
}

test_unknown_policy if {
	r := _resource("aws_sns_topic", "alerts", {}, ["policy"])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "aws_sns_topic \"alerts\": policy is known only after apply", ["policy"])}
}

test_missing_unreadable_policy if {
	r := _resource("aws_sns_topic", "alerts", {"policy": "{not json"}, [])
	inv := _inventory([r], {})
	findings := check.findings with input as inv
	findings == {expect.indeterminate(_metadata, r.address, r.type, "aws_sns_topic \"alerts\": policy is not a JSON policy document", ["policy"])}
}
