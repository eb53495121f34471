package checks.aws.ecs.container_logging_test

import data.checks.aws.ecs.container_logging as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-004",
	"title": "ECS container has no log configuration",
	"description": "A container without a logConfiguration sends its output nowhere that outlives the task, leaving no record of what the application did or of errors and attacks against it.",
	"severity": "medium",
	"resource_types": [
		"aws_ecs_task_definition",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(b)",
		],
		"iso27001": [
			"A.8.15",
		],
		"pci_dss": [
			"10.2.1",
		],
		"soc2": [
			"CC7.2",
		],
	},
	"remediation": "Give every container a logConfiguration with a logDriver (awslogs with an awslogs-group, or awsfirelens), and a retention period on the log group.",
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

test_fail_no_log_configuration if {
	r := _task("[{\"name\": \"api\", \"image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\", \"essential\": true, \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/api\"}}, \"environment\": [{\"name\": \"LOG_LEVEL\", \"value\": \"info\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\"}]}, {\"name\": \"worker\", \"image\": \"w\"}, {\"name\": \"proxy\", \"image\": \"envoy\", \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"\"}}]")
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" has container(s) without a log configuration: worker, proxy")} with input as _inventory([r])
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
