# METADATA
# title: Lambda function on a deprecated runtime
# description: >-
#   A deprecated runtime no longer receives security patches for its language
#   runtime or operating system, and AWS eventually blocks updates to it.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-LMB-006
#   severity: medium
#   resource_types: [aws_lambda_function]
#   controls:
#     gdpr: ["Art.32(1)(b)"]
#     hipaa: ["164.308(a)(1)(ii)(B)"]
#     pci_dss: ["6.3.3"]
#     soc2: ["CC7.1"]
#     iso27001: ["A.8.8"]
#   remediation: >-
#     Move the function to a supported runtime (for example nodejs22.x,
#     python3.13, java21) and test it there; the deprecated runtimes are the
#     parameter lambda_deprecated_runtimes.
package checks.aws.lambda.deprecated_runtime

import data.lib.inventory
import data.lib.params
import data.lib.result

metadata := result.check_metadata(rego.metadata.chain())

# Container images bring their own runtime: nothing to judge here.
resources := {r | some r in inventory.of(metadata); object.get(r.attributes, "package_type", null) != "Image"}

findings contains result.fail(metadata, r, msg) if {
	some r in resources
	result.attribute_state(r, "runtime") == "known"
	r.attributes.runtime in params.value("lambda_deprecated_runtimes")
	msg := sprintf("Lambda function %q runs on the deprecated runtime %s", [r.name, r.attributes.runtime])
}

findings contains result.indeterminate(metadata, r, msg, ["runtime"]) if {
	some r in resources
	state := result.attribute_state(r, "runtime")
	state != "known"
	msg := sprintf("Lambda function %q: runtime is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["runtime"]) if {
	some r in resources
	result.attribute_state(r, "runtime") == "known"
	not is_string(r.attributes.runtime)
	msg := sprintf("Lambda function %q: runtime is not set and package_type is not Image", [r.name])
}
