# METADATA
# title: VPC has no flow log of rejected traffic
# description: >-
#   Without a flow log recording rejected (or all) traffic, a VPC leaves no
#   record of port scans, blocked exfiltration attempts or which addresses
#   talked to a compromised instance.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NET-001
#   severity: medium
#   resource_types: [aws_vpc]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15", "A.8.16", "A.8.20"]
#   remediation: >-
#     Add an aws_flow_log with vpc_id naming the VPC, traffic_type = "ALL"
#     (or at least "REJECT"), delivered to CloudWatch Logs or S3 with a
#     retention that meets the logging policy.
package checks.aws.vpc.flow_logs

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "flow_logs") == "known"
	count(r.attributes.flow_logs) == 0
	msg := sprintf("VPC %q has no flow log", [r.name])
}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "flow_logs") == "known"
	count(r.attributes.flow_logs) > 0
	not _records_rejected(r.attributes.flow_logs)
	msg := sprintf("VPC %q flow logs record only accepted traffic (no traffic_type ALL or REJECT)", [r.name])
}

# The flow logs are folded into the VPC from the aws_flow_log resources (or
# the collector's DescribeFlowLogs); without them nothing can be said.
findings contains result.indeterminate(metadata, r, msg, ["flow_logs"]) if {
	some r in resources
	state := result.attribute_state(r, "flow_logs")
	state != "known"
	msg := sprintf("VPC %q: flow_logs is %s", [r.name, result.state_text[state]])
}

_records_rejected(logs) if {
	some log in logs
	upper(object.get(log, "traffic_type", "")) in {"ALL", "REJECT"}
}
