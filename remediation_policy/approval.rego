# The default approval policy of `opa-comply remediate`: for each proposed fix, `auto`
# (applied without a person), `approve` with the number of distinct approvers it needs,
# or `deny`. Replace it with your own through the config's `remediation.approval_policy`
# (a .rego file or a folder of them defining this package's `decision`).
#
# input.proposal: check_id, severity (critical|high|medium|low), risk (0-100),
# environment ("" when untagged), data_classes, impact (resource|account|database),
# blast_radius (one line per thing the change touches), platform, resource_type,
# resource, tags.
package opa_comply.remediation.approval

# A resource may opt out of automatic fixes with this tag (any value but "auto").
manual_tag := "opa-comply:remediation"

# Changes that touch more than this many other things are for a person to make.
max_blast_radius := 20

# Environments known not to be production. Any other value, and an untagged resource,
# is treated as production: an unknown environment never makes a fix automatic.
non_production := {
	"dev", "development", "test", "testing", "qa", "uat", "staging", "stage",
	"sandbox", "nonprod", "non-production", "preprod", "demo",
}

p := input.proposal

deny contains sprintf("resource tagged %s=%s", [manual_tag, p.tags[manual_tag]]) if {
	p.tags[manual_tag] != "auto"
}

deny contains sprintf("blast radius of %d items is above %d", [count(p.blast_radius), max_blast_radius]) if {
	count(p.blast_radius) > max_blast_radius
}

in_production if not lower(p.environment) in non_production

classified if count(p.data_classes) > 0

# Two people for a production change that touches classified data or more than the
# resource itself.
needs contains [2, "production change on classified data"] if {
	in_production
	classified
}

needs contains [2, sprintf("production change with %s-wide impact", [p.impact])] if {
	in_production
	p.impact != "resource"
}

needs contains [1, "production (or untagged) environment"] if in_production

needs contains [1, sprintf("%s severity", [p.severity])] if p.severity in {"critical", "high"}

needs contains [1, sprintf("%s-wide impact", [p.impact])] if p.impact != "resource"

needs contains [1, "classified data"] if classified

approvals := max({n | some [n, _] in needs})

reasons := concat("; ", sort({why | some [n, why] in needs; n == approvals}))

decision := {"action": "deny", "approvals": 0, "reason": concat("; ", sort(deny))} if {
	count(deny) > 0
} else := {"action": "approve", "approvals": approvals, "reason": reasons} if {
	count(needs) > 0
} else := {"action": "auto", "approvals": 0, "reason": "non-production, resource-only, unclassified, medium or low severity"}
