# METADATA
# title: Instance metadata reachable from containers (hop limit too high)
# description: >-
#   A metadata response hop limit above the allowed maximum lets the IMDSv2
#   token cross a container bridge, so every container or pod on the host can
#   take the instance role's credentials.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-EC2-109
#   severity: low
#   resource_types: [aws_instance, aws_launch_template, aws_launch_configuration]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.5"]
#     soc2: ["CC6.3"]
#     iso27001: ["A.8.2", "A.8.9"]
#   remediation: >-
#     Set metadata_options { http_put_response_hop_limit = 1 } (the parameter
#     maximum_imds_hop_limit) and give containers their own credentials
#     (ECS task roles, EKS Pod Identity or IRSA).
package checks.aws.ec2.imds_hop_limit

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_path := "metadata_options.http_put_response_hop_limit"

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_endpoint_on(r)
	result.attribute_state(r, _path) == "known"
	limit := r.attributes.metadata_options.http_put_response_hop_limit
	is_number(limit)
	limit > params.value("maximum_imds_hop_limit")
	msg := sprintf("%s %q lets metadata responses travel %d hops (most allowed: %d)", [r.type, r.name, limit, params.value("maximum_imds_hop_limit")])
}

findings contains result.indeterminate(metadata, r, msg, [_path]) if {
	some r in resources
	_endpoint_on(r)
	state := result.attribute_state(r, _path)
	state != "known"
	msg := sprintf("%s %q: %s is %s", [r.type, r.name, _path, result.state_text[state]])
}

# Without the block (IMDSv2 check's business) or with the endpoint off there
# is no hop limit to judge; an endpoint not known yet still is.
_endpoint_on(r) if {
	is_object(object.get(r.attributes, "metadata_options", null))
	object.get(r.attributes.metadata_options, "http_endpoint", null) != "disabled"
}

# Unset (null), the AMI's default decides: 1 for most, 2 for Amazon Linux 2023.
findings contains result.indeterminate(metadata, r, msg, [_path]) if {
	some r in resources
	_endpoint_on(r)
	result.attribute_state(r, _path) == "known"
	not is_number(r.attributes.metadata_options.http_put_response_hop_limit)
	msg := sprintf("%s %q sets no %s: the AMI's default decides how far metadata responses travel", [r.type, r.name, _path])
}
