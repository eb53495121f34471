# METADATA
# title: Instance metadata service allows IMDSv1
# description: >-
#   Without http_tokens = "required" an instance answers IMDSv1 requests, so a
#   server-side request forgery in any application on it can read the
#   instance role's temporary credentials with a plain GET.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-101
#   severity: high
#   resource_types: [aws_instance, aws_launch_template, aws_launch_configuration]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["2.2.6"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.8.9"]
#   remediation: >-
#     Add a metadata_options block with http_tokens = "required" (or
#     http_endpoint = "disabled" where nothing reads instance metadata); for
#     running instances use modify-instance-metadata-options --http-tokens
#     required after checking that the SDKs in use support IMDSv2.
package checks.aws.ec2.imdsv2_required

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "metadata_options") == "known"
	r.attributes.metadata_options == null
	msg := sprintf("%s %q sets no metadata_options, so IMDSv1 is allowed (http_tokens is not required)", [r.type, r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_block(r)
	not _endpoint_disabled(r)
	result.attribute_state(r, "metadata_options.http_endpoint") != "unknown"
	result.attribute_state(r, "metadata_options.http_tokens") == "known"
	tokens := r.attributes.metadata_options.http_tokens
	tokens != "required"
	msg := sprintf("%s %q allows IMDSv1 (metadata_options.http_tokens = %s)", [r.type, r.name, json.marshal(tokens)])
}

findings contains result.indeterminate(metadata, r, msg, ["metadata_options"]) if {
	some r in resources
	not _block(r)
	state := result.attribute_state(r, "metadata_options")
	state != "known"
	msg := sprintf("%s %q: metadata_options is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["metadata_options.http_tokens"]) if {
	some r in resources
	_block(r)
	not _endpoint_disabled(r)
	state := result.attribute_state(r, "metadata_options.http_tokens")
	state != "known"
	msg := sprintf("%s %q: metadata_options.http_tokens is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["metadata_options.http_endpoint"]) if {
	some r in resources
	_block(r)
	result.attribute_state(r, "metadata_options.http_endpoint") == "unknown"
	result.attribute_state(r, "metadata_options.http_tokens") == "known"
	r.attributes.metadata_options.http_tokens != "required"
	msg := sprintf("%s %q: metadata_options.http_tokens is %s and http_endpoint is %s", [r.type, r.name, json.marshal(r.attributes.metadata_options.http_tokens), result.state_text.unknown])
}

# The block is there, even when some of its settings are known only after apply.
_block(r) if is_object(object.get(r.attributes, "metadata_options", null))

# With the endpoint off there is no metadata service to abuse.
_endpoint_disabled(r) if {
	result.attribute_state(r, "metadata_options.http_endpoint") == "known"
	r.attributes.metadata_options.http_endpoint == "disabled"
}
