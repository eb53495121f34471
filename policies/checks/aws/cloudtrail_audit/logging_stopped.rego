# METADATA
# title: CloudTrail logging was stopped or a trail deleted in the period
# description: >-
#   A StopLogging or DeleteTrail call that succeeded during the reporting period
#   leaves a stretch with no audit record of what happened in the account, and is
#   a common first step of someone covering their tracks.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CTA-001
#   severity: high
#   resource_types: [aws_cloudtrail_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1", "10.2.1.6"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Find who stopped logging or deleted the trail (the listed principal, time
#     and source address), restart logging, review the unlogged span, and deny
#     cloudtrail:StopLogging and cloudtrail:DeleteTrail with a service control
#     policy except for a break-glass role.
package checks.aws.cloudtrail_audit.logging_stopped

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_stop_events := {name | some name in params.value("cloudtrail_logging_stop_events")}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_decidable(r)
	called := _called(r)
	count(called) > 0
	msg := sprintf("CloudTrail at %q: %s succeeded in the period", [r.name, concat(", ", sort(called))])
}

# The summary must count every stop event the check asks about; an override of
# the sensitive events that drops one cannot pass silently.
findings contains result.indeterminate(metadata, r, msg, ["tracked_event_names"]) if {
	some r in resources
	result.attribute_state(r, "tracked_event_names") == "known"
	result.attribute_state(r, "sensitive_events") == "known"
	untracked := _stop_events - {n | some n in r.attributes.tracked_event_names}
	count(untracked) > 0
	msg := sprintf("CloudTrail at %q: the summary does not count %s", [r.name, concat(", ", sort(untracked))])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	some path in ["sensitive_events", "tracked_event_names"]
	state := result.attribute_state(r, path)
	state != "known"
	msg := sprintf("CloudTrail at %q: %s is %s", [r.name, path, result.state_text[state]])
}

_decidable(r) if {
	result.attribute_state(r, "tracked_event_names") == "known"
	result.attribute_state(r, "sensitive_events") == "known"
	every name in _stop_events {
		name in r.attributes.tracked_event_names
	}
}

_called(r) := {sprintf("%s (%d)", [name, n]) |
	some name in _stop_events
	n := max({c |
		some category in r.attributes.sensitive_events
		c := object.get(category, ["by_event_name", name], 0)
	})
	n > 0
}
