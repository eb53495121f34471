# METADATA
# title: AMI shared publicly
# description: >-
#   A launch permission for the group "all" lets every AWS account launch the
#   image and read its snapshots: everything baked into it (configuration,
#   keys, application code, data left on the disk) is published.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-107
#   severity: critical
#   resource_types: [aws_ami_launch_permission]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1"]
#     soc2: ["CC6.1", "C1.1"]
#     iso27001: ["A.5.15", "A.8.12"]
#   remediation: >-
#     Remove the launch permission with group = "all" and share the image with
#     named accounts (account_id) or an organization (organization_arn);
#     for a live image, modify-image-attribute --launch-permission
#     "Remove=[{Group=all}]" and turn on the account's block public access
#     for AMIs.
package checks.aws.ec2.ami_public

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "group") == "known"
	is_string(r.attributes.group)
	lower(r.attributes.group) == "all"
	msg := sprintf("AMI launch permission %q makes image %s public (group = \"all\")", [r.name, _image(r)])
}

findings contains result.indeterminate(metadata, r, msg, ["group"]) if {
	some r in resources
	state := result.attribute_state(r, "group")
	state != "known"
	msg := sprintf("AMI launch permission %q: group is %s", [r.name, result.state_text[state]])
}

_image(r) := json.marshal(r.attributes.image_id) if {
	result.attribute_state(r, "image_id") == "known"
	is_string(r.attributes.image_id)
} else := "(image id not known)"
