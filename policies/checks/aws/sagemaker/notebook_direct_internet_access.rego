# METADATA
# title: SageMaker notebook instance with direct internet access
# description: >-
#   With direct internet access, the notebook reaches the internet through a
#   SageMaker-managed network outside the account's VPC controls, so data can be
#   sent out and packages pulled in past the egress filtering and flow logs.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-003
#   severity: high
#   resource_types: [aws_sagemaker_notebook_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.3.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set direct_internet_access = "Disabled" with a subnet_id and security_groups
#     in a VPC; give the notebook the access it needs through VPC endpoints or a
#     filtered NAT egress.
package checks.aws.sagemaker.notebook_direct_internet_access

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Anything but "Disabled" is access: "Enabled" is the provider's default.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "direct_internet_access") == "known"
	r.attributes.direct_internet_access != "Disabled"
	msg := sprintf("SageMaker notebook instance %q has direct internet access (direct_internet_access = %q)", [
		r.name, r.attributes.direct_internet_access,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["direct_internet_access"]) if {
	some r in resources
	state := result.attribute_state(r, "direct_internet_access")
	state != "known"
	msg := sprintf("SageMaker notebook instance %q: direct_internet_access is %s", [r.name, result.state_text[state]])
}
