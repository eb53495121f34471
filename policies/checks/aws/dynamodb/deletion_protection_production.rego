# METADATA
# title: Production DynamoDB table without deletion protection
# description: >-
#   Without deletion protection one DeleteTable call (a mistaken command, a
#   destroy in the wrong Terraform workspace, a compromised role) removes a
#   production table at once; point-in-time recovery then restores only into
#   a new table, with downtime.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-DDB-003
#   severity: medium
#   resource_types: [aws_dynamodb_table]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(c)(1)"]
#     soc2: ["A1.2"]
#     iso27001: ["A.8.13", "A.5.33"]
#   remediation: >-
#     Set deletion_protection_enabled = true on production tables; turn it off
#     deliberately, in a reviewed change, only when a table is to be removed.
package checks.aws.dynamodb.deletion_protection_production

import data.lib.inventory
import data.lib.result
import data.lib.tags

metadata := result.check_metadata(rego.metadata.chain())

# Only tables tagged as production are in scope.
resources := {r | some r in inventory.of(metadata); tags.production(r)}

# false, or null (never set: off, the default).
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "deletion_protection_enabled") == "known"
	value := r.attributes.deletion_protection_enabled
	value in {false, null}
	msg := sprintf("production %s %q can be deleted without first turning off protection (deletion_protection_enabled = %v)", [r.type, r.name, value])
}

findings contains result.indeterminate(metadata, r, msg, ["deletion_protection_enabled"]) if {
	some r in resources
	state := result.attribute_state(r, "deletion_protection_enabled")
	state != "known"
	msg := sprintf("%s %q: deletion_protection_enabled is %s", [r.type, r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["deletion_protection_enabled"]) if {
	some r in resources
	result.attribute_state(r, "deletion_protection_enabled") == "known"
	value := r.attributes.deletion_protection_enabled
	not value in {true, false, null}
	msg := sprintf("%s %q: deletion_protection_enabled is not a boolean (%s)", [r.type, r.name, _text(value)])
}

_text(value) := sprintf("%q", [value]) if is_string(value)

_text(value) := sprintf("%v", [value]) if not is_string(value)
