package checks.postgres.server.tls_min_version_test

import data.checks.postgres.server.tls_min_version as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-SRV-002",
	"title": "PostgreSQL server allows TLS versions below the minimum",
	"description": "Unless ssl = on and ssl_min_protocol_version is at the configured minimum (TLSv1.2 by default), clients connect in clear text or negotiate TLS 1.0 or 1.1, whose weaknesses expose credentials and query results on the network.",
	"severity": "high",
	"resource_types": ["postgresql_server"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)", "164.312(e)(2)(ii)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.7"],
		"iso27001": ["A.8.24", "A.5.14"],
	},
	"remediation": "Set ssl = on and ssl_min_protocol_version = 'TLSv1.2' (or 'TLSv1.3') in postgresql.conf and reload the server configuration.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_server(attributes) := {
	"address": "postgresql://db.internal:5432",
	"type": "postgresql_server",
	"provider": "postgresql",
	"name": "db.internal:5432",
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_server", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_address := "postgresql://db.internal:5432"

test_pass_tls12_minimum if {
	r := _server({"server_version": "16.4", "settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.2"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_tls13_minimum if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.3"}})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_tls1_and_tls11 if {
	every version in ["TLSv1", "TLSv1.1"] {
		r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": version}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = %q, below TLSv1.2", [version]), [])}
	}
}

test_fail_tls11_whole_result if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.1"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = \"TLSv1.1\", below TLSv1.2",
	)}
}

# An empty or unrecognised value does not set a minimum the check can trust.
test_fail_empty_version if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": ""}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = \"\", below TLSv1.2", [])}
}

test_fail_ssl_off_without_version if {
	r := _server({"settings": {"ssl": "off"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl = off: no TLS at all (minimum TLSv1.2)", [])}
}

test_fail_ssl_off_with_strong_version if {
	r := _server({"settings": {"ssl": "off", "ssl_min_protocol_version": "TLSv1.3"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl = off: no TLS at all (minimum TLSv1.2)", [])}
}

test_fail_parameter_raised_to_tls13 if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.2"}})
	inv := object.union(_inventory([r]), {"parameters": {"minimum_tls_version": "TLSv1.3"}})
	findings := check.findings with input as inv
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = \"TLSv1.2\", below TLSv1.3", [])}
}

test_pass_parameter_lowered_to_tls11 if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.1"}})
	inv := object.union(_inventory([r]), {"parameters": {"minimum_tls_version": "TLSv1.1"}})
	findings := check.findings with input as inv
	count(findings) == 0
}

# A minimum the check does not know (a future version) fails every server.
test_fail_unknown_minimum_parameter if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.3"}})
	inv := object.union(_inventory([r]), {"parameters": {"minimum_tls_version": "TLSv1.4"}})
	findings := check.findings with input as inv
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = \"TLSv1.3\", below TLSv1.4", [])}
}

test_missing_version if {
	r := _server({"server_version": "11.22", "settings": {"ssl": "on"}})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432", "postgresql_server",
		"PostgreSQL server \"db.internal:5432\": setting ssl_min_protocol_version is missing from the inventory",
		["settings.ssl_min_protocol_version"],
	)}
}

test_missing_ssl if {
	r := _server({"settings": {"ssl_min_protocol_version": "TLSv1.2"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting ssl is missing from the inventory", ["settings.ssl"])}
}

test_unknown_version if {
	r := object.union(_server({"settings": {"ssl": "on"}}), {"unknown": ["settings.ssl_min_protocol_version"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting ssl_min_protocol_version is known only after apply", ["settings.ssl_min_protocol_version"])}
}

test_unknown_settings if {
	r := object.union(_server({}), {"unknown": ["settings"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "PostgreSQL server \"db.internal:5432\": setting ssl is known only after apply", ["settings.ssl"])}
}

test_pass_out_of_scope_types_ignored if {
	hba := {
		"address": "postgresql://db.internal:5432/hba/1",
		"type": "postgresql_hba_rule",
		"provider": "postgresql",
		"name": "pg_hba.conf:1",
		"attributes": {"auth_method": "scram-sha-256"},
	}
	findings := check.findings with input as _inventory([hba])
	count(findings) == 0
	resources := check.resources with input as _inventory([hba])
	count(resources) == 0
}

# ssl is a boolean PostgreSQL reads in any case: every spelling of off fails.
test_fail_ssl_false_spellings_with_strong_version if {
	every value in ["false", "OFF", "Off", "0", "no", "f"] {
		r := _server({"settings": {"ssl": value, "ssl_min_protocol_version": "TLSv1.2"}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("PostgreSQL server \"db.internal:5432\" has ssl = %s: no TLS at all (minimum TLSv1.2)", [value]), [])}
	}
}

test_pass_ssl_true_spellings_and_version_any_case if {
	every pair in [["true", "tlsv1.2"], ["ON", "TLSV1.3"], ["1", " TLSv1.2 "], ["Yes", "tlsv1.3"]] {
		r := _server({"settings": {"ssl": pair[0], "ssl_min_protocol_version": pair[1]}})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

test_fail_old_version_lower_case if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "tlsv1.1"}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = \"tlsv1.1\", below TLSv1.2", [])}
}

# A minimum parameter written in another case still names the same version.
test_pass_parameter_any_case if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": "TLSv1.3"}})
	inv := object.union(_inventory([r]), {"parameters": {"minimum_tls_version": "tlsv1.3"}})
	findings := check.findings with input as inv
	count(findings) == 0
}

# A version that is not text ranks below every version.
test_fail_null_version if {
	r := _server({"settings": {"ssl": "on", "ssl_min_protocol_version": null}})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "PostgreSQL server \"db.internal:5432\" has ssl_min_protocol_version = null, below TLSv1.2", [])}
}

# An ssl value PostgreSQL would not accept decides nothing, whatever the version.
test_indeterminate_unrecognised_ssl if {
	every value in ["", "o", "enabled", null] {
		r := _server({"settings": {"ssl": value, "ssl_min_protocol_version": "TLSv1.0"}})
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "indeterminate", sprintf("PostgreSQL server \"db.internal:5432\": setting ssl = %s is not a boolean PostgreSQL accepts", [json.marshal(value)]), ["settings.ssl"])}
	}
}
