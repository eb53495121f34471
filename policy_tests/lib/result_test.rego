# METADATA
# title: Result helper fixture check
# description: A package annotation shaped like a check's, read back through rego.metadata.chain().
# scope: package
# custom:
#   id: TEST-LIB-001
#   severity: low
#   resource_types: [aws_db_instance]
#   controls:
#     soc2: ["CC0.0"]
#   remediation: Nothing to do.
package lib.result_test

import data.lib.result

_custom := {
	"id": "TEST-SYN-001",
	"severity": "medium",
	"resource_types": ["aws_s3_bucket"],
	"controls": {"gdpr": ["Art.5"], "pci_dss": ["1.1"]},
	"remediation": "Fix it.",
}

_package_entry(custom) := {
	"path": ["data", "checks", "aws", "s3", "fixture"],
	"annotations": {
		"scope": "package",
		"title": "Synthetic check",
		"description": "A synthetic package annotation.",
		"custom": custom,
	},
}

# What rego.metadata.chain() returns for a rule with its own annotation inside
# an annotated package: the rule entry first, the package entry after it.
_chain := [
	{
		"path": ["data", "checks", "aws", "s3", "fixture", "findings"],
		"annotations": {
			"scope": "rule",
			"title": "Rule title, not the check's",
			"description": "A complete rule annotation that must not be taken for the check's.",
			"custom": object.union(_custom, {"id": "RULE-LEVEL-999"}),
		},
	},
	{"path": ["data", "checks", "aws", "s3", "fixture", "findings"]},
	_package_entry(_custom),
]

_resource := {
	"address": "arn:aws:s3:::acme-invoices",
	"type": "aws_s3_bucket",
	"provider": "aws",
	"name": "acme-invoices",
	"attributes": {
		"bucket": "acme-invoices",
		"public_access_block": null,
		"server_side_encryption": {"sse_algorithm": "aws:kms", "kms_master_key_id": null},
		"versioning": {"status": "Enabled"},
	},
	"unknown": ["tags_all", "versioning.mfa_delete"],
}

test_check_metadata_picks_the_package_annotation if {
	result.check_metadata(_chain) == {
		"check_id": "TEST-SYN-001",
		"title": "Synthetic check",
		"description": "A synthetic package annotation.",
		"severity": "medium",
		"resource_types": ["aws_s3_bucket"],
		"controls": {"gdpr": ["Art.5"], "pci_dss": ["1.1"]},
		"remediation": "Fix it.",
	}
}

test_check_metadata_reads_the_real_chain if {
	result.check_metadata(rego.metadata.chain()) == {
		"check_id": "TEST-LIB-001",
		"title": "Result helper fixture check",
		"description": "A package annotation shaped like a check's, read back through rego.metadata.chain().",
		"severity": "low",
		"resource_types": ["aws_db_instance"],
		"controls": {"soc2": ["CC0.0"]},
		"remediation": "Nothing to do.",
	}
}

test_missing_check_metadata_field_leaves_metadata_undefined if {
	every field in ["id", "severity", "resource_types", "controls", "remediation"] {
		not result.check_metadata([_package_entry(object.remove(_custom, [field]))])
	}
}

test_missing_title_leaves_metadata_undefined if {
	entry := _package_entry(_custom)
	not result.check_metadata([{"path": entry.path, "annotations": object.remove(entry.annotations, ["title"])}])
}

test_missing_package_annotation_leaves_metadata_undefined if {
	not result.check_metadata([_chain[0], _chain[1]])
	not result.check_metadata([])
}

test_fail_builds_a_complete_finding if {
	result.fail(_chain, _resource, "bucket has no block") == {
		"check_id": "TEST-SYN-001",
		"title": "Synthetic check",
		"severity": "medium",
		"controls": {"gdpr": ["Art.5"], "pci_dss": ["1.1"]},
		"remediation": "Fix it.",
		"resource": "arn:aws:s3:::acme-invoices",
		"resource_type": "aws_s3_bucket",
		"status": "fail",
		"message": "bucket has no block",
		"paths": [],
	}
}

test_indeterminate_builds_a_complete_finding if {
	result.indeterminate(_chain, _resource, "block unknown", ["public_access_block", "versioning.status"]) == {
		"check_id": "TEST-SYN-001",
		"title": "Synthetic check",
		"severity": "medium",
		"controls": {"gdpr": ["Art.5"], "pci_dss": ["1.1"]},
		"remediation": "Fix it.",
		"resource": "arn:aws:s3:::acme-invoices",
		"resource_type": "aws_s3_bucket",
		"status": "indeterminate",
		"message": "block unknown",
		"paths": ["public_access_block", "versioning.status"],
	}
}

# A finding never carries the description or resource_types of the check.
test_fail_with_the_real_chain if {
	result.fail(rego.metadata.chain(), _resource, "m") == {
		"check_id": "TEST-LIB-001",
		"title": "Result helper fixture check",
		"severity": "low",
		"controls": {"soc2": ["CC0.0"]},
		"remediation": "Nothing to do.",
		"resource": "arn:aws:s3:::acme-invoices",
		"resource_type": "aws_s3_bucket",
		"status": "fail",
		"message": "m",
		"paths": [],
	}
}

# A check passes its `metadata` rule (check_metadata of its chain, built once):
# the finding is the one the chain itself gives.
test_fail_and_indeterminate_from_the_checks_metadata if {
	metadata := result.check_metadata(_chain)
	result.fail(metadata, _resource, "bucket has no block") == result.fail(_chain, _resource, "bucket has no block")
	result.indeterminate(metadata, _resource, "u", ["acl"]) == result.indeterminate(_chain, _resource, "u", ["acl"])
	result.fail(metadata, _resource, "m").check_id == "TEST-SYN-001"
	not "description" in object.keys(result.fail(metadata, _resource, "m"))
}

test_no_finding_from_neither_metadata_nor_chain if {
	not result.fail("TEST-SYN-001", _resource, "m")
	not result.indeterminate(null, _resource, "m", ["x"])
}

test_no_finding_without_check_metadata if {
	not result.fail([], _resource, "m")
	not result.indeterminate([], _resource, "m", ["x"])
}

test_attribute_state_known if {
	result.attribute_state(_resource, "bucket") == "known"
	result.attribute_state(_resource, "versioning.status") == "known"
	result.attribute_state(_resource, "server_side_encryption.sse_algorithm") == "known"
}

# null is a collected fact, not a missing value.
test_attribute_state_known_null if {
	result.attribute_state(_resource, "public_access_block") == "known"
	result.attribute_state(_resource, "server_side_encryption.kms_master_key_id") == "known"
}

test_attribute_state_known_false_and_empty if {
	r := {"attributes": {"flag": false, "list": [], "obj": {}, "text": ""}}
	every path in ["flag", "list", "obj", "text"] {
		result.attribute_state(r, path) == "known"
	}
}

test_missing_attribute_state if {
	result.attribute_state(_resource, "storage_encrypted") == "missing"
	result.attribute_state(_resource, "versioning.mfa_enabled") == "missing"
	result.attribute_state(_resource, "public_access_block.block_public_acls") == "missing"
	result.attribute_state(_resource, "bucket.name") == "missing"
	result.attribute_state({"attributes": {}}, "anything") == "missing"
}

# An attribute whose value is the helper's private sentinel is still known.
test_attribute_state_known_even_when_value_looks_like_the_sentinel if {
	r := {"attributes": {"x": {"opa-comply": "present"}}}
	result.attribute_state(r, "x") == "known"
}

test_unknown_attribute_state if {
	result.attribute_state(_resource, "tags_all") == "unknown"
	result.attribute_state(_resource, "versioning.mfa_delete") == "unknown"
}

# unknown wins over a placeholder value that a plan may carry.
test_unknown_attribute_state_wins_over_a_value if {
	r := {"attributes": {"storage_encrypted": false}, "unknown": ["storage_encrypted"]}
	result.attribute_state(r, "storage_encrypted") == "unknown"
}

# unknown lists exact dotted paths: a sibling or a prefix does not match.
test_missing_attribute_state_not_made_unknown_by_other_paths if {
	r := {"attributes": {}, "unknown": ["settings.ssl_ciphers", "settings.s"]}
	result.attribute_state(r, "settings.ssl") == "missing"
}

# An empty unknown list (every collected resource) makes nothing unknown.
test_empty_unknown_list_makes_nothing_unknown if {
	result.attribute_state({"attributes": {"a": 1}, "unknown": []}, "a") == "known"
	result.attribute_state({"attributes": {}, "unknown": []}, "a.b") == "missing"
}

test_missing_unknown_list_defaults_to_empty if {
	result.attribute_state({"attributes": {"a": 1}}, "a") == "known"
	result.attribute_state({"attributes": {}}, "a") == "missing"
}

test_state_text_words_each_state if {
	result.state_text == {
		"unknown": "known only after apply",
		"missing": "missing from the inventory",
	}
	not "known" in object.keys(result.state_text)
}
