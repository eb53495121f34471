# METADATA
# title: ECR repository does not scan images on push
# description: >-
#   Without scan on push, images with known vulnerabilities in their operating
#   system packages reach the registry and deployments unnoticed.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECR-003
#   severity: medium
#   resource_types: [aws_ecr_repository]
#   controls:
#     gdpr: ["Art.32(1)(d)"]
#     hipaa: ["164.308(a)(1)(ii)(A)"]
#     pci_dss: ["6.3.1", "11.3.1"]
#     soc2: ["CC7.1"]
#     iso27001: ["A.8.8"]
#   remediation: >-
#     Set image_scanning_configuration { scan_on_push = true }, or turn on
#     enhanced scanning for the registry (aws_ecr_registry_scanning_configuration
#     with scan_frequency SCAN_ON_PUSH or CONTINUOUS_SCAN), and act on the
#     findings.
package checks.aws.ecr.scan_on_push

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "image_scanning_configuration") == "known"
	r.attributes.image_scanning_configuration == null
	msg := sprintf("ECR repository %q does not scan images on push (no image_scanning_configuration)", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_block(r)
	result.attribute_state(r, "image_scanning_configuration.scan_on_push") == "known"
	r.attributes.image_scanning_configuration.scan_on_push != true
	msg := sprintf("ECR repository %q does not scan images on push (scan_on_push = %s)", [r.name, json.marshal(r.attributes.image_scanning_configuration.scan_on_push)])
}

findings contains result.indeterminate(metadata, r, msg, ["image_scanning_configuration.scan_on_push"]) if {
	some r in resources
	_block(r)
	state := result.attribute_state(r, "image_scanning_configuration.scan_on_push")
	state != "known"
	msg := sprintf("ECR repository %q: image_scanning_configuration.scan_on_push is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["image_scanning_configuration"]) if {
	some r in resources
	not _block(r)
	state := result.attribute_state(r, "image_scanning_configuration")
	state != "known"
	msg := sprintf("ECR repository %q: image_scanning_configuration is %s", [r.name, result.state_text[state]])
}

_block(r) if is_object(object.get(r.attributes, "image_scanning_configuration", null))
