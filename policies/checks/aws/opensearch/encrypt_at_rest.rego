# METADATA
# title: OpenSearch domain not encrypted at rest
# description: >-
#   A search domain without encryption at rest keeps its indices, logs, swap
#   files and automated snapshots unencrypted, and the indexed documents are
#   often copies of customer records.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-001
#   severity: high
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set encrypt_at_rest { enabled = true } (with kms_key_id naming a
#     customer-managed key for classified data); on older engine versions
#     this needs a new domain and a reindex.
package checks.aws.opensearch.encrypt_at_rest

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encrypt_at_rest") == "known"
	r.attributes.encrypt_at_rest == null
	msg := sprintf("%s %q has no encrypt_at_rest block, so its indices are stored unencrypted", [_label[r.type], r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "encrypt_at_rest.enabled") == "known"
	v := r.attributes.encrypt_at_rest.enabled
	v == false
	msg := sprintf("%s %q stores indices unencrypted (encrypt_at_rest.enabled = %v)", [_label[r.type], r.name, v])
}

findings contains result.indeterminate(metadata, r, msg, ["encrypt_at_rest.enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "encrypt_at_rest.enabled")
	state != "known"
	not _block_absent(r)
	msg := sprintf("%s %q: encrypt_at_rest.enabled is %s", [_label[r.type], r.name, result.state_text[state]])
}

_block_absent(r) if {
	result.attribute_state(r, "encrypt_at_rest") == "known"
	r.attributes.encrypt_at_rest == null
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
