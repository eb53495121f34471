# METADATA
# title: OpenSearch domain does not publish audit logs
# description: >-
#   Without audit logs published to CloudWatch Logs, who read or changed
#   which index, and failed logins to the domain, leave no record to
#   investigate.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-007
#   severity: low
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16"]
#   remediation: >-
#     Turn on fine-grained access control and add a log_publishing_options
#     block with log_type = "AUDIT_LOGS" and a CloudWatch Logs group.
package checks.aws.opensearch.audit_logs

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "log_publishing_options") == "known"
	not _audit_logs(r.attributes.log_publishing_options)
	msg := sprintf("%s %q publishes no audit logs (no enabled AUDIT_LOGS log_publishing_options)", [_label[r.type], r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["log_publishing_options"]) if {
	some r in resources
	state := result.attribute_state(r, "log_publishing_options")
	state != "known"
	msg := sprintf("%s %q: log_publishing_options is %s", [_label[r.type], r.name, result.state_text[state]])
}

# An option is on unless enabled says false (the provider's default is true).
_audit_logs(options) if {
	some option in options
	object.get(option, "log_type", "") == "AUDIT_LOGS"
	object.get(option, "enabled", true) != false
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
