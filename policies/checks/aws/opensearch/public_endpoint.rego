# METADATA
# title: OpenSearch domain has a public endpoint
# description: >-
#   A search domain outside a VPC has an endpoint on the internet, guarded
#   only by its access policy; one permissive statement exposes every index
#   to anyone.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-OS-005
#   severity: high
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["1.4.4", "7.2.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.8.3", "A.8.20"]
#   remediation: >-
#     Create the domain inside a VPC (vpc_options with private subnet_ids
#     and security_group_ids) and reach it through the VPC; a domain cannot
#     be moved from a public endpoint to a VPC in place.
package checks.aws.opensearch.public_endpoint

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "vpc_options") == "known"
	not _in_vpc(r.attributes.vpc_options)
	msg := sprintf("%s %q has a public endpoint (no vpc_options subnets)", [_label[r.type], r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["vpc_options"]) if {
	some r in resources
	state := result.attribute_state(r, "vpc_options")
	state != "known"
	msg := sprintf("%s %q: vpc_options is %s", [_label[r.type], r.name, result.state_text[state]])
}

# Subnet ids known only after apply still place the domain in a VPC.
_in_vpc(options) if {
	is_object(options)
	count(object.get(options, "subnet_ids", [])) > 0
}

_label := {"aws_opensearch_domain": "OpenSearch domain", "aws_elasticsearch_domain": "Elasticsearch domain"}
