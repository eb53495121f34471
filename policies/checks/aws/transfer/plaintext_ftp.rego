# METADATA
# title: Transfer Family server accepts plain FTP
# description: >-
#   FTP sends user names, passwords and every file in clear text; a Transfer
#   Family server that offers it lets anyone on the path read them.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-TRF-001
#   severity: high
#   resource_types: [aws_transfer_server]
#   controls:
#     gdpr: ["Art.32(1)(a)"]
#     hipaa: ["164.312(e)(1)", "164.312(e)(2)(ii)"]
#     pci_dss: ["4.2.1"]
#     soc2: ["CC6.7"]
#     iso27001: ["A.8.24", "A.5.14"]
#   remediation: >-
#     Remove FTP from protocols and offer SFTP (or FTPS with a certificate);
#     move partners still on FTP to SFTP.
package checks.aws.transfer.plaintext_ftp

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "protocols") == "known"
	some protocol in r.attributes.protocols
	upper(protocol) == "FTP"
	msg := sprintf("Transfer Family server %q accepts plain FTP (protocols include FTP)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["protocols"]) if {
	some r in resources
	state := result.attribute_state(r, "protocols")
	state != "known"
	msg := sprintf("Transfer Family server %q: protocols is %s", [r.name, result.state_text[state]])
}
