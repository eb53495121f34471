# METADATA
# title: Lambda permission open to any principal without a source condition
# description: >-
#   A resource policy statement for principal "*" with no source ARN, source
#   account or organization lets any AWS account (or anyone, for a function
#   URL) invoke the function.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-003
#   severity: high
#   resource_types: [aws_lambda_permission]
#   controls:
#     gdpr: ["Art.25(2)", "Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)"]
#     pci_dss: ["7.2.1", "1.4.4"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001: ["A.5.15", "A.8.3"]
#   remediation: >-
#     Name the calling service or account as principal, and set source_arn (and
#     source_account for S3) or principal_org_id so that only your own
#     resources can invoke the function.
package checks.aws.lambda.permission_public

import data.lib.inventory
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

conditions := ["source_arn", "source_account", "principal_org_id"]

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_open(r)
	every c in conditions {
		result.attribute_state(r, c) == "known"
	}
	msg := sprintf("Lambda permission %q lets any principal invoke the function, with no source_arn, source_account or principal_org_id", [r.name])
}

findings contains result.indeterminate(metadata, r, msg, ["principal"]) if {
	some r in resources
	state := result.attribute_state(r, "principal")
	state != "known"
	msg := sprintf("Lambda permission %q: principal is %s", [r.name, result.state_text[state]])
}

# Open to everyone unless a condition already known to be set narrows it; a
# condition not known yet leaves the verdict open.
findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	_open(r)
	paths := [c | some c in conditions; result.attribute_state(r, c) != "known"]
	count(paths) > 0
	states := {result.state_text[result.attribute_state(r, c)] | some c in paths}
	msg := sprintf("Lambda permission %q lets any principal invoke the function; %s %s", [r.name, concat(", ", paths), concat(" or ", sort(states))])
}

# Principal "*" and no condition known to be set.
_open(r) if {
	result.attribute_state(r, "principal") == "known"
	r.attributes.principal == "*"
	not _narrowed(r)
}

_narrowed(r) if {
	some c in conditions
	result.attribute_state(r, c) == "known"
	value := r.attributes[c]
	is_string(value)
	value != ""
}
