package checks.postgres.table.pan_clear_text_test

import data.checks.postgres.table.pan_clear_text as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-TBL-002",
	"title": "Card numbers stored in clear text",
	"description": "A column classified as primary account numbers (pan) that is not encrypted keeps card numbers readable to anyone who can read the table, its backups or the data files.",
	"severity": "critical",
	"resource_types": ["postgresql_table"],
	"controls": {
		"gdpr": ["Art.32(1)(a)"],
		"pci_dss": ["3.5.1"],
		"soc2": ["CC6.1", "C1.1"],
		"iso27001": ["A.8.24", "A.8.11"],
	},
	"remediation": "Replace the column with a token from a tokenisation service, a keyed hash, or a value encrypted with a key held outside the database (for example pgp_sym_encrypt into bytea), and purge the clear-text values and backups.",
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

_address := "postgresql://db.internal:5432/orders/billing/cards"

_col(name, classification, encrypted) := {"name": name, "data_type": "text", "classification": classification, "encrypted": encrypted}

test_pass_pan_encrypted if {
	columns := [
		_col("id", "none", false),
		{"name": "pan", "data_type": "bytea", "classification": "pan", "encrypted": true},
		_col("cardholder", "pci", false),
	]
	r := _table("billing", "cards", ["pci"], {"schema": "billing", "name": "cards", "columns": columns})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_no_pan_column if {
	r := _table("billing", "cards", ["pci"], {"columns": [_col("cardholder", "pci", false), _col("email", "email", false)]})
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}

test_fail_pan_clear if {
	columns := [_col("id", "none", false), _col("pan", "pan", false), _col("pan_backup", "pan", false), _col("pan_enc", "pan", true)]
	r := _table("billing", "cards", ["pci"], {"schema": "billing", "name": "cards", "columns": columns})
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432/orders/billing/cards", "postgresql_table",
		"table \"orders.billing.cards\" stores card numbers unencrypted in column(s) pan, pan_backup",
	)}
}

# The column decides, not the table's classification.
test_fail_pan_in_unclassified_table if {
	r := _table("billing", "cards", [], {"columns": [_col("card_no", "pan", false)]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "table \"orders.billing.cards\" stores card numbers unencrypted in column(s) card_no", [])}
}

# A known clear column fails even when another lacks the flag.
test_fail_clear_beside_undecided if {
	columns := [_col("pan", "pan", false), {"name": "pan_old", "classification": "pan"}]
	r := _table("billing", "cards", ["pci"], {"columns": columns})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "fail", "table \"orders.billing.cards\" stores card numbers unencrypted in column(s) pan", [])}
}

test_missing_columns if {
	r := _table("billing", "cards", ["pci"], {"schema": "billing", "name": "cards"})
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432/orders/billing/cards", "postgresql_table",
		"table \"orders.billing.cards\": columns is missing from the inventory", ["columns"],
	)}
}

test_missing_encrypted_flag if {
	columns := [{"name": "pan", "data_type": "text", "classification": "pan"}, _col("pan_enc", "pan", true)]
	r := _table("billing", "cards", ["pci"], {"columns": columns})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.billing.cards\": encrypted is missing from the inventory for card number column(s) pan", ["columns"])}
}

test_unknown_columns if {
	r := object.union(_table("billing", "cards", ["pci"], {}), {"unknown": ["columns"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding(_address, "indeterminate", "table \"orders.billing.cards\": columns is known only after apply", ["columns"])}
}

test_pass_out_of_scope_types_ignored if {
	schema := {
		"address": "postgresql://db.internal:5432/orders/billing",
		"type": "postgresql_schema",
		"provider": "postgresql",
		"name": "orders.billing",
		"attributes": {"columns": [_col("pan", "pan", false)]},
	}
	findings := check.findings with input as _inventory([schema])
	count(findings) == 0
	resources := check.resources with input as _inventory([schema])
	count(resources) == 0
}
