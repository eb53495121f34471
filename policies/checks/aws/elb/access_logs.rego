# METADATA
# title: Load balancer access logs not enabled
# description: >-
#   Without access logs there is no record of who sent which request through
#   the load balancer, so attacks and data access cannot be traced.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-004
#   severity: medium
#   resource_types: [aws_lb, aws_alb, aws_elb]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(b)"]
#     pci_dss: ["10.2.1"]
#     soc2: ["CC7.2"]
#     iso27001: ["A.8.15"]
#   remediation: >-
#     Add an access_logs block with enabled = true and bucket set to an S3
#     bucket whose policy lets the Elastic Load Balancing service write to it.
package checks.aws.elb.access_logs

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "access_logs") == "known"
	not _logging(r)
	msg := sprintf("Load balancer %q does not write access logs", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["access_logs"]) if {
	some r in resources
	state := result.attribute_state(r, "access_logs")
	state != "known"
	msg := sprintf("Load balancer %q: access_logs is %s", [r.name, result.state_text[state]])
}

# A block with a bucket logs when enabled; enabled defaults to false on
# aws_lb and to true on a classic aws_elb.
_logging(r) if {
	logs := r.attributes.access_logs
	is_object(logs)
	bucket := object.get(logs, "bucket", null)
	is_string(bucket)
	bucket != ""
	object.get(logs, "enabled", null) == true
}

_logging(r) if {
	r.type == "aws_elb"
	logs := r.attributes.access_logs
	is_object(logs)
	bucket := object.get(logs, "bucket", null)
	is_string(bucket)
	bucket != ""
	object.get(logs, "enabled", null) == null
}
