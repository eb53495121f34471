# METADATA
# title: ECS task definition shares the host's network, PID or IPC namespace
# description: >-
#   With network_mode, pid_mode or ipc_mode "host", a task's containers see
#   the instance's network interfaces and ports, its processes or its shared
#   memory: a compromised container can sniff or reach the host's services,
#   signal or inspect other tasks' processes and read their memory segments.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECS-007
#   severity: high
#   resource_types: [aws_ecs_task_definition]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["2.2.1", "2.2.5"]
#     soc2: ["CC6.1", "CC6.8"]
#     iso27001: ["A.8.9", "A.8.22"]
#   remediation: >-
#     Use network_mode = "awsvpc" (or "bridge") and leave pid_mode and
#     ipc_mode unset or "task"; give a container that truly needs a host
#     namespace a task definition of its own, reviewed and tagged as such.
package checks.aws.ecs.host_namespaces

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_modes := ["network_mode", "pid_mode", "ipc_mode"]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	shared := [sprintf("%s = \"host\"", [m]) |
		some m in _modes
		_host(r, m)
	]
	count(shared) > 0
	msg := sprintf("ECS task definition %q shares the host's namespaces (%s)", [r.name, concat(", ", shared)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	every m in _modes {
		not _host(r, m)
	}
	paths := [m |
		some m in _modes
		not _readable(r, m)
	]
	count(paths) > 0
	msg := sprintf("ECS task definition %q: %s not known", [r.name, concat(", ", paths)])
}

_host(r, mode) if {
	result.attribute_state(r, mode) == "known"
	is_string(r.attributes[mode])
	lower(r.attributes[mode]) == "host"
}

# Unset (null) is the default: bridge or awsvpc networking, the task's own
# PID and IPC namespaces.
_readable(r, mode) if {
	result.attribute_state(r, mode) == "known"
	_text_or_null(r.attributes[mode])
}

_text_or_null(null)

_text_or_null(v) if is_string(v)
