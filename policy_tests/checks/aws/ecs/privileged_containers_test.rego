package checks.aws.ecs.privileged_containers_test

import data.checks.aws.ecs.privileged_containers as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-001",
	"title": "ECS task definition runs privileged containers",
	"description": "A privileged container has every Linux capability and the host's devices: a compromise of it is a compromise of the container instance and of every other task on it.",
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
		],
		"iso27001": [
			"A.8.2",
			"A.8.9",
		],
		"pci_dss": [
			"2.2.6",
			"7.2.5",
		],
		"soc2": [
			"CC6.3",
		],
	},
	"remediation": "Remove \"privileged\": true from the container definitions; grant the single Linux capability a container needs with linuxParameters.capabilities.add instead.",
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

test_fail_privileged_container if {
	r := _task("[{\"name\": \"api\", \"image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\", \"essential\": true, \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/api\"}}, \"environment\": [{\"name\": \"LOG_LEVEL\", \"value\": \"info\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\"}]}, {\"name\": \"proxy\", \"image\": \"envoy\", \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awsfirelens\"}, \"privileged\": true}]")
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" runs privileged container(s): proxy")} with input as _inventory([r])
}

test_fail_unnamed_privileged if {
	r := _task("[{\"image\": \"x\", \"privileged\": true}]")
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" runs privileged container(s): container 0")} with input as _inventory([r])
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
