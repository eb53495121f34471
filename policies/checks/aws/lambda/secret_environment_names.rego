# METADATA
# title: Lambda function environment variables named like secrets
# description: >-
#   Environment variables of a Lambda function are returned in plain text to
#   anyone allowed GetFunctionConfiguration, and show in the console, the
#   plan and the state; a variable named like a password, token or key most
#   likely holds one. Secrets belong in Secrets Manager or SSM Parameter
#   Store, read by the function at run time.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-007
#   severity: high
#   resource_types: [aws_lambda_function]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.312(a)(1)", "164.308(a)(5)(ii)(D)"]
#     pci_dss: ["8.6.2", "8.3.2"]
#     soc2: ["CC6.1"]
#     iso27001: ["A.5.17", "A.8.12"]
#   remediation: >-
#     Move each flagged value to Secrets Manager (or an SSM SecureString
#     parameter), keep only its name or ARN in the environment, read it at run
#     time (the AWS Parameters and Secrets Lambda Extension caches it), give
#     the function's role read access to it, and rotate the exposed value.
package checks.aws.lambda.secret_environment_names

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# Names only: no value is read into a message. A value known only after
# apply still has a known name (its path in unknown), so it is judged too.
findings contains result.fail(metadata, r, msg) if {
	some r in resources
	found := _found(r)
	count(found) > 0
	msg := sprintf("Lambda function %q sets secret-looking environment variable(s) in plain text: %s", [r.name, concat(", ", found)])
}

findings contains result.indeterminate(metadata, r, msg, [path]) if {
	some r in resources
	count(_found(r)) == 0
	[path, reason] := _problem(r)
	msg := sprintf("Lambda function %q: %s is %s", [r.name, path, reason])
}

_found(r) := sort([name |
	some name in _names(r)
	_secret_name(name)
])

# Why the variable names cannot be read, as [path, reason]; undefined when
# they can (no environment block, or a known map of variables).
_problem(r) := ["environment", result.state_text.unknown] if {
	_unknown_itself(r, "environment")
} else := ["environment", result.state_text.missing] if {
	result.attribute_state(r, "environment") == "missing"
} else := ["environment", "not an object"] if {
	environment := r.attributes.environment
	environment != null
	not is_object(environment)
} else := ["environment.variables", result.state_text.unknown] if {
	r.attributes.environment != null
	_unknown_itself(r, "environment.variables")
} else := ["environment.variables", result.state_text.missing] if {
	r.attributes.environment != null
	result.attribute_state(r, "environment.variables") == "missing"
} else := ["environment.variables", "not an object"] if {
	variables := r.attributes.environment.variables
	variables != null
	not is_object(variables)
}

# The value at path itself is unknown, not only a part inside (a parent is
# asked about first).
_unknown_itself(r, path) if path in object.get(r, "unknown", [])

_names(r) := {name | some name, _ in _variables(r)} | {name |
	some path in object.get(r, "unknown", [])
	startswith(path, "environment.variables.")
	name := substring(path, count("environment.variables."), -1)
	name != ""
}

_variables(r) := v if {
	environment := r.attributes.environment
	is_object(environment)
	v := environment.variables
	is_object(v)
} else := {}

# A name that says it holds where a secret is (its ARN, name or parameter
# path: what the remediation asks for) is not a secret itself.
_secret_name(name) if {
	some pattern in params.value("secret_environment_name_patterns")
	regex.match(pattern, name)
	not _reference_name(name)
}

_reference_name(name) if {
	some pattern in params.value("secret_reference_name_patterns")
	regex.match(pattern, name)
}
