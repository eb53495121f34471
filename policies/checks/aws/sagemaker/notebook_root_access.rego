# METADATA
# title: SageMaker notebook instance with root access for its users
# description: >-
#   Root access lets every notebook user change the instance's software and
#   security configuration, read other users' files and disable the controls
#   the notebook relies on; most data science work needs no root.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-004
#   severity: medium
#   resource_types: [aws_sagemaker_notebook_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.2"]
#     soc2: ["CC6.3"]
#     iso27001: ["A.8.2", "A.8.19"]
#   remediation: >-
#     Set root_access = "Disabled"; install the packages users need through a
#     lifecycle configuration (which still runs as root) or a custom image.
package checks.aws.sagemaker.notebook_root_access

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Anything but "Disabled" is root access: "Enabled" is the provider's default.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "root_access") == "known"
	r.attributes.root_access != "Disabled"
	msg := sprintf("SageMaker notebook instance %q gives its users root access (root_access = %q)", [
		r.name, r.attributes.root_access,
	])
}

findings contains result.indeterminate(metadata, r, msg, ["root_access"]) if {
	some r in resources
	state := result.attribute_state(r, "root_access")
	state != "known"
	msg := sprintf("SageMaker notebook instance %q: root_access is %s", [r.name, result.state_text[state]])
}
