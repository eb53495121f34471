# METADATA
# title: AWS Config recorder does not record every resource type
# description: >-
#   A Config recorder limited to some resource types keeps no configuration
#   history, and evaluates no rules, for the rest, so changes to them cannot
#   be traced or judged afterwards.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-CFG-001
#   severity: medium
#   resource_types: [aws_config_configuration_recorder]
#   controls:
#     gdpr: ["Art.32(1)(d)"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     pci_dss: ["10.2.1", "11.5.2"]
#     soc2: ["CC7.1", "CC8.1"]
#     iso27001: ["A.8.9", "A.8.16"]
#   remediation: >-
#     Set recording_group { all_supported = true } (with
#     include_global_resource_types = true in one region), and pair the
#     recorder with a delivery channel and an enabled
#     aws_config_configuration_recorder_status.
package checks.aws.config.recorder_all_resources

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "recording_group.all_supported") == "known"
	r.attributes.recording_group.all_supported == false
	msg := sprintf("AWS Config recorder %q records only some resource types (recording_group.all_supported = false)", [r.name])
}

# A recorder without a recording group records every supported type (the
# AWS default); a group whose all_supported is not known is undecided.
findings contains result.indeterminate(metadata, r, msg, ["recording_group.all_supported"]) if {
	some r in resources
	state := result.attribute_state(r, "recording_group.all_supported")
	state != "known"
	not _no_group(r)
	msg := sprintf("AWS Config recorder %q: recording_group.all_supported is %s", [r.name, result.state_text[state]])
}

_no_group(r) if {
	result.attribute_state(r, "recording_group") == "known"
	r.attributes.recording_group == null
}
