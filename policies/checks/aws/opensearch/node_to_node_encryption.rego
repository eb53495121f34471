# METADATA
# title: OpenSearch domain nodes talk in plain text
# description: >-
#   Without node-to-node encryption, the documents and queries a search
#   domain's nodes pass between each other cross the VPC network
#   unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-002
#   severity: medium
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set node_to_node_encryption { enabled = true }; domains on old engine
#     versions must be upgraded or recreated first.
package checks.aws.opensearch.node_to_node_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "node_to_node_encryption") == "known"
	r.attributes.node_to_node_encryption == null
	msg := sprintf("%s %q has no node_to_node_encryption block, so its nodes talk unencrypted", [_label[r.type], r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "node_to_node_encryption.enabled") == "known"
	v := r.attributes.node_to_node_encryption.enabled
	v == false
	msg := sprintf("%s %q sends data between its nodes unencrypted (node_to_node_encryption.enabled = %v)", [_label[r.type], r.name, v])
}

findings contains result.indeterminate(metadata, r, msg, ["node_to_node_encryption.enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "node_to_node_encryption.enabled")
	state != "known"
	not _block_absent(r)
	msg := sprintf("%s %q: node_to_node_encryption.enabled is %s", [_label[r.type], r.name, result.state_text[state]])
}

_block_absent(r) if {
	result.attribute_state(r, "node_to_node_encryption") == "known"
	r.attributes.node_to_node_encryption == null
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
