package checks.aws.ecs.secrets_in_environment_test

import data.checks.aws.ecs.secrets_in_environment as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-002",
	"title": "ECS task definition holds secrets in plain environment variables",
	"description": "Environment variables of a task definition are plain text to anyone who can describe it, and end up in the plan, the state and the console; secrets belong in Secrets Manager or SSM Parameter Store, referenced through secrets.",
	"severity": "high",
	"resource_types": [
		"aws_ecs_task_definition",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
			"164.308(a)(5)(ii)(D)",
		],
		"iso27001": [
			"A.5.17",
			"A.8.12",
		],
		"pci_dss": [
			"8.6.2",
			"8.3.2",
		],
		"soc2": [
			"CC6.1",
		],
	},
	"remediation": "Move each flagged variable from environment to secrets (valueFrom a Secrets Manager secret or SSM SecureString parameter ARN), give the task execution role read access to it, and rotate the exposed value.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-12-07T09:00:00Z",
	"sources": [{"kind": "terraform-plan", "scope": "plan.json", "status": "complete"}],
	"resources": resources,
}

_address := "aws_ecs_task_definition.api"

_task(container_definitions) := {
	"address": _address,
	"type": "aws_ecs_task_definition",
	"provider": "aws",
	"name": "api",
	"attributes": {"family": "api", "container_definitions": container_definitions},
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_hardened_containers if {
	r := _task("[{\"name\": \"api\", \"image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\", \"essential\": true, \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/api\"}}, \"environment\": [{\"name\": \"LOG_LEVEL\", \"value\": \"info\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\"}]}, {\"name\": \"proxy\", \"image\": \"envoy\", \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awsfirelens\"}}]")
	count(check.findings) == 0 with input as _inventory([r])
	check.resources == {r} with input as _inventory([r])
}

test_fail_password_in_environment if {
	r := _task("[{\"name\": \"api\", \"image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\", \"essential\": true, \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/api\"}}, \"environment\": [{\"name\": \"LOG_LEVEL\", \"value\": \"info\"}, {\"name\": \"DB_PASSWORD\", \"value\": \"hunter2\"}, {\"name\": \"STRIPE_API_KEY\", \"value\": \"sk_live_x\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\"}]}]")
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" sets secret-looking environment variable(s) in plain text: api/DB_PASSWORD, api/STRIPE_API_KEY")} with input as _inventory([r])
}

# The name patterns are a parameter; a value is never printed.
test_fail_custom_pattern if {
	r := _task("[{\"name\": \"api\", \"image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\", \"essential\": true, \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/api\"}}, \"environment\": [{\"name\": \"LICENCE_BLOB\", \"value\": \"abc\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\"}]}]")
	inv := object.union(_inventory([r]), {"parameters": {"secret_environment_name_patterns": ["^LICENCE_"]}})
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" sets secret-looking environment variable(s) in plain text: api/LICENCE_BLOB")} with input as inv
}

test_unknown_container_definitions if {
	r := object.union(_task(""), {"unknown": ["container_definitions"]})
	r2 := json.patch(r, [{"op": "remove", "path": "/attributes/container_definitions"}])
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\": container_definitions is known only after apply", ["container_definitions"])} with input as _inventory([r2])
}

test_missing_container_definitions if {
	r := json.patch(_task(""), [{"op": "remove", "path": "/attributes/container_definitions"}])
	check.findings == {expect.indeterminate(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\": container_definitions is missing from the inventory", ["container_definitions"])} with input as _inventory([r])
}

# Not JSON, or JSON that is not a list of objects: not judged, never passed.
test_missing_unparseable_container_definitions if {
	expected := {expect.indeterminate(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\": container_definitions is not a JSON list of container definitions", ["container_definitions"])}
	check.findings == expected with input as _inventory([_task("[{\"name\": \"api\",")])
	check.findings == expected with input as _inventory([_task("{\"name\": \"api\"}")])
	check.findings == expected with input as _inventory([_task("[\"api\"]")])
}

test_fail_unnamed_container_named_by_position if {
	r := _task("[{\"image\": \"x\", \"environment\": [{\"name\": \"API_TOKEN\", \"value\": \"v\"}]}]")
	some finding in check.findings with input as _inventory([r])
	finding.status == "fail"
	contains(finding.message, "container 0")
}
