package checks.postgres.table.identifiers_in_analytics_test

import data.checks.postgres.table.identifiers_in_analytics as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-TBL-003",
	"title": "Direct identifiers in an analytics schema",
	"description": "Analytics and reporting rarely need to know who a person is; e-mail addresses, phone numbers and national identifiers copied into an analytics schema spread personal data to every analyst and tool that reads it.",
	"severity": "medium",
	"resource_types": ["postgresql_table"],
	"controls": {
		"gdpr": ["Art.5(1)(c)", "Art.25(1)"],
		"iso27001": ["A.8.11", "A.5.34"],
	},
	"remediation": "Drop the identifier columns from the analytics table, or replace them with a keyed hash (pseudonym) computed in the load job; keep the mapping only in the operational schema.",
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

_address := "postgresql://db.internal:5432/orders/analytics/orders_fact"

_col(name, classification) := {"name": name, "data_type": "text", "classification": classification, "encrypted": false}

test_pass_pseudonymised_analytics_table if {
	columns := [_col("customer_key", "none"), _col("country", "none"), _col("amount", "none")]
	r := _table("analytics", "orders_fact", [], {"schema": "analytics", "name": "orders_fact", "columns": columns})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_identifiers_outside_analytics if {
	r := _table("public", "customers", ["pii"], {"schema": "public", "name": "customers", "columns": [_col("email", "email")]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

# Only direct identifiers count; other personal data is for other checks.
test_pass_other_classes_in_analytics if {
	columns := [_col("birth_year", "pii"), _col("diagnosis", "phi"), _col("pan_token", "pci")]
	r := _table("analytics", "orders_fact", ["pii"], {"schema": "analytics", "columns": columns})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_identifiers_in_analytics if {
	columns := [_col("customer_key", "none"), _col("email", "email"), _col("mobile", "phone"), _col("ssn", "national_id")]
	r := _table("analytics", "orders_fact", ["pii"], {"schema": "analytics", "name": "orders_fact", "columns": columns})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders/analytics/orders_fact", "postgresql_table",
		"table \"orders.analytics.orders_fact\" in analytics schema \"analytics\" holds direct identifiers: email (email), mobile (phone), ssn (national_id)",
	)}
}

test_fail_analytics_schemas_parameter if {
	r := _table("marts", "users", [], {"schema": "marts", "columns": [_col("email", "email")]})
	inv := object.union(_inventory([r]), {"parameters": {"analytics_schemas": ["marts"]}})
	findings := check.findings with input as inv
	findings == {_finding("postgresql://db.internal:5432/orders/marts/users", "fail", "table \"orders.marts.users\" in analytics schema \"marts\" holds direct identifiers: email (email)", [])}
}

test_missing_schema if {
	r := _table("analytics", "orders_fact", [], {"name": "orders_fact", "columns": [_col("email", "email")]})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders/analytics/orders_fact", "postgresql_table",
		"table \"orders.analytics.orders_fact\": schema is missing from the inventory", ["schema"],
	)}
}

test_missing_columns_in_analytics if {
	r := _table("analytics", "orders_fact", [], {"schema": "analytics"})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.analytics.orders_fact\": columns is missing from the inventory", ["columns"])}
}

test_pass_missing_columns_outside_analytics if {
	r := _table("public", "customers", [], {"schema": "public"})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_unknown_columns if {
	r := object.union(_table("analytics", "orders_fact", [], {"schema": "analytics"}), {"unknown": ["columns"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.analytics.orders_fact\": columns is known only after apply", ["columns"])}
}

test_pass_out_of_scope_types_ignored if {
	schema := {
		"address": "postgresql://db.internal:5432/orders/analytics",
		"type": "postgresql_schema",
		"provider": "postgresql",
		"name": "orders.analytics",
		"attributes": {"schema": "analytics", "columns": [_col("email", "email")]},
	}
	findings := check.findings with input as _inventory([schema])
	count(findings) == 0
	resources := check.resources with input as _inventory([schema])
	count(resources) == 0
}
