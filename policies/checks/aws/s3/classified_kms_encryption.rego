# METADATA
# title: S3 bucket with classified data not encrypted with SSE-KMS
# description: >-
#   Buckets holding classified data (PII, PHI, cardholder or confidential data)
#   must encrypt with a KMS key, so access to the data also needs kms:Decrypt,
#   key use is logged in CloudTrail and the key can be disabled. SSE-S3
#   (AES256) or no default encryption does not give that control.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-S3-003
#   severity: high
#   resource_types: [aws_s3_bucket]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     pci_dss: ["3.5.1", "3.6.1"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Set the bucket's default encryption to sse_algorithm aws:kms (or
#     aws:kms:dsse) with a customer-managed kms_master_key_id and
#     bucket_key_enabled = true, then re-encrypt existing objects (S3 Batch
#     Operations copy).
package checks.aws.s3.classified_kms_encryption

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

kms_algorithms := {"aws:kms", "aws:kms:dsse"}

metadata := result.check_metadata(rego.metadata.chain())

# Only buckets whose tags or data classes name classified data are evaluated.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	algorithm := _algorithm(r)
	not algorithm in kms_algorithms
	msg := sprintf(
		"S3 bucket %q holds classified data (%s) but its default encryption is %s, not SSE-KMS",
		[r.name, concat(", ", _classes(r)), algorithm],
	)
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	[path, state] := _undecided(r)
	msg := sprintf("S3 bucket %q: %s is %s", [r.name, path, result.state_text[state]])
}

_algorithm(r) := "none" if {
	result.attribute_state(r, "server_side_encryption") == "known"
	not is_object(r.attributes.server_side_encryption)
}

_algorithm(r) := r.attributes.server_side_encryption.sse_algorithm if {
	result.attribute_state(r, "server_side_encryption.sse_algorithm") == "known"
}

_undecided(r) := ["server_side_encryption", state] if {
	state := result.attribute_state(r, "server_side_encryption")
	state != "known"
} else := ["server_side_encryption.sse_algorithm", "missing"] if {
	is_object(r.attributes.server_side_encryption)
	result.attribute_state(r, "server_side_encryption.sse_algorithm") == "missing"
}

_classes(r) := sort([c |
	some c in tags.data_classes(r)
	c in params.value("classified_data_classes")
])
