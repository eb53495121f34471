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

checks := [check |
	some provider, area, name
	pkg := data.checks[provider][area][name]
	not endswith(name, "_test")
	pkg.metadata
	check := {
		"package": concat(".", ["checks", provider, area, name]),
		"metadata": pkg.metadata,
		"evaluated": sort([r.address | some r in pkg.resources]),
		"findings": [f | some f in pkg.findings],
	}
]

# A check package whose metadata does not resolve would otherwise vanish from
# the report silently; it is reported as an error instead.
errors contains sprintf("checks.%s.%s.%s: check has no complete METADATA", [provider, area, name]) if {
	some provider, area, name
	pkg := data.checks[provider][area][name]
	not endswith(name, "_test") # policy tests live beside the checks when loaded together
	not pkg.metadata
}
