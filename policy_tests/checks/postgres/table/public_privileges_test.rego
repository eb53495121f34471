package checks.postgres.table.public_privileges_test

import data.checks.postgres.table.public_privileges as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-PRIV-002",
	"title": "Classified table grants privileges to PUBLIC",
	"description": "A privilege granted to PUBLIC on a table holding classified data (personal, health, card or confidential) extends to every role in the cluster, present and future, so anyone who can log in can read or change that data.",
	"severity": "critical",
	"resource_types": ["postgresql_table"],
	"controls": {
		"gdpr": ["Art.25(2)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)", "164.308(a)(4)(ii)(B)"],
		"pci_dss": ["7.2.1", "7.2.2"],
		"soc2": ["CC6.1", "CC6.3", "C1.1"],
		"iso27001": ["A.8.3", "A.5.15"],
	},
	"remediation": "REVOKE ALL ON TABLE ... FROM PUBLIC, grant the needed privileges to named roles, and fix ALTER DEFAULT PRIVILEGES so new tables do not grant to PUBLIC.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:05:00Z",
	"sources": [{"kind": "postgresql", "scope": "postgresql://db.internal:5432/orders", "status": "complete"}],
	"resources": resources,
}

_table(schema, name, data_classes, attributes) := {
	"address": sprintf("postgresql://db.internal:5432/orders/%s/%s", [schema, name]),
	"type": "postgresql_table",
	"provider": "postgresql",
	"name": sprintf("orders.%s.%s", [schema, name]),
	"data_classes": data_classes,
	"attributes": attributes,
}

_finding(address, status, message, paths) := expect.finding(_metadata, address, "postgresql_table", status, message, paths)

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_owner_acl := [{"grantee": "app_owner", "grantor": "app_owner", "privileges": ["SELECT", "INSERT", "UPDATE", "DELETE"]}]

_public_acl := array.concat(_owner_acl, [{"grantee": "PUBLIC", "grantor": "app_owner", "privileges": ["SELECT", "UPDATE"]}])

_address := "postgresql://db.internal:5432/orders/public/customers"

test_pass_classified_without_public_grant if {
	r := _table("public", "customers", ["pii"], {"schema": "public", "name": "customers", "acl": _owner_acl})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_unclassified_public_grant if {
	r := _table("public", "countries", ["public"], {"schema": "public", "name": "countries", "acl": _public_acl})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_classified_public_grant if {
	r := _table("public", "customers", ["pii", "pci"], {"schema": "public", "name": "customers", "acl": _public_acl})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders/public/customers", "postgresql_table",
		"table \"orders.public.customers\" holds pci, pii data and grants SELECT, UPDATE to PUBLIC",
	)}
}

# Classification from a tag counts as much as data_classes.
test_fail_classified_by_tag if {
	r := object.union(
		_table("public", "customers", [], {"acl": [{"grantee": "PUBLIC", "privileges": ["select"]}]}),
		{"tags": {"DataClassification": "confidential"}},
	)
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "table \"orders.public.customers\" holds confidential data and grants SELECT to PUBLIC", [])}
}

test_missing_acl if {
	r := _table("public", "customers", ["phi"], {"schema": "public", "name": "customers"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders/public/customers", "postgresql_table",
		"table \"orders.public.customers\": acl is missing from the inventory", ["acl"],
	)}
}

test_pass_missing_acl_unclassified if {
	r := _table("public", "countries", [], {"schema": "public", "name": "countries"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_unknown_acl if {
	r := object.union(_table("public", "customers", ["pii"], {}), {"unknown": ["acl"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.public.customers\": acl is known only after apply", ["acl"])}
}

test_pass_out_of_scope_types_ignored if {
	schema := {
		"address": "postgresql://db.internal:5432/orders/public",
		"type": "postgresql_schema",
		"provider": "postgresql",
		"name": "orders.public",
		"data_classes": ["pii"],
		"attributes": {"acl": [{"grantee": "PUBLIC", "privileges": ["USAGE"]}]},
	}
	findings := check.findings with input as _inventory([schema])
	count(findings) == 0
	resources := check.resources with input as _inventory([schema])
	count(resources) == 0
}
