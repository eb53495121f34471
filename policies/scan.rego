# METADATA
# title: Scan entrypoint
# description: |
#   Aggregates every check under data.checks into one document, so a whole
#   scan is a single OPA query. Checks live at checks.<provider>.<area>.<name>.
package scan

# report lists, per check, its metadata, the resources it evaluated and its
# findings, plus the framework catalogues; the Python processor derives passes,
# scores and summaries from them.
report := {
	"checks": checks,
	"errors": errors,
	"frameworks": frameworks,
}

# The catalogues under policies/frameworks; an OPA serving no catalogue still scans.
default frameworks := {}

frameworks := data.frameworks

# Each check's rules are read by name (metadata, resources, findings), never the
# whole package document: with the policy tests loaded (opa test), `_test`
# packages sit beside the checks, and reading one whole would run its tests.
checks := [check |
	some provider, area, name
	metadata := data.checks[provider][area][name].metadata
	not endswith(name, "_test")
	check := {
		"package": concat(".", ["checks", provider, area, name]),
		"metadata": metadata,
		"evaluated": sort([r.address | some r in data.checks[provider][area][name].resources]),
		"findings": [f | some f in data.checks[provider][area][name].findings],
	}
]

# A check package (one with findings) whose metadata does not resolve would
# otherwise vanish from the report silently; it is reported as an error instead.
errors contains sprintf("checks.%s.%s.%s: check has no complete METADATA", [provider, area, name]) if {
	some provider, area, name
	data.checks[provider][area][name].findings
	not endswith(name, "_test") # policy tests live beside the checks when loaded together
	not data.checks[provider][area][name].metadata
}
