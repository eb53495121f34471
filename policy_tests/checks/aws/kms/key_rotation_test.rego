package checks.aws.kms.key_rotation_test

import data.checks.aws.kms.key_rotation as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "AWS-KMS-001",
	"title": "KMS customer-managed key without automatic rotation",
	"description": "A symmetric customer-managed key that is never rotated keeps encrypting new data with the same key material for years, so a compromised key exposes everything and the cryptoperiod is unbounded. AWS-managed keys rotate on their own and asymmetric or HMAC keys cannot rotate, so they are not evaluated.",
	"severity": "medium",
	"resource_types": ["aws_kms_key"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(a)(2)(iv)"],
		"pci_dss": ["3.7.4"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.24"],
	},
	"remediation": "Set enable_key_rotation = true on the aws_kms_key (optionally rotation_period_in_days); earlier key material stays available to decrypt existing data.",
}

_address := "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001"

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/kms", "status": "complete"}],
	"resources": resources,
}

_key(attributes) := {
	"address": _address,
	"type": "aws_kms_key",
	"provider": "aws",
	"name": "orders-key",
	"attributes": attributes,
}

_fail(message) := expect.fail(_metadata, _address, "aws_kms_key", message)

_indeterminate(message, paths) := expect.indeterminate(_metadata, _address, "aws_kms_key", message, paths)

_findings(attributes) := findings if {
	findings := check.findings with input as _inventory([_key(attributes)])
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

test_pass_rotation_enabled if {
	r := _key({"key_id": "0f1e2d3c-0000-4000-8000-000000000001", "enable_key_rotation": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_fail_rotation_disabled if {
	findings := _findings({"key_id": "0f1e2d3c-0000-4000-8000-000000000001", "enable_key_rotation": false})
	findings == {expect.fail(
		_metadata, "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001", "aws_kms_key",
		"KMS key \"orders-key\" has automatic key rotation off (enable_key_rotation = false)",
	)}
}

test_fail_explicit_customer_symmetric_key if {
	attributes := {"key_manager": "CUSTOMER", "customer_master_key_spec": "SYMMETRIC_DEFAULT", "enable_key_rotation": false}
	_findings(attributes) == {_fail("KMS key \"orders-key\" has automatic key rotation off (enable_key_rotation = false)")}
}

# AWS rotates its own keys; asymmetric and HMAC keys cannot rotate.
test_pass_aws_managed_key_not_evaluated if {
	r := _key({"key_manager": "AWS", "enable_key_rotation": false})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	count(resources) == 0
}

test_pass_asymmetric_and_hmac_keys_not_evaluated if {
	every spec in ["RSA_2048", "ECC_NIST_P256", "HMAC_256"] {
		r := _key({"customer_master_key_spec": spec, "enable_key_rotation": false})
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}

test_missing_enable_key_rotation if {
	_findings({"key_id": "0f1e2d3c-0000-4000-8000-000000000001"}) == {_indeterminate(
		"KMS key \"orders-key\": enable_key_rotation is missing from the inventory",
		["enable_key_rotation"],
	)}
}

test_unknown_enable_key_rotation if {
	r := object.union(_key({"enable_key_rotation": false}), {"unknown": ["enable_key_rotation"]})
	findings := check.findings with input as _inventory([r])
	findings == {_indeterminate(
		"KMS key \"orders-key\": enable_key_rotation is known only after apply",
		["enable_key_rotation"],
	)}
}

test_pass_out_of_scope_types_ignored if {
	other := {
		"address": "arn:aws:rds:eu-west-1:123456789012:db:orders",
		"type": "aws_db_instance",
		"provider": "aws",
		"name": "orders",
		"attributes": {"enable_key_rotation": false},
	}
	findings := check.findings with input as _inventory([other])
	count(findings) == 0
	resources := check.resources with input as _inventory([other])
	count(resources) == 0
}

# Key specs and key managers are read case-insensitively.
test_fail_key_spec_and_manager_any_case if {
	every spec in ["symmetric_default", "Symmetric_Default", " SYMMETRIC_DEFAULT "] {
		r := _key({"key_manager": "customer", "customer_master_key_spec": spec, "enable_key_rotation": false})
		check.findings == {_fail("KMS key \"orders-key\" has automatic key rotation off (enable_key_rotation = false)")} with input as _inventory([r])
		r in check.resources with input as _inventory([r])
	}
}

test_pass_lower_case_asymmetric_and_aws_keys_not_evaluated if {
	every attributes in [{"customer_master_key_spec": "rsa_2048"}, {"key_manager": "aws"}] {
		r := _key(object.union(attributes, {"enable_key_rotation": false}))
		count(check.findings) == 0 with input as _inventory([r])
		count(check.resources) == 0 with input as _inventory([r])
	}
}
