package checks.postgres.table.row_security_test

import data.checks.postgres.table.row_security as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-TBL-001",
	"title": "Row-level security off on a table holding personal or health data",
	"description": "Without row-level security, every role with SELECT on a table holding personal or health data sees every data subject's rows; policies let the database itself limit each role to the rows it needs.",
	"severity": "medium",
	"resource_types": ["postgresql_table"],
	"controls": {
		"gdpr": ["Art.25(1)", "Art.32(1)(b)"],
		"hipaa": ["164.312(a)(1)"],
		"soc2": ["CC6.1", "CC6.3"],
		"iso27001": ["A.8.3"],
	},
	"remediation": "Write policies (CREATE POLICY) for the roles that use the table, then ALTER TABLE ... ENABLE ROW LEVEL SECURITY (and FORCE ROW LEVEL SECURITY if the owner role is used by applications).",
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

_address := "postgresql://db.internal:5432/orders/public/patients"

test_pass_rls_on if {
	r := _table("public", "patients", ["phi"], {"schema": "public", "name": "patients", "row_security": true, "force_row_security": true})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_not_personal if {
	every classes in [[], ["pci"], ["confidential"], ["public"]] {
		r := _table("public", "patients", classes, {"row_security": false})
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
	}
}

test_fail_phi_without_rls if {
	r := _table("public", "patients", ["phi", "pii"], {"schema": "public", "name": "patients", "row_security": false, "force_row_security": false})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders/public/patients", "postgresql_table",
		"table \"orders.public.patients\" holds phi, pii data with row-level security disabled",
	)}
}

test_fail_personal_classes_parameter if {
	r := _table("public", "patients", ["confidential"], {"row_security": false})
	inv := object.union(_inventory([r]), {"parameters": {"personal_data_classes": ["confidential"]}})
	findings := check.findings with input as inv
	findings == {_finding(_address, "fail", "table \"orders.public.patients\" holds confidential data with row-level security disabled", [])}
}

test_missing_row_security if {
	r := _table("public", "patients", ["pii"], {"schema": "public", "name": "patients"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders/public/patients", "postgresql_table",
		"table \"orders.public.patients\": row_security is missing from the inventory", ["row_security"],
	)}
}

test_unknown_row_security if {
	r := object.union(_table("public", "patients", ["pii"], {}), {"unknown": ["row_security"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.public.patients\": row_security is known only after apply", ["row_security"])}
}

test_pass_out_of_scope_types_ignored if {
	schema := {
		"address": "postgresql://db.internal:5432/orders/public",
		"type": "postgresql_schema",
		"provider": "postgresql",
		"name": "orders.public",
		"data_classes": ["pii"],
		"attributes": {"row_security": false},
	}
	findings := check.findings with input as _inventory([schema])
	count(findings) == 0
	resources := check.resources with input as _inventory([schema])
	count(resources) == 0
}
