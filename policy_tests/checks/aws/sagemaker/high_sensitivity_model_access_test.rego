package checks.aws.sagemaker.high_sensitivity_model_access_test

import data.checks.aws.sagemaker.high_sensitivity_model_access as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-SGM-007",
	"title": "High-sensitivity SageMaker model without network isolation and a VPC",
	"description": "A model tagged high sensitivity must run with strict access: network isolation so its container cannot reach the network, and a VPC configuration so the hosting instances sit behind the account's subnets and security groups.",
	"severity": "high",
	"resource_types": ["aws_sagemaker_model"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.312(e)(1)"],
		"pci_dss": ["1.3.2"],
		"soc2": ["CC6.1", "CC6.6"],
		"iso27001": ["A.8.22", "A.8.20"],
	},
	"remediation": "Set enable_network_isolation = true and add a vpc_config with private subnets and security groups that allow only the traffic the model needs.",
}

_address := "arn:aws:sagemaker:eu-west-1:123456789012:model/credit-decision"

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
	"name": "credit-decision",
	"tags": {"ModelRisk": "high"},
	"attributes": attributes,
}

# object.union merges nested objects: replace the tags instead.
_tagged(attributes, tags) := object.union(object.remove(_model(attributes), ["tags"]), {"tags": tags})

_vpc := {"subnets": ["subnet-0a1b2c3d", "subnet-0e1f2a3b"], "security_group_ids": ["sg-0a1b2c3d"]}

_fail(message) := expect.fail(_metadata, _address, "aws_sagemaker_model", message)

_indeterminate(message, paths) := object.union(_fail(message), {"status": "indeterminate", "paths": paths})

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_isolated_model_in_vpc if {
	r := _model({"enable_network_isolation": true, "vpc_config": _vpc})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_neither_isolation_nor_vpc if {
	r := _model({"enable_network_isolation": false, "vpc_config": null})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/credit-decision", "aws_sagemaker_model",
		"SageMaker model \"credit-decision\" is high sensitivity but lacks strict access: enable_network_isolation = false, no vpc_config",
	)}
}

test_fail_isolated_but_no_vpc if {
	r := _model({"enable_network_isolation": true, "vpc_config": null})
	check.findings == {_fail("SageMaker model \"credit-decision\" is high sensitivity but lacks strict access: no vpc_config")} with input as _inventory([r])
}

test_fail_vpc_but_not_isolated if {
	r := _model({"enable_network_isolation": false, "vpc_config": _vpc})
	check.findings == {_fail("SageMaker model \"credit-decision\" is high sensitivity but lacks strict access: enable_network_isolation = false")} with input as _inventory([r])
}

test_fail_vpc_config_without_subnets if {
	r := _model({"enable_network_isolation": true, "vpc_config": {"subnets": [], "security_group_ids": ["sg-0a1b2c3d"]}})
	check.findings == {_fail("SageMaker model \"credit-decision\" is high sensitivity but lacks strict access: vpc_config without subnets")} with input as _inventory([r])
}

test_missing_both_settings if {
	r := _model({"execution_role_arn": "arn:aws:iam::123456789012:role/sagemaker-credit"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "arn:aws:sagemaker:eu-west-1:123456789012:model/credit-decision", "aws_sagemaker_model",
		"SageMaker model \"credit-decision\": enable_network_isolation is missing from the inventory; vpc_config is missing from the inventory",
		["enable_network_isolation", "vpc_config"],
	)}
}

test_missing_vpc_config_with_isolation_on if {
	r := _model({"enable_network_isolation": true})
	check.findings == {_indeterminate("SageMaker model \"credit-decision\": vpc_config is missing from the inventory", ["vpc_config"])} with input as _inventory([r])
}

test_unknown_vpc_config_sub_setting if {
	r := object.union(_model({"enable_network_isolation": true, "vpc_config": {"security_group_ids": ["sg-0a1b2c3d"]}}), {"unknown": ["vpc_config.subnets"]})
	check.findings == {_indeterminate("SageMaker model \"credit-decision\": vpc_config is known only after apply", ["vpc_config"])} with input as _inventory([r])
}

# A setting already known to be missing fails the model despite an unknown one.
test_fail_known_gap_despite_unknown_sibling if {
	r := object.union(_model({"enable_network_isolation": false}), {"unknown": ["vpc_config"]})
	check.findings == {_fail("SageMaker model \"credit-decision\" is high sensitivity but lacks strict access: enable_network_isolation = false")} with input as _inventory([r])
}

test_pass_not_high_sensitivity_out_of_scope if {
	every tags in [{}, {"ModelRisk": "medium"}, {"Environment": "high"}] {
		r := _tagged({"enable_network_isolation": false, "vpc_config": null}, tags)
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_fail_sensitivity_tag_keys_parameter_override if {
	r := _tagged({"enable_network_isolation": true, "vpc_config": null}, {"RiskTier": "high"})
	count(check.findings) == 0 with input as _inventory([r])
	inventory := object.union(_inventory([r]), {"parameters": {"sensitivity_tag_keys": ["RiskTier"]}})
	check.findings == {_fail("SageMaker model \"credit-decision\" is high sensitivity but lacks strict access: no vpc_config")} with input as inventory
}

test_pass_out_of_scope_types_ignored if {
	config := {
		"address": "arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/credit-decision",
		"type": "aws_sagemaker_endpoint_configuration",
		"provider": "aws",
		"name": "credit-decision",
		"tags": {"ModelRisk": "high"},
		"attributes": {"enable_network_isolation": false, "vpc_config": null},
	}
	count(check.findings) == 0 with input as _inventory([config])
	count(check.resources) == 0 with input as _inventory([config])
}
