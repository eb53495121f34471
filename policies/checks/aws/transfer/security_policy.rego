# METADATA
# title: Transfer Family server uses a weak security policy
# description: >-
#   The server's security policy sets the SSH and TLS ciphers, MACs and key
#   exchanges it accepts; the oldest policies, the provider's default among
#   them, still allow SHA-1 and CBC algorithms.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-TRF-003
#   severity: medium
#   resource_types: [aws_transfer_server]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Set security_policy_name to a current policy such as
#     TransferSecurityPolicy-2024-01 (any policy not listed in
#     transfer_weak_security_policies).
package checks.aws.transfer.security_policy

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "security_policy_name") == "known"
	policy := _policy(r.attributes.security_policy_name)
	policy in params.value("transfer_weak_security_policies")
	msg := sprintf("Transfer Family server %q uses the weak security policy %s", [r.name, policy])
}

findings contains result.indeterminate(metadata, r, msg, ["security_policy_name"]) if {
	some r in resources
	state := result.attribute_state(r, "security_policy_name")
	state != "known"
	msg := sprintf("Transfer Family server %q: security_policy_name is %s", [r.name, result.state_text[state]])
}

# Left unset, the server gets the oldest policy.
_policy(name) := name if {
	is_string(name)
	name != ""
} else := "TransferSecurityPolicy-2018-11"
