# METADATA
# title: Load balancer listener serves plain HTTP
# description: >-
#   An HTTP listener that forwards instead of redirecting to HTTPS carries
#   requests, cookies and credentials across the network unencrypted.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-001
#   severity: high
#   resource_types: [aws_lb_listener, aws_alb_listener]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.8.20"]
#   remediation: >-
#     Serve the listener as HTTPS with a certificate, or make its default action
#     a redirect with protocol = "HTTPS" and status_code = "HTTP_301".
package checks.aws.elb.listener_https

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "protocol") == "known"
	r.attributes.protocol == "HTTP"
	result.attribute_state(r, "default_action") == "known"
	not _redirects_to_https(r)
	msg := sprintf("Load balancer listener %q serves plain HTTP on port %v without redirecting to HTTPS", [r.name, object.get(r.attributes, "port", "?")])
}

findings contains result.indeterminate(metadata, r, msg, ["protocol"]) if {
	some r in resources
	state := result.attribute_state(r, "protocol")
	state != "known"
	msg := sprintf("Load balancer listener %q: protocol is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["default_action"]) if {
	some r in resources
	result.attribute_state(r, "protocol") == "known"
	r.attributes.protocol == "HTTP"
	state := result.attribute_state(r, "default_action")
	state != "known"
	msg := sprintf("Load balancer listener %q serves HTTP; default_action is %s", [r.name, result.state_text[state]])
}

_redirects_to_https(r) if {
	some action in _list(object.get(r.attributes, "default_action", []))
	object.get(_object(action), "type", null) == "redirect"
	object.get(_object(object.get(_object(action), "redirect", null)), "protocol", null) == "HTTPS"
}

_object(v) := v if is_object(v)

_object(v) := {} if not is_object(v)

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)
