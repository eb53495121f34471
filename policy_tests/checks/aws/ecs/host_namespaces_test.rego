package checks.aws.ecs.host_namespaces_test

import data.checks.aws.ecs.host_namespaces as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-ECS-007",
	"title": "ECS task definition shares the host's network, PID or IPC namespace",
	"description": "With network_mode, pid_mode or ipc_mode \"host\", a task's containers see the instance's network interfaces and ports, its processes or its shared memory: a compromised container can sniff or reach the host's services, signal or inspect other tasks' processes and read their memory segments.",
	"severity": "high",
	"resource_types": ["aws_ecs_task_definition"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["2.2.1", "2.2.5"],
		"soc2": ["CC6.1", "CC6.8"],
		"iso27001": ["A.8.9", "A.8.22"],
	},
	"remediation": "Use network_mode = \"awsvpc\" (or \"bridge\") and leave pid_mode and ipc_mode unset or \"task\"; give a container that truly needs a host namespace a task definition of its own, reviewed and tagged as such.",
}

_address := "arn:aws:ecs:eu-west-1:123456789012:task-definition/metrics-agent:7"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/ecs", "status": "complete"}],
	"resources": resources,
}

_task(attributes) := {
	"address": _address,
	"type": "aws_ecs_task_definition",
	"provider": "aws",
	"name": "metrics-agent",
	"attributes": object.union({"family": "metrics-agent", "container_definitions": "[]"}, attributes),
}

_findings(resource) := findings if {
	findings := check.findings with input as _inventory([resource])
}

_fail(text) := expect.fail(_metadata, _address, "aws_ecs_task_definition", sprintf("ECS task definition \"metrics-agent\" shares the host's namespaces (%s)", [text]))

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_task_namespaces if {
	r := _task({"network_mode": "awsvpc", "pid_mode": null, "ipc_mode": "task"})
	count(_findings(r)) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
	count(_findings(_task({"network_mode": null, "pid_mode": "task", "ipc_mode": "none"}))) == 0
}

test_fail_host_network if {
	_findings(_task({"network_mode": "host", "pid_mode": null, "ipc_mode": null})) == {_fail("network_mode = \"host\"")}
}

test_fail_host_pid_and_ipc if {
	_findings(_task({"network_mode": "bridge", "pid_mode": "host", "ipc_mode": "HOST"})) == {_fail("pid_mode = \"host\", ipc_mode = \"host\"")}
}

# A host namespace fails even when another mode is not known.
test_fail_with_unknown_mode if {
	r := object.union(_task({"network_mode": null, "pid_mode": "host"}), {"unknown": ["network_mode"]})
	_findings(r) == {_fail("pid_mode = \"host\"")}
}

test_missing_modes if {
	_findings(_task({"network_mode": "awsvpc"})) == {expect.indeterminate(
		_metadata, _address, "aws_ecs_task_definition",
		"ECS task definition \"metrics-agent\": pid_mode, ipc_mode not known", ["pid_mode", "ipc_mode"],
	)}
}

test_unknown_network_mode if {
	r := object.union(_task({"network_mode": null, "pid_mode": null, "ipc_mode": null}), {"unknown": ["network_mode"]})
	_findings(r) == {expect.indeterminate(
		_metadata, _address, "aws_ecs_task_definition",
		"ECS task definition \"metrics-agent\": network_mode not known", ["network_mode"],
	)}
}
