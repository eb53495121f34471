# METADATA
# title: RDS database with a well-known default master user name
# description: >-
#   The master user of an RDS database holds every privilege. A name such as
#   admin, root, postgres or sa is the first one password-guessing tools try,
#   so a well-known name leaves only the password between an attacker who
#   reaches the endpoint and full control of the data.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-RDS-016
#   severity: medium
#   resource_types: [aws_db_instance, aws_rds_cluster]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.312(d)"]
#     pci_dss: ["2.2.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.8.5", "A.8.2"]
#   remediation: >-
#     Choose a master user name that is not in the rds_default_master_usernames
#     parameter (username on aws_db_instance, master_username on
#     aws_rds_cluster). The name cannot be changed in place, and a restored
#     snapshot keeps it: create a new database with another master user name
#     and move the data to it (AWS DMS, dump and restore). Meanwhile keep the
#     master password in Secrets Manager (manage_master_user_password = true)
#     and the endpoint private.
package checks.aws.rds.default_master_username

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# The attribute holding the master user name of each type.
user_attribute := {
	"aws_db_instance": "username",
	"aws_rds_cluster": "master_username",
}

# The name itself is never printed: only that it is on the list.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	path := user_attribute[r.type]
	result.attribute_state(r, path) == "known"
	name := r.attributes[path]
	is_string(name)
	lower(trim_space(name)) in params.value("rds_default_master_usernames")
	msg := sprintf("%s %q has a well-known default master user name (%s is on the rds_default_master_usernames list)", [r.type, r.name, path])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := user_attribute[r.type]
	state := result.attribute_state(r, path)
	state != "known"
	msg := sprintf("%s %q: %s is %s", [r.type, r.name, path, result.state_text[state]])
}

# A null or empty name (a read replica or a restore inherits it) is not
# recorded here: undecided, not passed.
findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	path := user_attribute[r.type]
	result.attribute_state(r, path) == "known"
	not _named(r.attributes[path])
	msg := sprintf("%s %q: %s is not recorded (empty, null or not text)", [r.type, r.name, path])
}

_named(name) if {
	is_string(name)
	trim_space(name) != ""
}
