# METADATA
# title: ECR repository allows image tags to be overwritten
# description: >-
#   With mutable tags anyone who can push may replace the image behind a tag
#   already deployed or approved, so what runs is no longer what was reviewed
#   and scanned.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ECR-002
#   severity: medium
#   resource_types: [aws_ecr_repository]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     pci_dss: ["6.5.1"]
#     soc2: ["CC8.1"]
#     iso27001: ["A.8.32", "A.8.9"]
#   remediation: >-
#     Set image_tag_mutability = "IMMUTABLE" (or IMMUTABLE_WITH_EXCLUSION for
#     a few moving tags such as latest) and deploy by digest or by a unique
#     version tag.
package checks.aws.ecr.immutable_tags

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "image_tag_mutability") == "known"
	value := r.attributes.image_tag_mutability
	not _immutable(value)
	msg := sprintf("ECR repository %q lets pushes overwrite image tags (image_tag_mutability = %s)", [r.name, json.marshal(value)])
}

findings contains result.indeterminate(metadata, r, msg, ["image_tag_mutability"]) if {
	some r in resources
	state := result.attribute_state(r, "image_tag_mutability")
	state != "known"
	msg := sprintf("ECR repository %q: image_tag_mutability is %s", [r.name, result.state_text[state]])
}

_immutable(value) if {
	is_string(value)
	startswith(value, "IMMUTABLE")
}
