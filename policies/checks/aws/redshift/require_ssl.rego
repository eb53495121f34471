# METADATA
# title: Redshift parameter group does not require SSL
# description: >-
#   Unless the cluster's parameter group sets require_ssl to true, Redshift
#   accepts clear-text connections, and query results and credentials cross
#   the network readable; whether a group requires it by default depends on
#   its family, so only a recorded true passes.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RS-006
#   severity: high
#   resource_types: [aws_redshift_cluster]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Use a custom cluster parameter group (aws_redshift_parameter_group) with
#     the parameter require_ssl = true, set it as the cluster's
#     cluster_parameter_group_name, and reboot the cluster to apply it.
package checks.aws.redshift.require_ssl

import data.lib.inventory
import data.lib.result

enabled_values := {"true", "on", "1"}

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "parameter_group.parameters") == "known"
	value := r.attributes.parameter_group.parameters.require_ssl
	is_string(value)
	not lower(trim_space(value)) in enabled_values
	msg := sprintf("Redshift cluster %q accepts unencrypted connections: parameter group %q sets require_ssl = %q", [
		r.name, object.get(r.attributes.parameter_group, "name", ""), value,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	state := result.attribute_state(r, "parameter_group.parameters")
	state != "known"
	msg := sprintf("Redshift cluster %q: parameter_group.parameters is %s", [r.name, result.state_text[state]])
}

# A group that does not list require_ssl was not read in full (a plan lists
# only the parameters it sets): its default depends on the group's family.
findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	result.attribute_state(r, "parameter_group.parameters") == "known"
	parameters := r.attributes.parameter_group.parameters
	is_object(parameters)
	not "require_ssl" in object.keys(parameters)
	msg := sprintf("Redshift cluster %q: parameter require_ssl is missing from parameter_group.parameters", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	result.attribute_state(r, "parameter_group.parameters") == "known"
	parameters := r.attributes.parameter_group.parameters
	is_object(parameters)
	value := parameters.require_ssl
	not is_string(value)
	msg := sprintf("Redshift cluster %q: parameter require_ssl is not recorded in parameter_group.parameters (%v)", [r.name, value])
}

findings contains result.indeterminate(metadata, r, msg, ["parameter_group.parameters"]) if {
	some r in resources
	result.attribute_state(r, "parameter_group.parameters") == "known"
	not is_object(r.attributes.parameter_group.parameters)
	msg := sprintf("Redshift cluster %q: parameter_group.parameters is not an object of parameter values", [r.name])
}
