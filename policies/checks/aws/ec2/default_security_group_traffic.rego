# METADATA
# title: Default security group allows traffic
# description: >-
#   Resources launched without a security group land in the VPC's default
#   group; if it has rules, they silently get network access nobody reviewed.
#   The default group should have no ingress and no egress rules. Evaluated:
#   aws_default_security_group, and aws_security_group whose name is
#   "default".
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-003
#   severity: medium
#   resource_types: [aws_security_group, aws_default_security_group]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.2.1", "1.3.1", "1.3.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22", "A.8.9"]
#   remediation: >-
#     Manage the group with an aws_default_security_group that declares no
#     ingress and no egress blocks, and give every resource a purpose-built
#     security group.
package checks.aws.ec2.default_security_group_traffic

import data.lib.inventory
import data.lib.result

directions := ["ingress", "egress"]

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); _default_group(r)}

# Every aws_default_security_group, and an aws_security_group named "default".
_default_group(r) if r.type == "aws_default_security_group"

_default_group(r) if {
	r.type == "aws_security_group"
	object.get(r.attributes, "name", "") == "default"
}

# Rules already known are reported even when the other direction is unknown.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	rules := _rules(r)
	count(rules) > 0
	msg := sprintf("default security group %q allows traffic: %s", [r.name, concat(", ", rules)])
}

findings contains result.indeterminate(metadata, r, msg, undecided) if {
	some r in resources
	count(_rules(r)) == 0
	undecided := [d | some d in directions; result.attribute_state(r, d) != "known"]
	count(undecided) > 0
	reasons := [sprintf("%s is %s", [d, result.state_text[result.attribute_state(r, d)]]) | some d in undecided]
	msg := sprintf("default security group %q: %s", [r.name, concat(", ", reasons)])
}

_rules(r) := [sprintf("%d %s rule(s)", [n, d]) |
	some d in directions
	result.attribute_state(r, d) == "known"
	n := count(r.attributes[d])
	n > 0
]
