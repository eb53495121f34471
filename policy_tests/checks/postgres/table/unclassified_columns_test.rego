package checks.postgres.table.unclassified_columns_test

import data.checks.postgres.table.unclassified_columns as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-TBL-004",
	"title": "Table holds classified columns but is not classified",
	"description": "Checks and reports rely on a table's data classes; a table whose columns hold personal, health or card data without the matching class escapes the controls and the record of where that data is processed.",
	"severity": "low",
	"resource_types": ["postgresql_table"],
	"controls": {
		"gdpr": ["Art.30"],
		"soc2": ["C1.1"],
		"iso27001": ["A.5.12", "A.5.13"],
	},
	"remediation": "Add the missing classes to the table's data classes (or its classification tag), or correct the column classification if it is wrong.",
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

_address := "postgresql://db.internal:5432/orders/public/customers"

_col(name, classification) := {"name": name, "data_type": "text", "classification": classification}

_columns := [
	_col("id", "none"),
	_col("email", "email"),
	_col("phone", "phone"),
	_col("allergies", "phi"),
	_col("pan", "pan"),
]

test_pass_classes_cover_columns if {
	r := _table("public", "customers", ["pii", "phi", "pci"], {"schema": "public", "name": "customers", "columns": _columns})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_only_unclassified_columns if {
	r := _table("public", "countries", [], {"columns": [_col("code", "none"), _col("name", "none")]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_pass_classes_from_tag if {
	r := object.union(
		_table("public", "customers", [], {"columns": _columns}),
		{"tags": {"DataClassification": "pii, phi, pci"}},
	)
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_unclassified_table if {
	r := _table("public", "customers", ["pii"], {"schema": "public", "name": "customers", "columns": _columns})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders/public/customers", "postgresql_table",
		"table \"orders.public.customers\" is not classified for the data its columns hold: pci (pan); phi (allergies)",
	)}
}

test_fail_no_classes_at_all if {
	r := _table("public", "customers", [], {"columns": [_col("email", "email"), _col("ssn", "national_id")]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "table \"orders.public.customers\" is not classified for the data its columns hold: pii (email, ssn)", [])}
}

test_missing_columns if {
	r := _table("public", "customers", [], {"schema": "public", "name": "customers"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders/public/customers", "postgresql_table",
		"table \"orders.public.customers\": columns is missing from the inventory", ["columns"],
	)}
}

test_unknown_column_element if {
	r := object.union(_table("public", "customers", [], {"columns": []}), {"unknown": ["columns.0"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.public.customers\": columns is known only after apply", ["columns"])}
}

test_pass_out_of_scope_types_ignored if {
	schema := {
		"address": "postgresql://db.internal:5432/orders/public",
		"type": "postgresql_schema",
		"provider": "postgresql",
		"name": "orders.public",
		"attributes": {"columns": [_col("email", "email")]},
	}
	findings := check.findings with input as _inventory([schema])
	count(findings) == 0
	resources := check.resources with input as _inventory([schema])
	count(resources) == 0
}
