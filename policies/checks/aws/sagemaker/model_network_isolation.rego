# METADATA
# title: SageMaker model without network isolation
# description: >-
#   Without network isolation, the model's inference container can open
#   outbound network connections, so a compromised or malicious model image can
#   send the inference data it receives anywhere.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-005
#   severity: medium
#   resource_types: [aws_sagemaker_model]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.3.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.22", "A.8.20"]
#   remediation: >-
#     Set enable_network_isolation = true; models that must call other services
#     should do so through a vpc_config with VPC endpoints instead.
package checks.aws.sagemaker.model_network_isolation

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enable_network_isolation") == "known"
	r.attributes.enable_network_isolation != true
	msg := sprintf("SageMaker model %q can reach the network from its container (enable_network_isolation = %v)", [
		r.name, r.attributes.enable_network_isolation,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_network_isolation"]) if {
	some r in resources
	state := result.attribute_state(r, "enable_network_isolation")
	state != "known"
	msg := sprintf("SageMaker model %q: enable_network_isolation is %s", [r.name, result.state_text[state]])
}
