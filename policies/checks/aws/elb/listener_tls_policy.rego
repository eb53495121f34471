# METADATA
# title: Load balancer listener TLS policy allows versions below TLS 1.2
# description: >-
#   An HTTPS or TLS listener whose security policy still negotiates TLS 1.0 or
#   1.1 lets clients use deprecated protocols with known weaknesses.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-002
#   severity: high
#   resource_types: [aws_lb_listener, aws_alb_listener]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1", "12.3.3"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.21"]
#   remediation: >-
#     Set ssl_policy to a TLS 1.2 or TLS 1.3 policy such as
#     ELBSecurityPolicy-TLS13-1-2-2021-06; the accepted names are the parameter
#     elb_accepted_ssl_policies.
package checks.aws.elb.listener_tls_policy

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Only HTTPS and TLS listeners negotiate TLS; a listener whose protocol is not
# known yet is kept (and said indeterminate).
resources := {r | some r in inventory.of(metadata); object.get(r.attributes, "protocol", "HTTPS") in {"HTTPS", "TLS"}}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "protocol") == "known"
	result.attribute_state(r, "ssl_policy") == "known"
	not r.attributes.ssl_policy in params.value("elb_accepted_ssl_policies")
	msg := sprintf("Load balancer listener %q (%s) uses TLS policy %v, which is not one of the accepted TLS 1.2+ policies", [r.name, r.attributes.protocol, r.attributes.ssl_policy])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := _first_not_known(r)
	msg := sprintf("Load balancer listener %q: %s is %s", [r.name, path, result.state_text[result.attribute_state(r, path)]])
}

_first_not_known(r) := "protocol" if {
	result.attribute_state(r, "protocol") != "known"
} else := "ssl_policy" if {
	result.attribute_state(r, "ssl_policy") != "known"
}
