# METADATA
# title: CloudTrail log files of the period were altered, deleted or never digested
# description: >-
#   A log file whose content no longer has the hash its digest recorded, a log
#   file a digest lists that is gone, a log file no digest lists, or one that
#   cannot be read, means the audit record of the period cannot be trusted as
#   delivered by CloudTrail.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CTA-002
#   severity: high
#   resource_types: [aws_cloudtrail_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.5(1)(f)"]
#     hipaa: ["164.312(b)", "164.312(c)(1)"]
#     pci_dss: ["10.3.2", "10.3.4"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Treat the listed objects as evidence of tampering: find who wrote or deleted
#     them (S3 server access logs or data events), restore them from a replica or
#     a version, and protect the log bucket with Object Lock, versioning and a
#     bucket policy that denies deletes and overwrites.
package checks.aws.cloudtrail_audit.log_files_intact

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_lists := ["hash_mismatches", "missing_log_files", "logs_not_in_digest", "unreadable_files"]

_words := {
	"hash_mismatches": "altered",
	"missing_log_files": "deleted",
	"logs_not_in_digest": "in no digest",
	"unreadable_files": "unreadable",
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_all_known(r)
	problems := [sprintf("%d %s", [count(r.attributes[name]), _words[name]]) |
		some name in _lists
		count(r.attributes[name]) > 0
	]
	count(problems) > 0
	msg := sprintf("CloudTrail at %q: log files %s", [r.name, concat(", ", problems)])
}

findings contains result.indeterminate(metadata, r, msg, [name]) if {
	some r in resources
	some name in _lists
	state := result.attribute_state(r, name)
	state != "known"
	msg := sprintf("CloudTrail at %q: %s is %s", [r.name, name, result.state_text[state]])
}

_all_known(r) if {
	every name in _lists {
		result.attribute_state(r, name) == "known"
	}
}
