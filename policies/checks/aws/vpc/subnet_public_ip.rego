# METADATA
# title: Subnet gives instances public IP addresses automatically
# description: >-
#   A subnet with map_public_ip_on_launch gives every instance launched in
#   it a public address, so a server meant to be internal is reachable from
#   the internet as soon as a security group rule allows it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NET-002
#   severity: medium
#   resource_types: [aws_subnet]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set map_public_ip_on_launch = false; put internet-facing services
#     behind a load balancer or NAT gateway, and give the few instances that
#     need one an Elastic IP explicitly.
package checks.aws.vpc.subnet_public_ip

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "map_public_ip_on_launch") == "known"
	r.attributes.map_public_ip_on_launch == true
	msg := sprintf("%s %q gives instances a public IP address at launch (map_public_ip_on_launch = true)", [_label[r.type], r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["map_public_ip_on_launch"]) if {
	some r in resources
	state := result.attribute_state(r, "map_public_ip_on_launch")
	state != "known"
	msg := sprintf("%s %q: map_public_ip_on_launch is %s", [_label[r.type], r.name, result.state_text[state]])
}

_label := {"aws_subnet": "subnet"}
