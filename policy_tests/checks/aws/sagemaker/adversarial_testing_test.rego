package checks.aws.sagemaker.adversarial_testing_test

import data.checks.aws.sagemaker.adversarial_testing as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-008",
	"title": "Deep-learning SageMaker model without recorded adversarial testing",
	"description": "Deep-learning and transformer models can be steered by crafted inputs (evasion, prompt injection, data extraction); until adversarial testing is recorded for such a model, its robustness is unreviewed. The check reports it as pending review, never as passed or failed.",
	"severity": "medium",
	"resource_types": ["aws_sagemaker_model"],
	"controls": {
		"gdpr": ["Art.32(1)(d)"],
		"hipaa": ["164.308(a)(1)(ii)(A)"],
		"soc2": ["CC3.2", "CC8.1"],
		"iso27001": ["A.8.29"],
	},
	"remediation": "Run adversarial testing (robustness, evasion, prompt-injection and data-extraction tests as fit the model) before deployment and record it on the model: adversarial_testing = {performed = true, date, report_uri}.",
}

_address := "arn:aws:sagemaker:eu-west-1:123456789012:model/support-assistant"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/sagemaker", "status": "complete"}],
	"resources": resources,
}

_model(attributes) := {
	"address": _address,
	"type": "aws_sagemaker_model",
	"provider": "aws",
	"name": "support-assistant",
	"attributes": attributes,
}

_tested := {"performed": true, "date": "2026-10-02", "report_uri": "s3://acme-ml-governance/support-assistant/adversarial-2026-10.pdf"}

_pending(message, paths) := expect.indeterminate(_metadata, _address, "aws_sagemaker_model", message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_transformer_with_recorded_testing if {
	r := _model({"model_family": "transformer", "adversarial_testing": _tested})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_tree_model_needs_no_testing if {
	every family in ["tree", "linear", "Gradient-Boosting"] {
		r := _model({"model_family": family, "adversarial_testing": null})
		count(check.findings) == 0 with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

test_pass_tree_model_with_testing_missing if {
	r := _model({"model_family": "tree"})
	count(check.findings) == 0 with input as _inventory([r])
}

# Never a failure: a deep-learning model without testing is pending review.
test_fail_never_reported_only_pending_review if {
	r := _model({"model_family": "transformer", "adversarial_testing": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/support-assistant", "aws_sagemaker_model",
		"SageMaker model \"support-assistant\" (transformer): pending review: no adversarial testing recorded",
		["adversarial_testing"],
	)}
	every f in findings {
		f.status != "fail"
	}
}

test_pending_deep_learning_performed_false if {
	r := _model({"model_family": "deep_learning", "adversarial_testing": {"performed": false, "date": null, "report_uri": null}})
	check.findings == {_pending("SageMaker model \"support-assistant\" (deep_learning): pending review: no adversarial testing recorded", ["adversarial_testing"])} with input as _inventory([r])
}

# The family is matched case-insensitively, with "-" and " " read as "_".
test_pending_family_spelling_normalised if {
	every family in ["Deep-Learning", " deep learning ", "TRANSFORMER"] {
		r := _model({"model_family": family, "adversarial_testing": {}})
		[f.status | some f in check.findings] == ["indeterminate"] with input as _inventory([r])
	}
}

test_missing_adversarial_testing if {
	r := _model({"model_family": "transformer"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/support-assistant", "aws_sagemaker_model",
		"SageMaker model \"support-assistant\" (transformer): pending review: no adversarial testing recorded (adversarial_testing is missing from the inventory)",
		["adversarial_testing"],
	)}
}

test_unknown_adversarial_testing_performed if {
	r := object.union(_model({"model_family": "transformer", "adversarial_testing": {"date": "2026-10-02"}}), {"unknown": ["adversarial_testing.performed"]})
	check.findings == {_pending("SageMaker model \"support-assistant\" (transformer): pending review: no adversarial testing recorded (adversarial_testing is known only after apply)", ["adversarial_testing"])} with input as _inventory([r])
}

test_missing_model_family if {
	r := _model({"adversarial_testing": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/support-assistant", "aws_sagemaker_model",
		"SageMaker model \"support-assistant\": model_family is missing from the inventory", ["model_family"],
	)}
}

test_unknown_model_family if {
	r := object.union(_model({"adversarial_testing": _tested}), {"unknown": ["model_family"]})
	check.findings == {_pending("SageMaker model \"support-assistant\": model_family is known only after apply", ["model_family"])} with input as _inventory([r])
}

test_missing_model_family_null if {
	r := _model({"model_family": null, "adversarial_testing": null})
	check.findings == {_pending("SageMaker model \"support-assistant\": model_family is not recorded (null)", ["model_family"])} with input as _inventory([r])
}

test_pass_out_of_scope_types_ignored if {
	notebook := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/research",
		"type": "aws_sagemaker_notebook_instance",
		"provider": "aws",
		"name": "research",
		"attributes": {"model_family": "transformer"},
	}
	count(check.findings) == 0 with input as _inventory([notebook])
	count(check.resources) == 0 with input as _inventory([notebook])
}

# Common aliases of the reviewed families, in any case and with "-" or " ".
test_pending_family_aliases if {
	every family in [
		"transformer", "Transformers", "LLM", "large language model", "Large-Language-Model",
		"deep_learning", "deep-learning", "Neural Network", "neural_network", "CNN", "rnn", "Diffusion",
	] {
		r := _model({"model_family": family, "adversarial_testing": {}})
		expected := lower(replace(replace(trim_space(family), "-", "_"), " ", "_"))
		check.findings == {_pending(sprintf("SageMaker model \"support-assistant\" (%s): pending review: no adversarial testing recorded", [expected]), ["adversarial_testing"])} with input as _inventory([r])
	}
}

test_pass_other_families_not_reviewed if {
	every family in ["xgboost", "linear_learner", "random-forest", "LLMOps", "cnn_feature_store"] {
		r := _model({"model_family": family, "adversarial_testing": {}})
		count(check.findings) == 0 with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}
