# METADATA
# title: EKS API endpoint open to the internet
# description: >-
#   A public Kubernetes API endpoint reachable from 0.0.0.0/0 exposes the
#   cluster's control plane to credential attacks and to any flaw in its
#   authentication from anywhere; the endpoint should be private or limited
#   to known networks.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EKS-002
#   severity: high
#   resource_types: [aws_eks_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set vpc_config { endpoint_private_access = true, endpoint_public_access =
#     false } and reach the API through the VPC (VPN, bastion, CI runners in
#     the VPC), or keep the public endpoint and list only the networks that need
#     it in public_access_cidrs.
package checks.aws.eks.public_endpoint

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_public := "vpc_config.endpoint_public_access"

_cidrs := "vpc_config.public_access_cidrs"

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_public_on(r)
	result.attribute_state(r, _cidrs) == "known"
	open := _open(object.get(r.attributes.vpc_config, "public_access_cidrs", null))
	msg := sprintf("EKS cluster %q has a public API endpoint open to %s", [r.name, open])
}

findings contains result.indeterminate(metadata, r, msg, [_cidrs]) if {
	some r in resources
	_public_on(r)
	state := result.attribute_state(r, _cidrs)
	state != "known"
	msg := sprintf("EKS cluster %q has a public API endpoint; %s is %s", [r.name, _cidrs, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, [_public]) if {
	some r in resources
	state := result.attribute_state(r, _public)
	state != "known"
	msg := sprintf("EKS cluster %q: %s is %s", [r.name, _public, result.state_text[state]])
}

# The public endpoint is on unless set false (the provider's default is on).
_public_on(r) if {
	result.attribute_state(r, _public) == "known"
	r.attributes.vpc_config.endpoint_public_access != false
}

# No CIDRs means the default, 0.0.0.0/0.
_open(cidrs) := "0.0.0.0/0 (public_access_cidrs not set)" if {
	not _non_empty(cidrs)
} else := concat(", ", sort(world)) if {
	world := {c | some c in cidrs; is_string(c); endswith(c, "/0")}
	count(world) > 0
}

_non_empty(cidrs) if {
	is_array(cidrs)
	count(cidrs) > 0
}
