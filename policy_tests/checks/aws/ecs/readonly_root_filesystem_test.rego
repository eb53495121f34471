package checks.aws.ecs.readonly_root_filesystem_test

import data.checks.aws.ecs.readonly_root_filesystem as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-003",
	"title": "ECS container root file system is writable",
	"description": "A writable root file system lets an intruder in a container change its binaries and drop tools that persist for the task's life; a read-only root with explicit volumes for the paths that must change narrows that.",
	"severity": "medium",
	"resource_types": [
		"aws_ecs_task_definition",
	],
	"controls": {
		"gdpr": [
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(c)(1)",
		],
		"iso27001": [
			"A.8.9",
			"A.8.19",
		],
		"pci_dss": [
			"2.2.6",
		],
		"soc2": [
			"CC6.8",
		],
	},
	"remediation": "Set \"readonlyRootFilesystem\": true in every container definition and mount volumes (or a bind mount) for the paths the application writes, such as /tmp.",
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
	"tags": {"Environment": "production"},
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

test_fail_writable_root if {
	r := _task("[{\"name\": \"api\", \"image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2\", \"essential\": true, \"readonlyRootFilesystem\": true, \"logConfiguration\": {\"logDriver\": \"awslogs\", \"options\": {\"awslogs-group\": \"/ecs/api\"}}, \"environment\": [{\"name\": \"LOG_LEVEL\", \"value\": \"info\"}], \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db\"}]}, {\"name\": \"worker\", \"image\": \"w\"}, {\"name\": \"proxy\", \"image\": \"envoy\", \"readonlyRootFilesystem\": false, \"logConfiguration\": {\"logDriver\": \"awsfirelens\"}}]")
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" has container(s) with a writable root file system: worker, proxy")} with input as _inventory([r])
}

test_pass_non_production_out_of_scope if {
	r := object.union(_task("[{\"name\": \"worker\", \"image\": \"w\"}]"), {"tags": {"Environment": "dev"}})
	count(check.findings) == 0 with input as _inventory([r])
	count(check.resources) == 0 with input as _inventory([r])
}

test_fail_scope_all_includes_untagged if {
	r := object.remove(_task("[{\"name\": \"worker\", \"image\": \"w\"}]"), ["tags"])
	inv := object.union(_inventory([r]), {"parameters": {"readonly_root_filesystem_scope": "all"}})
	check.findings == {expect.fail(_metadata, _address, "aws_ecs_task_definition", "ECS task definition \"api\" has container(s) with a writable root file system: worker")} with input as inv
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
