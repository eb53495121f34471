# METADATA
# title: S3 bucket without default encryption
# description: >-
#   Without a default encryption rule the bucket declares no encryption of its
#   own, so whether new objects are encrypted at rest, and with which key, is
#   left to each writer instead of being enforced by the bucket.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-002
#   severity: high
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Add an aws_s3_bucket_server_side_encryption_configuration with a rule
#     whose apply_server_side_encryption_by_default uses sse_algorithm aws:kms
#     (or AES256) and bucket_key_enabled = true.
package checks.aws.s3.default_encryption

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "server_side_encryption") == "known"
	not is_object(r.attributes.server_side_encryption)
	msg := sprintf("S3 bucket %q has no default encryption (server_side_encryption = null)", [r.name])
}

# A rule is decided by its sse_algorithm. The collector writes the rule
# AWS returns, which always names an algorithm: a rule without the field was
# not fully collected, so it is indeterminate (never a pass). An algorithm
# that is present but empty or null names no encryption, so it fails.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "server_side_encryption") == "known"
	is_object(r.attributes.server_side_encryption)
	result.attribute_state(r, "server_side_encryption.sse_algorithm") == "known"
	algorithm := r.attributes.server_side_encryption.sse_algorithm
	not _names_algorithm(algorithm)
	msg := sprintf("S3 bucket %q default encryption rule names no algorithm (sse_algorithm = %s)", [r.name, json.marshal(algorithm)])
}

findings contains result.indeterminate(metadata, r, msg, ["server_side_encryption.sse_algorithm"]) if {
	some r in resources
	result.attribute_state(r, "server_side_encryption") == "known"
	is_object(r.attributes.server_side_encryption)
	state := result.attribute_state(r, "server_side_encryption.sse_algorithm")
	state != "known"
	msg := sprintf("S3 bucket %q: server_side_encryption.sse_algorithm is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["server_side_encryption"]) if {
	some r in resources
	state := result.attribute_state(r, "server_side_encryption")
	state != "known"
	msg := sprintf("S3 bucket %q: server_side_encryption is %s", [r.name, result.state_text[state]])
}

_names_algorithm(algorithm) if {
	is_string(algorithm)
	trim_space(algorithm) != ""
}
