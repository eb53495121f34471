# METADATA
# title: Deep-learning SageMaker model without recorded adversarial testing
# description: >-
#   Deep-learning and transformer models can be steered by crafted inputs
#   (evasion, prompt injection, data extraction); until adversarial testing is
#   recorded for such a model, its robustness is unreviewed. The check reports it
#   as pending review, never as passed or failed.
# scope: package
# schemas:
#   - input: schema.inventory
# custom:
#   id: AWS-SGM-008
#   severity: medium
#   resource_types: [aws_sagemaker_model]
#   controls:
#     gdpr: ["Art.32(1)(d)"]
#     hipaa: ["164.308(a)(1)(ii)(A)"]
#     soc2: ["CC3.2", "CC8.1"]
#     iso27001: ["A.8.29"]
#   remediation: >-
#     Run adversarial testing (robustness, evasion, prompt-injection and
#     data-extraction tests as fit the model) before deployment and record it on
#     the model: adversarial_testing = {performed = true, date, report_uri}.
package checks.aws.sagemaker.adversarial_testing

import data.lib.inventory
import data.lib.result

# Model families that need adversarial testing before use, with their common
# aliases, as model_family reads once normalised (lower case, surrounding spaces
# trimmed, "-" and " " read as "_"). Candidate for a parameter
# (adversarial_review_families) if users need to extend it.
review_families := {
	"cnn",
	"deep_learning",
	"diffusion",
	"large_language_model",
	"llm",
	"neural_network",
	"rnn",
	"transformer",
	"transformers",
}

pending := "pending review: no adversarial testing recorded"

metadata := result.check_metadata(rego.metadata.chain())

resources := inventory.of(metadata)

# In scope and known not to be tested: pending review, never a failure.
findings contains result.indeterminate(metadata, r, msg, ["adversarial_testing"]) if {
	some r in resources
	family := _family(r)
	family in review_families
	result.attribute_state(r, "adversarial_testing") == "known"
	not _performed(r.attributes.adversarial_testing)
	msg := sprintf("SageMaker model %q (%s): %s", [r.name, family, pending])
}

# In scope, testing not collected or known only after apply: still pending.
findings contains result.indeterminate(metadata, r, msg, ["adversarial_testing"]) if {
	some r in resources
	family := _family(r)
	family in review_families
	state := result.attribute_state(r, "adversarial_testing")
	state != "known"
	msg := sprintf("SageMaker model %q (%s): %s (adversarial_testing is %s)", [r.name, family, pending, result.state_text[state]])
}

# Whether the model needs the review cannot be told without its family.
findings contains result.indeterminate(metadata, r, msg, ["model_family"]) if {
	some r in resources
	state := result.attribute_state(r, "model_family")
	state != "known"
	msg := sprintf("SageMaker model %q: model_family is %s", [r.name, result.state_text[state]])
}

findings contains result.indeterminate(metadata, r, msg, ["model_family"]) if {
	some r in resources
	result.attribute_state(r, "model_family") == "known"
	not is_string(r.attributes.model_family)
	msg := sprintf("SageMaker model %q: model_family is not recorded (null)", [r.name])
}

_family(r) := lower(replace(replace(trim_space(r.attributes.model_family), "-", "_"), " ", "_")) if {
	result.attribute_state(r, "model_family") == "known"
	is_string(r.attributes.model_family)
}

_performed(testing) if {
	is_object(testing)
	testing.performed == true
}
