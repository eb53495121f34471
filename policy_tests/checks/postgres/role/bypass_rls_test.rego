package checks.postgres.role.bypass_rls_test

import data.checks.postgres.role.bypass_rls as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-ROLE-003",
	"title": "Login role with BYPASSRLS outside the admin roles",
	"description": "BYPASSRLS makes a role ignore every row-level security policy, so it reads and changes all rows of tables that rely on policies to separate tenants or data subjects.",
	"severity": "medium",
	"resource_types": ["postgresql_role"],
	"controls": {
		"gdpr": ["Art.25(1)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.2"],
		"soc2": ["CC6.3"],
		"iso27001": ["A.8.2", "A.8.3"],
	},
	"remediation": "ALTER ROLE ... NOBYPASSRLS; give jobs that must see every row (backups, migrations) a separate role without LOGIN that operators SET ROLE to.",
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

_attrs(name, bypass_rls, can_login) := {
	"rolname": name,
	"superuser": false,
	"can_login": can_login,
	"bypass_rls": bypass_rls,
	"password_set": true,
	"valid_until": null,
}

test_pass_no_bypass if {
	r := _role("app_rw", _attrs("app_rw", false, true))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_admin_and_nologin if {
	roles := [
		_role("rds_superuser", _attrs("rds_superuser", true, true)),
		_role("backup_owner", _attrs("backup_owner", true, false)),
	]
	findings := check.findings with input as _inventory(roles)
	count(findings) == 0
}

test_fail_login_bypass if {
	r := _role("support", _attrs("support", true, true))
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432?role=support", "postgresql_role",
		"login role \"support\" has BYPASSRLS and is not one of the admin roles (postgres, rdsadmin, rds_superuser)",
	)}
}

test_missing_bypass_rls if {
	r := _role("support", object.remove(_attrs("support", true, true), ["bypass_rls"]))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432?role=support", "postgresql_role",
		"role \"support\": bypass_rls is missing from the inventory", ["bypass_rls"],
	)}
}

test_unknown_can_login if {
	r := object.union(_role("support", object.remove(_attrs("support", true, true), ["can_login"])), {"unknown": ["can_login"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432?role=support", "indeterminate", "role \"support\": can_login is known only after apply", ["can_login"])}
}

test_pass_out_of_scope_types_ignored if {
	server := {
		"address": "postgresql://db.internal:5432",
		"type": "postgresql_server",
		"provider": "postgresql",
		"name": "db.internal:5432",
		"attributes": {"rolname": "support", "bypass_rls": true, "can_login": true},
	}
	findings := check.findings with input as _inventory([server])
	count(findings) == 0
	resources := check.resources with input as _inventory([server])
	count(resources) == 0
}
