package scan_test

import data.scan

# Every check package loaded (test packages excluded): the library grows, the
# report must always cover all of it.
_check_packages := {concat(".", ["checks", provider, area, name]) |
	some provider, area, name
	data.checks[provider][area][name].findings # by a rule every check has: not the whole package
	not endswith(name, "_test")
}

_first_checks := {
	"checks.aws.ec2.security_group_open_db_port",
	"checks.aws.rds.publicly_accessible",
	"checks.aws.rds.storage_encrypted",
	"checks.aws.s3.public_access_block",
	"checks.postgres.server.hba_trust",
	"checks.postgres.server.ssl_disabled",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [{"kind": "aws", "scope": "123456789012/eu-west-1/rds", "status": "complete"}],
	"resources": resources,
}

_db(name, attributes) := {
	"address": sprintf("arn:aws:rds:eu-west-1:123456789012:db:%s", [name]),
	"type": "aws_db_instance",
	"provider": "aws",
	"name": name,
	"attributes": attributes,
}

_cluster := {
	"address": "arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
	"type": "aws_rds_cluster",
	"provider": "aws",
	"name": "analytics",
	"attributes": {"storage_encrypted": true},
}

_hba_trust := {
	"address": "postgresql://db.internal:5432/hba/2",
	"type": "postgresql_hba_rule",
	"provider": "postgresql",
	"name": "pg_hba.conf:2",
	"attributes": {"line_number": 2, "connection_type": "host", "auth_method": "trust"},
}

# Addresses deliberately out of order (zeta before alpha), and accounts chosen
# so that the natural order of the resource objects (account sorts before
# address) differs from the address order too.
_mixed := _inventory([
	object.union(_db("zeta", {"storage_encrypted": false, "publicly_accessible": false}), {"account": "111111111111"}),
	_cluster,
	object.union(_db("alpha", {"storage_encrypted": true, "publicly_accessible": true}), {"account": "222222222222"}),
	_hba_trust,
])

# The check package a report entry names, read straight from data.checks.
_check(entry) := data.checks[p[1]][p[2]][p[3]] if {
	p := split(entry["package"], ".")
}

_entry(report, pkg) := entry if {
	some entry in report.checks
	entry["package"] == pkg
}

test_pass_report_has_one_entry_per_check_package if {
	report := scan.report with input as _inventory([])
	count(report.checks) == count(_check_packages)
	{c["package"] | some c in report.checks} == _check_packages
}

test_pass_report_entries_carry_their_check_metadata if {
	report := scan.report with input as _inventory([])
	every c in report.checks {
		c.metadata == _check(c).metadata
	}
	count({c.metadata.check_id | some c in report.checks}) == count(_check_packages)
}

test_pass_empty_inventory_evaluates_nothing if {
	report := scan.report with input as _inventory([])
	every c in report.checks {
		c.evaluated == []
		c.findings == []
	}
}

test_pass_evaluated_lists_in_scope_addresses_sorted if {
	report := scan.report with input as _mixed
	_entry(report, "checks.aws.rds.storage_encrypted").evaluated == [
		"arn:aws:rds:eu-west-1:123456789012:cluster:analytics",
		"arn:aws:rds:eu-west-1:123456789012:db:alpha",
		"arn:aws:rds:eu-west-1:123456789012:db:zeta",
	]
	_entry(report, "checks.aws.rds.publicly_accessible").evaluated == [
		"arn:aws:rds:eu-west-1:123456789012:db:alpha",
		"arn:aws:rds:eu-west-1:123456789012:db:zeta",
	]
	_entry(report, "checks.postgres.server.hba_trust").evaluated == ["postgresql://db.internal:5432/hba/2"]
	_entry(report, "checks.aws.s3.public_access_block").evaluated == []
}

test_fail_findings_are_the_checks_findings if {
	report := scan.report with input as _mixed
	[f.resource | some f in _entry(report, "checks.aws.rds.storage_encrypted").findings] == ["arn:aws:rds:eu-west-1:123456789012:db:zeta"]
	[f.resource | some f in _entry(report, "checks.aws.rds.publicly_accessible").findings] == ["arn:aws:rds:eu-west-1:123456789012:db:alpha"]
	[f.check_id | some f in _entry(report, "checks.postgres.server.hba_trust").findings] == ["PG-HBA-001"]
	every c in report.checks {
		c.findings == [f | some f in _check(c).findings] with input as _mixed
	}
}

test_missing_attributes_reach_the_report_as_indeterminate if {
	report := scan.report with input as _inventory([_db("bare", {})])
	[f.status | some f in _entry(report, "checks.aws.rds.storage_encrypted").findings] == ["indeterminate"]
	[f.status | some f in _entry(report, "checks.aws.rds.publicly_accessible").findings] == ["indeterminate"]
}

# Loading policy_tests next to policies puts every <name>_test package under
# data.checks as well; scan skips them, so errors stays empty and only real
# checks are reported.
test_pass_errors_empty_with_policy_tests_loaded if {
	report := scan.report with input as _mixed
	report.errors == set()
	{c["package"] | some c in report.checks} == _check_packages
}

test_pass_errors_empty_with_only_check_packages_loaded if {
	only_checks := {
		"aws": {
			"ec2": {"security_group_open_db_port": data.checks.aws.ec2.security_group_open_db_port},
			"rds": {
				"publicly_accessible": data.checks.aws.rds.publicly_accessible,
				"storage_encrypted": data.checks.aws.rds.storage_encrypted,
			},
			"s3": {"public_access_block": data.checks.aws.s3.public_access_block},
		},
		"postgres": {"server": {
			"hba_trust": data.checks.postgres.server.hba_trust,
			"ssl_disabled": data.checks.postgres.server.ssl_disabled,
		}},
	}
	errors := scan.errors with data.checks as only_checks with input as _inventory([])
	errors == set()
	report := scan.report with data.checks as only_checks with input as _inventory([])
	{c["package"] | some c in report.checks} == _first_checks
}

test_fail_package_without_metadata_is_an_error_not_silently_dropped if {
	broken := {"aws": {"rds": {"no_metadata": {"resources": set(), "findings": set()}}}}
	report := scan.report with data.checks as broken with input as _inventory([])
	report.checks == []
	report.errors == {"checks.aws.rds.no_metadata: check has no complete METADATA"}
}

test_pass_report_carries_the_catalogues if {
	catalogue := {"gdpr": {"name": "GDPR", "controls": {"Art.32(1)(a)": {"title": "Encryption"}}}}
	report := scan.report with data.frameworks as catalogue with input as _inventory([])
	report.frameworks == catalogue
}
