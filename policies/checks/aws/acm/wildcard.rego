# METADATA
# title: ACM certificate for a wildcard domain
# description: >-
#   A wildcard certificate is valid for every host under the domain: one
#   compromised service holding its key can impersonate all the others.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ACM-001
#   severity: low
#   resource_types: [aws_acm_certificate]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Request certificates for the host names each service serves; set the
#     parameter acm_wildcard_certificates_allowed to true where wildcard
#     certificates are accepted.
package checks.aws.acm.wildcard

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); params.value("acm_wildcard_certificates_allowed") != true}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "domain_name") == "known"
	wildcards := _wildcards(r)
	count(wildcards) > 0
	msg := sprintf("ACM certificate %q covers wildcard names: %s", [r.name, concat(", ", wildcards)])
}

findings contains result.indeterminate(metadata, r, msg, ["domain_name"]) if {
	some r in resources
	state := result.attribute_state(r, "domain_name")
	state != "known"
	msg := sprintf("ACM certificate %q: domain_name is %s", [r.name, result.state_text[state]])
}

# The domain and the alternative names known so far that start with "*.".
_wildcards(r) := sort({name |
	some name in array.concat([r.attributes.domain_name], _list(object.get(r.attributes, "subject_alternative_names", [])))
	is_string(name)
	startswith(name, "*.")
})

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)
