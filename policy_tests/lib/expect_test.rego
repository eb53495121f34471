package test.expect_test

import data.test.expect

_metadata := {
	"check_id": "TEST-EXP-001",
	"title": "Synthetic check",
	"description": "Not part of a finding.",
	"severity": "low",
	"resource_types": ["aws_s3_bucket"],
	"controls": {"soc2": ["CC6.1"]},
	"remediation": "Fix it.",
}

test_pass_fail_is_a_whole_finding_without_paths if {
	expect.fail(_metadata, "arn:aws:s3:::logs", "aws_s3_bucket", "bucket \"logs\" is open") == {
		"check_id": "TEST-EXP-001",
		"title": "Synthetic check",
		"severity": "low",
		"controls": {"soc2": ["CC6.1"]},
		"remediation": "Fix it.",
		"resource": "arn:aws:s3:::logs",
		"resource_type": "aws_s3_bucket",
		"status": "fail",
		"message": "bucket \"logs\" is open",
		"paths": [],
	}
}

test_pass_indeterminate_names_its_paths if {
	expect.indeterminate(_metadata, "arn:aws:s3:::logs", "aws_s3_bucket", "acl is missing", ["acl"]) == {
		"check_id": "TEST-EXP-001",
		"title": "Synthetic check",
		"severity": "low",
		"controls": {"soc2": ["CC6.1"]},
		"remediation": "Fix it.",
		"resource": "arn:aws:s3:::logs",
		"resource_type": "aws_s3_bucket",
		"status": "indeterminate",
		"message": "acl is missing",
		"paths": ["acl"],
	}
}
