package checks.postgres.hba.weak_password_method_test

import data.checks.postgres.hba.weak_password_method as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-HBA-002",
	"title": "pg_hba.conf rule uses the password or md5 method",
	"description": "The password method sends the password in clear text; md5 relies on MD5 hashes that can be cracked offline and replayed. scram-sha-256 proves the password without revealing it or a reusable hash.",
	"severity": "medium",
	"resource_types": ["postgresql_hba_rule"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(d)"],
		"pci_dss": ["8.3.2"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.8.5", "A.5.17"],
	},
	"remediation": "Set password_encryption = 'scram-sha-256', reset the passwords of the roles the line admits, then change the line's method to scram-sha-256 and reload.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_hba_rule(line, attributes) := {
	"address": sprintf("postgresql://db.internal:5432/hba/%d", [line]),
	"type": "postgresql_hba_rule",
	"provider": "postgresql",
	"name": sprintf("pg_hba.conf:%d", [line]),
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_hba_rule", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_host_line(method) := {
	"line_number": 2,
	"connection_type": "host",
	"databases": ["orders"],
	"user_names": ["app"],
	"address": "10.0.0.0",
	"netmask": "255.0.0.0",
	"auth_method": method,
	"options": null,
}

test_pass_scram_sha_256 if {
	r := _hba_rule(2, _host_line("scram-sha-256"))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_other_methods if {
	every method in ["peer", "cert", "reject", "trust", "gss", "ldap"] {
		r := _hba_rule(2, _host_line(method))
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
	}
}

test_fail_md5 if {
	r := _hba_rule(2, _host_line("md5"))
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/hba/2", "postgresql_hba_rule",
		"pg_hba.conf line 2 (host) uses md5 authentication",
	)}
}

test_fail_password_on_hostssl if {
	r := _hba_rule(5, object.union(_host_line("password"), {"line_number": 5, "connection_type": "hostssl"}))
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/hba/5", "fail", "pg_hba.conf line 5 (hostssl) uses password authentication", [])}
}

test_fail_without_line_number_or_connection_type if {
	r := _hba_rule(3, {"auth_method": "password"})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/hba/3", "fail", "pg_hba.conf line ? (?) uses password authentication", [])}
}

test_missing_auth_method if {
	r := _hba_rule(2, object.remove(_host_line("md5"), ["auth_method"]))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/hba/2", "postgresql_hba_rule",
		"pg_hba rule \"pg_hba.conf:2\": auth_method is missing from the inventory", ["auth_method"],
	)}
}

test_unknown_auth_method if {
	r := object.union(_hba_rule(2, object.remove(_host_line("md5"), ["auth_method"])), {"unknown": ["auth_method"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/hba/2", "indeterminate", "pg_hba rule \"pg_hba.conf:2\": auth_method is known only after apply", ["auth_method"])}
}

test_pass_out_of_scope_types_ignored if {
	server := {
		"address": "postgresql://db.internal:5432",
		"type": "postgresql_server",
		"provider": "postgresql",
		"name": "db.internal:5432",
		"attributes": {"auth_method": "md5", "settings": {"password_encryption": "md5"}},
	}
	findings := check.findings with input as _inventory([server])
	count(findings) == 0
	resources := check.resources with input as _inventory([server])
	count(resources) == 0
}
