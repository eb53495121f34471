package checks.postgres.hba.open_without_tls_test

import data.checks.postgres.hba.open_without_tls as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-HBA-003",
	"title": "pg_hba.conf rule admits any address without requiring TLS",
	"description": "A host, hostnossl or hostnogssenc line for every address (all, 0.0.0.0/0, ::/0) lets clients anywhere connect without encryption, sending passwords and data in clear text. samenet, samehost and narrower ranges do not count.",
	"severity": "high",
	"resource_types": ["postgresql_hba_rule"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"hipaa": ["164.312(e)(1)"],
		"pci_dss": ["4.2.1"],
		"soc2": ["CC6.6", "CC6.7"],
		"iso27001": ["A.8.24", "A.8.20"],
	},
	"remediation": "Change the line to hostssl (or hostgssenc), narrow its address to the networks that need access, and reload the server configuration.",
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

_line(connection_type, address, netmask) := {
	"line_number": 4,
	"connection_type": connection_type,
	"databases": ["all"],
	"user_names": ["all"],
	"address": address,
	"netmask": netmask,
	"auth_method": "scram-sha-256",
	"options": null,
}

_address := "postgresql://db.internal:5432/hba/4"

test_pass_hostssl_any_address if {
	r := _hba_rule(4, _line("hostssl", "0.0.0.0", "0.0.0.0"))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_encrypted_types_and_local if {
	every ctype in ["hostssl", "hostgssenc", "local"] {
		r := _hba_rule(4, _line(ctype, "all", null))
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
	}
}

test_pass_host_limited_ranges if {
	every line in [
		_line("host", "10.0.0.0", "255.0.0.0"),
		_line("host", "fd00::", "ffff:ff00::"),
		_line("host", "samenet", null),
		_line("host", "samehost", null),
		_line("host", ".example.com", null),
		_line("host", "192.168.0.0/16", null),
	] {
		r := _hba_rule(4, line)
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
	}
}

test_pass_reject_line if {
	r := _hba_rule(4, object.union(_line("host", "all", null), {"auth_method": "reject"}))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_host_ipv4_zero_netmask if {
	r := _hba_rule(4, _line("host", "0.0.0.0", "0.0.0.0"))
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/hba/4", "postgresql_hba_rule",
		"pg_hba.conf line 4 (host, address 0.0.0.0, netmask 0.0.0.0) admits any address without requiring TLS",
	)}
}

test_fail_host_ipv6_zero_netmask if {
	r := _hba_rule(4, _line("host", "::", "::"))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "pg_hba.conf line 4 (host, address ::, netmask ::) admits any address without requiring TLS", [])}
}

test_fail_hostnossl_all if {
	r := _hba_rule(4, _line("hostnossl", "all", null))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "pg_hba.conf line 4 (hostnossl, address all, netmask null) admits any address without requiring TLS", [])}
}

# A collector reading pg_hba.conf itself may keep the CIDR form.
test_fail_hostnogssenc_cidr_zero_prefix if {
	r := _hba_rule(4, _line("hostnogssenc", "0.0.0.0/0", null))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "pg_hba.conf line 4 (hostnogssenc, address 0.0.0.0/0, netmask null) admits any address without requiring TLS", [])}
}

test_fail_without_line_number if {
	r := _hba_rule(4, object.remove(_line("host", "::/0", null), ["line_number"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "pg_hba.conf line ? (host, address ::/0, netmask null) admits any address without requiring TLS", [])}
}

test_missing_netmask_for_bare_ip if {
	r := _hba_rule(4, object.remove(_line("host", "10.0.0.0", null), ["netmask"]))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/hba/4", "postgresql_hba_rule",
		"pg_hba rule \"pg_hba.conf:4\": netmask is missing from the inventory", ["netmask"],
	)}
}

test_missing_address_and_netmask if {
	r := _hba_rule(4, object.remove(_line("host", null, null), ["address", "netmask"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": address is missing from the inventory; netmask is missing from the inventory", ["address", "netmask"])}
}

# A zero netmask alone decides, whatever the address.
test_fail_zero_netmask_without_address if {
	r := _hba_rule(4, object.remove(_line("host", null, "0.0.0.0"), ["address"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "pg_hba.conf line 4 (host, address ?, netmask 0.0.0.0) admits any address without requiring TLS", [])}
}

test_missing_connection_type if {
	r := _hba_rule(4, object.remove(_line("host", "all", null), ["connection_type"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": connection_type is missing from the inventory", ["connection_type"])}
}

test_missing_auth_method_on_open_line if {
	r := _hba_rule(4, object.remove(_line("host", "all", null), ["auth_method"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": auth_method is missing from the inventory", ["auth_method"])}
}

test_pass_missing_auth_method_on_limited_line if {
	r := _hba_rule(4, object.remove(_line("host", "10.0.0.0", "255.0.0.0"), ["auth_method"]))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_unknown_address if {
	r := object.union(_hba_rule(4, object.remove(_line("host", null, "255.255.255.0"), ["address"])), {"unknown": ["address"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": address is known only after apply", ["address"])}
}

test_pass_out_of_scope_types_ignored if {
	server := {
		"address": "postgresql://db.internal:5432",
		"type": "postgresql_server",
		"provider": "postgresql",
		"name": "db.internal:5432",
		"attributes": {"settings": {"ssl": "off"}},
	}
	findings := check.findings with input as _inventory([server])
	count(findings) == 0
	resources := check.resources with input as _inventory([server])
	count(resources) == 0
}

# Every spelling of the all-zero IPv6 netmask admits any address.
test_fail_ipv6_zero_netmask_spellings if {
	every mask in ["0:0:0:0:0:0:0:0", "0000:0000:0000:0000:0000:0000:0000:0000", "::0", "0::", "0::0"] {
		r := _hba_rule(4, _line("host", "::", mask))
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "fail", sprintf("pg_hba.conf line 4 (host, address ::, netmask %s) admits any address without requiring TLS", [mask]), [])}
	}
}

test_pass_ipv6_narrow_netmask_spellings if {
	every mask in ["ffff:ffff:ffff:ffff:0:0:0:0", "ffff:ffff::", "::1"] {
		r := _hba_rule(4, _line("host", "fd00::", mask))
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

# A host line with a null address names no clients the check can judge; only a
# keyword or host name in the address field needs no netmask.
test_indeterminate_null_address_and_netmask if {
	r := _hba_rule(4, _line("host", null, null))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, _address, "postgresql_hba_rule", "pg_hba rule \"pg_hba.conf:4\": address is null; netmask is null",
		["address", "netmask"],
	)}
}

test_indeterminate_null_address_narrow_netmask if {
	r := _hba_rule(4, _line("hostnossl", null, "255.255.255.0"))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": address is null", ["address"])}
}

# A bare IP address says nothing about its range without a netmask.
test_indeterminate_bare_ip_null_netmask if {
	every address in ["10.0.0.0", "0.0.0.0", "::"] {
		r := _hba_rule(4, _line("host", address, null))
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": netmask is null", ["netmask"])}
	}
}

test_pass_keyword_address_null_netmask if {
	every address in ["samehost", "samenet", "db.example.com"] {
		r := _hba_rule(4, _line("host", address, null))
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

# An empty address or a netmask that is no IP address decides nothing.
test_indeterminate_empty_address if {
	r := _hba_rule(4, _line("host", " ", null))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "pg_hba rule \"pg_hba.conf:4\": address is \" \"; netmask is null", ["address", "netmask"])}
}

test_indeterminate_unparseable_netmask if {
	every mask in ["", "garbage", "255.255.0", "000.0.0.0"] {
		r := _hba_rule(4, _line("host", "::", mask))
		findings := check.findings with input as _inventory([r])
		findings == {_finding(_address, "indeterminate", sprintf("pg_hba rule \"pg_hba.conf:4\": netmask is %s", [json.marshal(mask)]), ["netmask"])}
	}
}
