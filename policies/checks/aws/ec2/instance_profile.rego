# METADATA
# title: EC2 instance without an IAM instance profile
# description: >-
#   An instance with no instance profile gets no short-lived role
#   credentials, so whatever runs on it that calls AWS does so with long-lived
#   access keys baked into images, user data or configuration files; it also
#   cannot be managed by Systems Manager without a role.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-110
#   severity: low
#   resource_types: [aws_instance]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(d)"]
#     pci_dss: ["8.6.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.8.2"]
#   remediation: >-
#     Attach an instance profile whose role grants only what the workload
#     needs (iam_instance_profile on aws_instance), and remove any access keys
#     stored on the instance.
package checks.aws.ec2.instance_profile

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "iam_instance_profile") == "known"
	_empty(r.attributes.iam_instance_profile)
	msg := sprintf("EC2 instance %q has no IAM instance profile", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["iam_instance_profile"]) if {
	some r in resources
	state := result.attribute_state(r, "iam_instance_profile")
	state != "known"
	msg := sprintf("EC2 instance %q: iam_instance_profile is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["iam_instance_profile"]) if {
	some r in resources
	result.attribute_state(r, "iam_instance_profile") == "known"
	profile := r.attributes.iam_instance_profile
	profile != null
	not is_string(profile)
	msg := sprintf("EC2 instance %q: iam_instance_profile is %v, not a profile name or ARN", [r.name, profile])
}

_empty(null)

_empty(profile) if {
	is_string(profile)
	trim_space(profile) == ""
}
