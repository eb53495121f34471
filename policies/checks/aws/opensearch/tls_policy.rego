# METADATA
# title: OpenSearch domain allows TLS below 1.2
# description: >-
#   The domain endpoint's TLS security policy decides the oldest protocol
#   clients may use; the default policy still accepts TLS 1.0 and 1.1, which
#   are deprecated and weak.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-004
#   severity: medium
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set domain_endpoint_options { tls_security_policy =
#     "Policy-Min-TLS-1-2-PFS-2023-10" } (or another policy listed in
#     opensearch_tls_security_policies).
package checks.aws.opensearch.tls_policy

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "domain_endpoint_options") == "known"
	r.attributes.domain_endpoint_options == null
	msg := sprintf("%s %q has no domain_endpoint_options block, so its endpoint accepts TLS 1.0", [_label[r.type], r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "domain_endpoint_options.tls_security_policy") == "known"
	v := r.attributes.domain_endpoint_options.tls_security_policy
	not v in params.value("opensearch_tls_security_policies")
	msg := sprintf("%s %q allows TLS below 1.2 (domain_endpoint_options.tls_security_policy = %v)", [_label[r.type], r.name, v])
}

findings contains result.indeterminate(metadata, r, msg, ["domain_endpoint_options.tls_security_policy"]) if {
	some r in resources
	state := result.attribute_state(r, "domain_endpoint_options.tls_security_policy")
	state != "known"
	not _block_absent(r)
	msg := sprintf("%s %q: domain_endpoint_options.tls_security_policy is %s", [_label[r.type], r.name, result.state_text[state]])
}

_block_absent(r) if {
	result.attribute_state(r, "domain_endpoint_options") == "known"
	r.attributes.domain_endpoint_options == null
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
