# METADATA
# title: Production load balancer without deletion protection
# description: >-
#   A production load balancer that can be deleted by one API call or a
#   mistaken Terraform change takes every service behind it offline.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-ELB-005
#   severity: low
#   resource_types: [aws_lb, aws_alb]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(7)(ii)(C)"]
#     pci_dss: ["6.5.1"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.14", "A.8.9"]
#   remediation: >-
#     Set enable_deletion_protection = true on load balancers tagged as
#     production (the parameters environment_tag_keys and
#     production_environments say which).
package checks.aws.elb.deletion_protection_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

resources := {r | some r in inventory.of(metadata); tags.production(r)}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "enable_deletion_protection") == "known"
	r.attributes.enable_deletion_protection != true
	msg := sprintf("Production load balancer %q can be deleted (enable_deletion_protection not true)", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["enable_deletion_protection"]) if {
	some r in resources
	state := result.attribute_state(r, "enable_deletion_protection")
	state != "known"
	msg := sprintf("Production load balancer %q: enable_deletion_protection is %s", [r.name, result.state_text[state]])
}
