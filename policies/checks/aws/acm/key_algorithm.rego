# METADATA
# title: ACM certificate with a weak key algorithm
# description: >-
#   An RSA key shorter than 2048 bits can be factored with feasible effort, so
#   traffic protected by the certificate could be decrypted or impersonated.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ACM-002
#   severity: high
#   resource_types: [aws_acm_certificate]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1", "3.7.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24"]
#   remediation: >-
#     Request or import the certificate with RSA_2048 or longer, or an EC key
#     (EC_prime256v1, EC_secp384r1); the accepted algorithms are the parameter
#     acm_accepted_key_algorithms.
package checks.aws.acm.key_algorithm

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "key_algorithm") == "known"
	not r.attributes.key_algorithm in params.value("acm_accepted_key_algorithms")
	msg := sprintf("ACM certificate %q uses key algorithm %v, which is not one of the accepted algorithms", [r.name, r.attributes.key_algorithm])
}

findings contains result.indeterminate(metadata, r, msg, ["key_algorithm"]) if {
	some r in resources
	state := result.attribute_state(r, "key_algorithm")
	state != "known"
	msg := sprintf("ACM certificate %q: key_algorithm is %s", [r.name, result.state_text[state]])
}
