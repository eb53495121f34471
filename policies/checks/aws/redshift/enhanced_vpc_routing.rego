# METADATA
# title: Redshift cluster without enhanced VPC routing
# description: >-
#   Without enhanced VPC routing, COPY and UNLOAD traffic between the cluster
#   and S3 or other sources leaves through AWS's own network paths, outside
#   the VPC's security groups, endpoint policies, network ACLs and flow logs,
#   so bulk data can move where the network controls neither limit nor record
#   it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RS-004
#   severity: medium
#   resource_types: [aws_redshift_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.3.2", "1.4.4"]
#     soc2: ["CC6.6", "CC6.7"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set enhanced_vpc_routing = true and give the cluster's subnets a route to
#     S3 (an S3 gateway endpoint with a policy limited to the buckets it loads
#     from and unloads to, or a NAT gateway).
package checks.aws.redshift.enhanced_vpc_routing

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# false, or null (never set: off, the AWS default).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enhanced_vpc_routing") == "known"
	value := r.attributes.enhanced_vpc_routing
	value in {false, null}
	msg := sprintf("Redshift cluster %q moves COPY and UNLOAD traffic outside its VPC (enhanced_vpc_routing = %v)", [r.name, value])
}

findings contains result.indeterminate(metadata, r, msg, ["enhanced_vpc_routing"]) if {
	some r in resources
	state := result.attribute_state(r, "enhanced_vpc_routing")
	state != "known"
	msg := sprintf("Redshift cluster %q: enhanced_vpc_routing is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["enhanced_vpc_routing"]) if {
	some r in resources
	result.attribute_state(r, "enhanced_vpc_routing") == "known"
	value := r.attributes.enhanced_vpc_routing
	not value in {true, false, null}
	msg := sprintf("Redshift cluster %q: enhanced_vpc_routing is not a boolean (%s)", [r.name, _text(value)])
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
