# METADATA
# title: CloudTrail digest chain of the period is broken or badly signed
# description: >-
#   Hourly digest files chained by the previous digest's hash and signature are
#   what proves that no log file was added, changed or removed. A span without a
#   digest, a link that does not match, or a signature that does not verify
#   leaves the period's log integrity unproven.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CTA-003
#   severity: high
#   resource_types: [aws_cloudtrail_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)", "Art.5(1)(f)"]
#     hipaa: ["164.312(b)", "164.312(c)(1)"]
#     pci_dss: ["10.3.2", "10.3.4"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Keep log file validation on for the trail, restore missing digests from a
#     replica or a version, find who wrote or deleted digest objects, and give the
#     trail's public keys (cloudtrail list-public-keys) to the summary so every
#     signature is verified.
package checks.aws.cloudtrail_audit.digest_chain

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_lists := ["missing_digests", "broken_chain", "bad_signatures"]

_words := {
	"missing_digests": "spans without a digest",
	"broken_chain": "broken links",
	"bad_signatures": "bad signatures",
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_all_known(r)
	problems := _problems(r)
	count(problems) > 0
	msg := sprintf("CloudTrail at %q: digest chain has %s", [r.name, concat(", ", problems)])
}

# Nothing broken, but the signatures were not checked: not proven either way.
findings contains result.indeterminate(metadata, r, msg, ["signatures_unverified"]) if {
	some r in resources
	_all_known(r)
	count(_problems(r)) == 0
	r.attributes.signatures_unverified != false
	msg := sprintf("CloudTrail at %q: digest signatures were not verified (no public keys given)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, [name]) if {
	some r in resources
	some name in array.concat(_lists, ["signatures_unverified"])
	state := result.attribute_state(r, name)
	state != "known"
	msg := sprintf("CloudTrail at %q: %s is %s", [r.name, name, result.state_text[state]])
}

_problems(r) := [sprintf("%d %s", [count(r.attributes[name]), _words[name]]) |
	some name in _lists
	count(r.attributes[name]) > 0
]

_all_known(r) if {
	every name in array.concat(_lists, ["signatures_unverified"]) {
		result.attribute_state(r, name) == "known"
	}
}
