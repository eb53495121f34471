# METADATA
# title: OpenSearch domain without fine-grained access control
# description: >-
#   Without fine-grained access control, anyone the domain's access policy
#   lets in can read and change every index; there are no per-index,
#   per-document or per-field permissions and no audit log.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-006
#   severity: medium
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"]
#     pci_dss: ["7.2.1", "7.2.2"]
#     soc2: ["CC6.1", "CC6.3"]
#     iso27001: ["A.5.15", "A.8.2"]
#   remediation: >-
#     Set advanced_security_options { enabled = true } with IAM or SAML
#     users mapped to roles that grant only the indices they need.
package checks.aws.opensearch.fine_grained_access

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "advanced_security_options") == "known"
	r.attributes.advanced_security_options == null
	msg := sprintf("%s %q has no advanced_security_options block, so it has no fine-grained access control", [_label[r.type], r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "advanced_security_options.enabled") == "known"
	v := r.attributes.advanced_security_options.enabled
	v == false
	msg := sprintf("%s %q has no fine-grained access control (advanced_security_options.enabled = %v)", [_label[r.type], r.name, v])
}

findings contains result.indeterminate(metadata, r, msg, ["advanced_security_options.enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "advanced_security_options.enabled")
	state != "known"
	not _block_absent(r)
	msg := sprintf("%s %q: advanced_security_options.enabled is %s", [_label[r.type], r.name, result.state_text[state]])
}

_block_absent(r) if {
	result.attribute_state(r, "advanced_security_options") == "known"
	r.attributes.advanced_security_options == null
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
