package checks.postgres.schema.public_create_test

import data.checks.postgres.schema.public_create as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-PRIV-001",
	"title": "Schema grants CREATE to PUBLIC",
	"description": "CREATE on a schema for PUBLIC lets every role, including ones that can only read, create tables and functions there; through search_path such a function can run with the privileges of whoever calls it (CVE-2018-1058).",
	"severity": "medium",
	"resource_types": ["postgresql_schema"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"pci_dss": ["7.2.2"],
		"soc2": ["CC6.3"],
		"iso27001": ["A.8.3", "A.5.15"],
	},
	"remediation": "REVOKE CREATE ON SCHEMA ... FROM PUBLIC and grant CREATE only to the roles that own the schema's objects (the PostgreSQL 15 default for public).",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_schema(name, attributes) := {
	"address": sprintf("postgresql://db.internal:5432/orders/%s", [name]),
	"type": "postgresql_schema",
	"provider": "postgresql",
	"name": sprintf("orders.%s", [name]),
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_schema", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_acl(public_privileges) := [
	{"grantee": "pg_database_owner", "grantor": "pg_database_owner", "privileges": ["USAGE", "CREATE"]},
	{"grantee": "PUBLIC", "grantor": "pg_database_owner", "privileges": public_privileges},
]

test_pass_public_usage_only if {
	r := _schema("public", {"database": "orders", "name": "public", "owner": "pg_database_owner", "acl": _acl(["USAGE"])})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_create_to_named_role if {
	acl := [{"grantee": "app_owner", "grantor": "postgres", "privileges": ["USAGE", "CREATE"]}]
	r := _schema("app", {"database": "orders", "name": "app", "acl": acl})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_public_create if {
	r := _schema("public", {"database": "orders", "name": "public", "owner": "postgres", "acl": _acl(["USAGE", "CREATE"])})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders/public", "postgresql_schema",
		"schema \"orders.public\" grants CREATE to PUBLIC",
	)}
}

test_fail_lower_case_and_all if {
	every acl in [
		[{"grantee": "public", "privileges": ["create"]}],
		[{"grantee": "PUBLIC", "privileges": ["ALL"]}],
	] {
		r := _schema("staging", {"database": "orders", "name": "staging", "acl": acl})
		findings := check.findings with input as _inventory([r])
		findings == {_finding("postgresql://db.internal:5432/orders/staging", "fail", "schema \"orders.staging\" grants CREATE to PUBLIC", [])}
	}
}

test_missing_acl if {
	r := _schema("public", {"database": "orders", "name": "public"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders/public", "postgresql_schema",
		"schema \"orders.public\": acl is missing from the inventory", ["acl"],
	)}
}

test_unknown_acl if {
	r := object.union(_schema("public", {"database": "orders", "name": "public"}), {"unknown": ["acl"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432/orders/public", "indeterminate", "schema \"orders.public\": acl is known only after apply", ["acl"])}
}

test_pass_out_of_scope_types_ignored if {
	table := {
		"address": "postgresql://db.internal:5432/orders/public/t",
		"type": "postgresql_table",
		"provider": "postgresql",
		"name": "orders.public.t",
		"attributes": {"acl": [{"grantee": "PUBLIC", "privileges": ["CREATE"]}]},
	}
	findings := check.findings with input as _inventory([table])
	count(findings) == 0
	resources := check.resources with input as _inventory([table])
	count(resources) == 0
}
