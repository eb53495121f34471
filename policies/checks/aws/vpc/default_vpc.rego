# METADATA
# title: Default VPC kept in the region
# description: >-
#   The default VPC puts public subnets with an internet gateway and
#   auto-assigned public IPs in every availability zone, so anything launched
#   without an explicit network (by a console wizard, a test or an attacker
#   with launch rights) lands on the internet. An unused default VPC is still
#   a finding: it waits for the next launch.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NET-005
#   severity: low
#   resource_types: [aws_default_vpc, aws_vpc]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.2.1", "2.2.1"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.9"]
#   remediation: >-
#     Move anything left in the default VPC to a VPC built for it, then delete
#     the default VPC in every region (aws ec2 delete-vpc after removing its
#     subnets and internet gateway); in Terraform, stop managing it with
#     aws_default_vpc and delete it, or set force_destroy = true and destroy
#     the resource.
package checks.aws.vpc.default_vpc

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Terraform's aws_default_vpc adopts (or recreates) the region's default VPC:
# its presence is the finding.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_default_vpc"
	msg := sprintf("default VPC %q is kept in %s (aws_default_vpc)", [r.name, _where(r)])
}

# A collected VPC says whether it is the default one.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	r.type == "aws_vpc"
	result.attribute_state(r, "is_default") == "known"
	r.attributes.is_default == true
	msg := sprintf("VPC %q is the default VPC of %s (is_default = true)", [r.name, _where(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["is_default"]) if {
	some r in resources
	r.type == "aws_vpc"
	state := result.attribute_state(r, "is_default")
	state != "known"
	msg := sprintf("VPC %q: is_default is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["is_default"]) if {
	some r in resources
	r.type == "aws_vpc"
	result.attribute_state(r, "is_default") == "known"
	not is_boolean(r.attributes.is_default)
	msg := sprintf("VPC %q: is_default is %v, not true or false", [r.name, r.attributes.is_default])
}

_where(r) := sprintf("region %s", [r.region]) if {
	is_string(object.get(r, "region", null))
} else := "its region"
