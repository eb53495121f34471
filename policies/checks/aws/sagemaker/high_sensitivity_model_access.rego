# METADATA
# title: High-sensitivity SageMaker model without network isolation and a VPC
# description: >-
#   A model tagged high sensitivity must run with strict access: network
#   isolation so its container cannot reach the network, and a VPC configuration
#   so the hosting instances sit behind the account's subnets and security groups.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-007
#   severity: high
#   resource_types: [aws_sagemaker_model]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.2"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.22", "A.8.20"]
#   remediation: >-
#     Set enable_network_isolation = true and add a vpc_config with private
#     subnets and security groups that allow only the traffic the model needs.
package checks.aws.sagemaker.high_sensitivity_model_access

import data.lib.inventory
import data.lib.result
import data.lib.tags

# The settings strict access needs, in the order findings name them.
settings := ["enable_network_isolation", "vpc_config"]

metadata := result.check_metadata(rego.metadata.chain())

# Only models tagged high sensitivity (lib.tags, sensitivity_tag_keys) are in scope.
resources := {r | some r in inventory.of(metadata); tags.high_sensitivity(r)}

# A setting already known to be missing fails the model, even when the other
# is known only after apply.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	gaps := _known_gaps(r)
	count(gaps) > 0
	msg := sprintf("SageMaker model %q is high sensitivity but lacks strict access: %s", [r.name, concat(", ", gaps)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	count(_known_gaps(r)) == 0
	paths := [s | some s in settings; result.attribute_state(r, s) != "known"]
	count(paths) > 0
	states := [sprintf("%s is %s", [s, result.state_text[result.attribute_state(r, s)]]) | some s in paths]
	msg := sprintf("SageMaker model %q: %s", [r.name, concat("; ", states)])
}

_known_gaps(r) := [gap |
	some s in settings
	result.attribute_state(r, s) == "known"
	some gap in _gap(s, r.attributes)
]

_gap("enable_network_isolation", attributes) := {"enable_network_isolation = false"} if {
	attributes.enable_network_isolation != true
} else := set()

_gap("vpc_config", attributes) := {"no vpc_config"} if {
	not is_object(attributes.vpc_config)
} else := {"vpc_config without subnets"} if {
	count(object.get(attributes.vpc_config, "subnets", [])) == 0
} else := set()
