# METADATA
# title: Repeated failed logins from one user and client
# description: >-
#   More failed logins (SQLSTATE 28P01 wrong password, 28000 rejected by
#   pg_hba.conf) for one user from one client address in the period than the
#   threshold allows: password guessing, or a service holding a stale secret
#   that will lock someone out.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: PG-AUD-003
#   severity: medium
#   resource_types: [postgresql_audit_summary]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(5)(ii)(C)", "164.312(b)"]
#     pci_dss: ["10.2.1.4", "8.3.4"]
#     soc2: ["CC7.2", "CC6.1"]
#     iso27001: ["A.8.5", "A.8.16"]
#   remediation: >-
#     Find the client and the user in the log; block the address or rotate the
#     stale credential, and consider authentication that cannot be guessed
#     (certificates, IAM or Kerberos) for that role.
package checks.postgres.audit.failed_logins

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

_deciding := ["failed_logins", "failed_logins_total"]

_known(r, path) if result.attribute_state(r, path) == "known"

_threshold := params.value("postgres_audit_failed_login_threshold")

# Failures per (user, client), over both SQLSTATEs.
_per_client(r) := {[u, c]: n |
	some e in r.attributes.failed_logins
	u := object.get(e, "user", "")
	c := object.get(e, "client", "")
	n := sum([object.get(f, "count", 0) |
		some f in r.attributes.failed_logins
		object.get(f, "user", "") == u
		object.get(f, "client", "") == c
	])
}

_over(r) := sort([sprintf("user %q from %q: %d", [k[0], k[1], n]) |
	some k, n in _per_client(r)
	n > _threshold
])

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	_known(r, "failed_logins")
	over := _over(r)
	count(over) > 0
	msg := sprintf("%q: failed logins above %d in the period (%s)", [r.name, _threshold, concat("; ", over)])
}

findings contains result.indeterminate(metadata, r, msg, paths) if {
	some r in resources
	paths := [p | some p in _deciding; not _known(r, p)]
	count(paths) > 0
	reasons := [sprintf("%s is %s", [p, result.state_text[result.attribute_state(r, p)]]) | some p in paths]
	msg := sprintf("%q: %s", [r.name, concat("; ", reasons)])
}

# The list keeps the largest counts first; failures left off could still add up.
findings contains result.indeterminate(metadata, r, msg, ["failed_logins"]) if {
	some r in resources
	every p in _deciding {
		_known(r, p)
	}
	count(_over(r)) == 0
	listed := sum([object.get(e, "count", 0) | some e in r.attributes.failed_logins])
	r.attributes.failed_logins_total > listed
	msg := sprintf("%q: %d failed logins, %d listed per user and client", [r.name, r.attributes.failed_logins_total, listed])
}
