package checks.postgres.role.superuser_login_test

import data.checks.postgres.role.superuser_login as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-ROLE-001",
	"title": "Login role with SUPERUSER outside the admin roles",
	"description": "A superuser bypasses every privilege check and row-level security policy and can run operating system commands; any login role holding it beyond the designated admin roles widens who can read and change all data.",
	"severity": "high",
	"resource_types": ["postgresql_role"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.308(a)(4)(ii)(B)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.8.2"],
	},
	"remediation": "ALTER ROLE ... NOSUPERUSER and grant the role only the privileges its job needs (predefined roles such as pg_monitor, or object grants); keep superuser to the roles listed in the admin_roles parameter.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_role(name, attributes) := {
	"address": sprintf("postgresql://db.internal:5432?role=%s", [name]),
	"type": "postgresql_role",
	"provider": "postgresql",
	"name": name,
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_role", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_attrs(name, superuser, can_login) := {
	"rolname": name,
	"superuser": superuser,
	"can_login": can_login,
	"bypass_rls": superuser,
	"password_set": true,
	"valid_until": null,
	"member_of": [],
}

test_pass_ordinary_login_role if {
	r := _role("app_rw", _attrs("app_rw", false, true))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_admin_role_and_nologin_superuser if {
	roles := [
		_role("postgres", _attrs("postgres", true, true)),
		_role("migrations_owner", _attrs("migrations_owner", true, false)),
	]
	findings := check.findings with input as _inventory(roles)
	count(findings) == 0
}

test_fail_login_superuser if {
	r := _role("etl", _attrs("etl", true, true))
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432?role=etl", "postgresql_role",
		"login role \"etl\" has SUPERUSER and is not one of the admin roles (postgres, rdsadmin, rds_superuser)",
	)}
}

test_fail_admin_roles_parameter_overridden if {
	r := _role("postgres", _attrs("postgres", true, true))
	inv := object.union(_inventory([r]), {"parameters": {"admin_roles": ["dba"]}})
	findings := check.findings with input as inv
	findings == {_finding("postgresql://db.internal:5432?role=postgres", "fail", "login role \"postgres\" has SUPERUSER and is not one of the admin roles (dba)", [])}
}

test_missing_superuser if {
	r := _role("etl", object.remove(_attrs("etl", true, true), ["superuser"]))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432?role=etl", "postgresql_role",
		"role \"etl\": superuser is missing from the inventory", ["superuser"],
	)}
}

test_missing_rolname_and_can_login if {
	r := _role("etl", object.remove(_attrs("etl", true, true), ["rolname", "can_login"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding(
		"postgresql://db.internal:5432?role=etl",
		"indeterminate",
		"role \"etl\": rolname is missing from the inventory; can_login is missing from the inventory",
		["rolname", "can_login"],
	)}
}

# One known fact that clears the role is enough.
test_pass_missing_can_login_but_not_superuser if {
	r := _role("app_rw", object.remove(_attrs("app_rw", false, true), ["can_login"]))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_unknown_superuser if {
	r := object.union(_role("etl", object.remove(_attrs("etl", true, true), ["superuser"])), {"unknown": ["superuser"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432?role=etl", "indeterminate", "role \"etl\": superuser is known only after apply", ["superuser"])}
}

test_pass_out_of_scope_types_ignored if {
	server := {
		"address": "postgresql://db.internal:5432",
		"type": "postgresql_server",
		"provider": "postgresql",
		"name": "db.internal:5432",
		"attributes": {"rolname": "etl", "superuser": true, "can_login": true},
	}
	findings := check.findings with input as _inventory([server])
	count(findings) == 0
	resources := check.resources with input as _inventory([server])
	count(resources) == 0
}
