# METADATA
# title: Transfer Family server has a public endpoint
# description: >-
#   A PUBLIC endpoint cannot be limited by security groups or source
#   addresses, so the server's login is open to password guessing from the
#   whole internet.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-TRF-002
#   severity: medium
#   resource_types: [aws_transfer_server]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(e)(1)"]
#     pci_dss: ["1.3.1", "1.4.2"]
#     soc2: ["CC6.6"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Set endpoint_type = "VPC" with endpoint_details naming private
#     subnets, security groups that allow only partner addresses, and
#     Elastic IPs only where partners must reach it from the internet.
package checks.aws.transfer.public_endpoint

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "endpoint_type") == "known"
	upper(r.attributes.endpoint_type) == "PUBLIC"
	msg := sprintf("Transfer Family server %q has a public endpoint (endpoint_type = PUBLIC)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["endpoint_type"]) if {
	some r in resources
	state := result.attribute_state(r, "endpoint_type")
	state != "known"
	msg := sprintf("Transfer Family server %q: endpoint_type is %s", [r.name, result.state_text[state]])
}
