# METADATA
# title: VPC holding classified data without endpoints for its key AWS services
# description: >-
#   Without VPC endpoints, traffic from a VPC that holds classified data to S3,
#   KMS and the other services it depends on leaves through a NAT or internet
#   gateway, outside the reach of endpoint policies and aws:SourceVpce
#   conditions that keep the data inside the organization.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-NET-006
#   severity: medium
#   resource_types: [aws_vpc]
#   controls:
#     gdpr: ["Art.32(1)(a)", "Art.32(1)(b)"]
#     hipaa: ["164.312(e)(1)"]
#     pci_dss: ["1.3.2", "1.4.2"]
#     soc2: ["CC6.6", "CC6.7"]
#     iso27001: ["A.8.20", "A.8.22"]
#   remediation: >-
#     Create an aws_vpc_endpoint in the VPC for each service listed in
#     classified_vpc_endpoint_services (a Gateway endpoint for S3 and
#     DynamoDB, Interface endpoints with private DNS for KMS and the others),
#     with an endpoint policy limited to your organization's resources.
package checks.aws.vpc.classified_endpoints

import data.lib.inventory
import data.lib.params
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only VPCs tagged with classified data are in scope.
resources := {r | some r in inventory.of(metadata); tags.classified(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_readable(r)
	absent := _absent(r)
	count(absent) > 0
	count(_unnamed(r)) == 0
	msg := sprintf("VPC %q holds classified data but has no VPC endpoint for %s", [r.name, concat(", ", sort(absent))])
}

findings contains result.indeterminate(metadata, r, msg, ["vpc_endpoints"]) if {
	some r in resources
	state := result.attribute_state(r, "vpc_endpoints")
	state != "known"
	msg := sprintf("VPC %q: vpc_endpoints is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["vpc_endpoints"]) if {
	some r in resources
	result.attribute_state(r, "vpc_endpoints") == "known"
	not is_array(r.attributes.vpc_endpoints)
	msg := sprintf("VPC %q: vpc_endpoints is not a list of endpoints", [r.name])
}

# A service not found while some endpoint's service name is not known: that
# endpoint may be the one.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	_readable(r)
	absent := _absent(r)
	count(absent) > 0
	paths := _unnamed(r)
	count(paths) > 0
	msg := sprintf("VPC %q holds classified data and has no known VPC endpoint for %s; %s not readable", [r.name, concat(", ", sort(absent)), concat(", ", paths)])
}

_readable(r) if {
	result.attribute_state(r, "vpc_endpoints") == "known"
	is_array(r.attributes.vpc_endpoints)
}

_absent(r) := {service |
	some service in params.value("classified_vpc_endpoint_services")
	not _has_endpoint(r, service)
}

_has_endpoint(r, service) if {
	some endpoint in r.attributes.vpc_endpoints
	_service(object.get(endpoint, "service_name", null)) in {service, sprintf("%s-fips", [service])}
}

# The service part of an endpoint service name: com.amazonaws.<region>.<service>
# (also cn.com.amazonaws.<region>.<service> in the China regions).
_service(name) := lower(parts[0][1]) if {
	is_string(name)
	parts := regex.find_all_string_submatch_n(`^(?:cn\.)?com\.amazonaws\.[a-z]{2}(?:-[a-z]+)+-[0-9]+\.(.+)$`, name, 1)
	count(parts) == 1
}

# Endpoints whose service name is not text (an unknown one makes the whole
# of vpc_endpoints unknown).
_unnamed(r) := [sprintf("vpc_endpoints.%d.service_name", [i]) |
	some i, endpoint in r.attributes.vpc_endpoints
	not is_string(object.get(endpoint, "service_name", null))
]
