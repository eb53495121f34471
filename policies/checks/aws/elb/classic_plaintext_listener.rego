# METADATA
# title: Classic load balancer listener without TLS
# description: >-
#   A classic ELB listener on HTTP or TCP accepts client connections
#   unencrypted, so requests and credentials cross the network in clear.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-006
#   severity: high
#   resource_types: [aws_elb]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.20"]
#   remediation: >-
#     Change each listener's lb_protocol to HTTPS or SSL with an
#     ssl_certificate_id, or replace the classic ELB with an application load
#     balancer that redirects HTTP to HTTPS.
package checks.aws.elb.classic_plaintext_listener

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "listener") == "known"
	plain := _plain(r)
	count(plain) > 0
	msg := sprintf("Classic load balancer %q has listeners without TLS: %s", [r.name, concat(", ", plain)])
}

findings contains result.indeterminate(metadata, r, msg, ["listener"]) if {
	some r in resources
	state := result.attribute_state(r, "listener")
	state != "known"
	msg := sprintf("Classic load balancer %q: listener is %s", [r.name, result.state_text[state]])
}

_plain(r) := [sprintf("%v/%v", [upper(l.lb_protocol), object.get(l, "lb_port", "?")]) |
	some l in _list(object.get(r.attributes, "listener", []))
	is_string(object.get(_object(l), "lb_protocol", null))
	lower(l.lb_protocol) in {"http", "tcp"}
]

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)
