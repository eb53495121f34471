package checks.aws.sagemaker.high_sensitivity_data_capture_test

import data.checks.aws.sagemaker.high_sensitivity_data_capture as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-006",
	"title": "High-sensitivity SageMaker endpoint without data capture",
	"description": "An endpoint serving a model tagged high sensitivity must keep an audit trail of what it was asked and what it answered; without data capture its decisions cannot be reviewed, explained or investigated afterwards.",
	"severity": "high",
	"resource_types": ["aws_sagemaker_endpoint_configuration"],
	"controls": {
		"hipaa": ["164.312(b)"],
		"pci_dss": ["10.2.1"],
		"soc2": ["CC7.2"],
		"iso27001": ["A.8.15", "A.8.16"],
	},
	"remediation": "Add a data_capture_config with enable_capture = true, an initial_sampling_percentage above 0 (100 for full audit), capture_options for Input and Output, a destination_s3_uri in a restricted bucket and a kms_key_id.",
}

_address := "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/credit-decision"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/sagemaker", "status": "complete"}],
	"resources": resources,
}

_config(attributes) := {
	"address": _address,
	"type": "aws_sagemaker_endpoint_configuration",
	"provider": "aws",
	"name": "credit-decision",
	"tags": {"Sensitivity": "High"},
	"attributes": attributes,
}

# object.union merges nested objects: replace the tags instead.
_tagged(attributes, tags) := object.union(object.remove(_config(attributes), ["tags"]), {"tags": tags})

_capture := {
	"enable_capture": true,
	"initial_sampling_percentage": 100,
	"destination_s3_uri": "s3://acme-ml-capture/credit-decision",
	"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000012",
	"capture_options": [{"capture_mode": "Input"}, {"capture_mode": "Output"}],
}

_fail(message) := expect.fail(_metadata, _address, "aws_sagemaker_endpoint_configuration", message)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_high_sensitivity_with_data_capture if {
	r := _config({"kms_key_arn": null, "data_capture_config": _capture})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

_indeterminate(message, paths) := object.union(_fail(message), {"status": "indeterminate", "paths": paths})

# A capture block without enable_capture is undecided, never a pass: the
# inventory does not say whether capture runs.
test_missing_enable_capture if {
	every block in [{}, object.remove(_capture, ["enable_capture"])] {
		r := _config({"data_capture_config": block})
		check.findings == {_indeterminate("SageMaker endpoint configuration \"credit-decision\": data_capture_config.enable_capture is missing from the inventory", ["data_capture_config.enable_capture"])} with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

test_missing_enable_capture_null if {
	r := _config({"data_capture_config": object.union(_capture, {"enable_capture": null})})
	check.findings == {_indeterminate("SageMaker endpoint configuration \"credit-decision\": data_capture_config.enable_capture is not recorded (null)", ["data_capture_config.enable_capture"])} with input as _inventory([r])
}

test_fail_no_data_capture_config if {
	r := _config({"kms_key_arn": null, "data_capture_config": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/credit-decision",
		"aws_sagemaker_endpoint_configuration",
		"SageMaker endpoint configuration \"credit-decision\" is high sensitivity but captures no inference data (no data_capture_config)",
	)}
}

test_fail_enable_capture_false if {
	r := _config({"data_capture_config": object.union(_capture, {"enable_capture": false})})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("SageMaker endpoint configuration \"credit-decision\" is high sensitivity but captures no inference data (enable_capture = false)")}
}

test_fail_sampling_percentage_zero if {
	r := _config({"data_capture_config": object.union(_capture, {"initial_sampling_percentage": 0})})
	findings := check.findings with input as _inventory([r])
	findings == {_fail("SageMaker endpoint configuration \"credit-decision\" is high sensitivity but captures no inference data (initial_sampling_percentage = 0)")}
}

test_pass_sampling_percentage_one if {
	r := _config({"data_capture_config": object.union(_capture, {"initial_sampling_percentage": 1})})
	count(check.findings) == 0 with input as _inventory([r])
}

test_missing_data_capture_config if {
	r := _config({"kms_key_arn": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/credit-decision",
		"aws_sagemaker_endpoint_configuration",
		"SageMaker endpoint configuration \"credit-decision\": data_capture_config is missing from the inventory",
		["data_capture_config"],
	)}
}

test_unknown_data_capture_sub_setting if {
	block := object.remove(_capture, ["enable_capture"])
	r := object.union(_config({"data_capture_config": block}), {"unknown": ["data_capture_config.enable_capture"]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/credit-decision",
		"aws_sagemaker_endpoint_configuration",
		"SageMaker endpoint configuration \"credit-decision\": data_capture_config is known only after apply",
		["data_capture_config"],
	)}
}

# Sensitivity comes from the configured tag keys and values, case-insensitive.
test_pass_not_high_sensitivity_out_of_scope if {
	every tags in [{}, {"Sensitivity": "low"}, {"Owner": "high"}] {
		r := _tagged({"data_capture_config": null}, tags)
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_fail_other_sensitivity_keys_and_values if {
	every tags in [{"ModelRisk": "critical"}, {"model_risk": "HIGH"}] {
		r := _tagged({"data_capture_config": null}, tags)
		check.findings == {_fail("SageMaker endpoint configuration \"credit-decision\" is high sensitivity but captures no inference data (no data_capture_config)")} with input as _inventory([r])
	}
}

test_fail_sensitivity_values_parameter_override if {
	r := _tagged({"data_capture_config": null}, {"Sensitivity": "restricted"})
	count(check.findings) == 0 with input as _inventory([r])
	inventory := object.union(_inventory([r]), {"parameters": {"high_sensitivity_values": ["restricted"]}})
	check.findings == {_fail("SageMaker endpoint configuration \"credit-decision\" is high sensitivity but captures no inference data (no data_capture_config)")} with input as inventory
}

test_pass_out_of_scope_types_ignored if {
	model := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:model/credit",
		"type": "aws_sagemaker_model",
		"provider": "aws",
		"name": "credit",
		"tags": {"Sensitivity": "high"},
		"attributes": {"data_capture_config": null},
	}
	count(check.findings) == 0 with input as _inventory([model])
	count(check.resources) == 0 with input as _inventory([model])
}
