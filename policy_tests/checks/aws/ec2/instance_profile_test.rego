package checks.aws.ec2.instance_profile_test

import data.checks.aws.ec2.instance_profile as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-EC2-110",
	"title": "EC2 instance without an IAM instance profile",
	"description": "An instance with no instance profile gets no short-lived role credentials, so whatever runs on it that calls AWS does so with long-lived access keys baked into images, user data or configuration files; it also cannot be managed by Systems Manager without a role.",
	"severity": "low",
	"resource_types": ["aws_instance"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)"],
		"pci_dss": ["8.6.2"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17", "A.8.2"],
	},
	"remediation": "Attach an instance profile whose role grants only what the workload needs (iam_instance_profile on aws_instance), and remove any access keys stored on the instance.",
}

_address := "arn:aws:ec2:eu-west-1:123456789012:instance/i-0a1b2c3d4e5f60030"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ec2", "status": "complete"}],
	"resources": resources,
}

_instance(attributes) := {
	"address": _address,
	"type": "aws_instance",
	"provider": "aws",
	"name": "batch-worker",
	"attributes": object.union({"ami": "ami-0123456789abcdef0", "instance_type": "t3.small"}, attributes),
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail := expect.fail(_metadata, _address, "aws_instance", "EC2 instance \"batch-worker\" has no IAM instance profile")

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_profile_attached if {
	r := _instance({"iam_instance_profile": "batch-worker"})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
	count(_findings(_instance({"iam_instance_profile": "arn:aws:iam::123456789012:instance-profile/batch-worker"}))) == 0
}

test_fail_no_profile if {
	_findings(_instance({"iam_instance_profile": null})) == {_fail}
	_findings(_instance({"iam_instance_profile": ""})) == {_fail}
	_findings(_instance({"iam_instance_profile": "  "})) == {_fail}
}

test_missing_profile if {
	_findings(_instance({})) == {expect.indeterminate(
		_metadata, _address, "aws_instance",
		"EC2 instance \"batch-worker\": iam_instance_profile is missing from the inventory", ["iam_instance_profile"],
	)}
	_findings(_instance({"iam_instance_profile": {"name": "x"}})) == {expect.indeterminate(
		_metadata, _address, "aws_instance",
		"EC2 instance \"batch-worker\": iam_instance_profile is {\"name\": \"x\"}, not a profile name or ARN", ["iam_instance_profile"],
	)}
}

test_unknown_profile if {
	r := object.union(_instance({"iam_instance_profile": null}), {"unknown": ["iam_instance_profile"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_instance",
		"EC2 instance \"batch-worker\": iam_instance_profile is known only after apply", ["iam_instance_profile"],
	)}
}
