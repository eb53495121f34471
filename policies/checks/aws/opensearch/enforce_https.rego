# METADATA
# title: OpenSearch domain accepts plain HTTP
# description: >-
#   A search domain that does not enforce HTTPS answers requests over plain
#   HTTP, so queries, documents and the credentials or signatures sent with
#   them can be read on the way.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-003
#   severity: high
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set domain_endpoint_options { enforce_https = true } with a TLS 1.2
#     security policy.
package checks.aws.opensearch.enforce_https

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "domain_endpoint_options") == "known"
	r.attributes.domain_endpoint_options == null
	msg := sprintf("%s %q has no domain_endpoint_options block, so it accepts plain HTTP", [_label[r.type], r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "domain_endpoint_options.enforce_https") == "known"
	v := r.attributes.domain_endpoint_options.enforce_https
	v == false
	msg := sprintf("%s %q accepts plain HTTP (domain_endpoint_options.enforce_https = %v)", [_label[r.type], r.name, v])
}

findings contains result.indeterminate(metadata, r, msg, ["domain_endpoint_options.enforce_https"]) if {
	some r in resources
	state := result.attribute_state(r, "domain_endpoint_options.enforce_https")
	state != "known"
	not _block_absent(r)
	msg := sprintf("%s %q: domain_endpoint_options.enforce_https is %s", [_label[r.type], r.name, result.state_text[state]])
}

_block_absent(r) if {
	result.attribute_state(r, "domain_endpoint_options") == "known"
	r.attributes.domain_endpoint_options == null
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
