package checks.postgres.audit.classified_grant_test

import data.checks.postgres.audit.classified_grant as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-AUD-001",
	"title": "GRANT on a classified table to PUBLIC or a login role in the period",
	"description": "A GRANT in the audit period gave PUBLIC (every role, present and future) or a role that can log in direct privileges on a table classified as holding personal, health or card data. Access to such tables should go through group roles without LOGIN, so that who may read them is decided in one reviewed place.",
	"severity": "high",
	"resource_types": [
		"postgresql_audit_summary",
	],
	"controls": {
		"gdpr": [
			"Art.25(1)",
			"Art.32(1)(b)",
		],
		"hipaa": [
			"164.312(a)(1)",
			"164.308(a)(4)(ii)(C)",
		],
		"pci_dss": [
			"7.2.1",
			"7.2.2",
		],
		"soc2": [
			"CC6.1",
			"CC6.3",
		],
		"iso27001": [
			"A.5.18",
			"A.8.3",
		],
	},
	"remediation": "REVOKE the privileges from PUBLIC or the login role, grant them to a group role without LOGIN and make the people or services that need them members of it; check the change against its approval record.",
}

_inventory(resources) := {
	"schema_version": "1",
	"snapshot_id": "unit-test",
	"collected_at": "2026-11-23T09:00:00Z",
	"sources": [],
	"resources": resources,
}

_resource(attributes) := {
	"address": "postgresql-audit://db1",
	"type": "postgresql_audit_summary",
	"provider": "postgresql",
	"name": "db1",
	"attributes": attributes,
}

_findings(r, parameters) := f if {
	f := check.findings with input as object.union(_inventory([r]), {"parameters": parameters})
}

test_metadata_matches_annotation if {
	check.metadata == _metadata
}

_grant(grantees, classes) := {"time": "2026-11-02T10:00:00Z", "command": "GRANT", "objects": ["public.patients"], "grantees": grantees, "data_classes": classes}

test_pass_group_role if {
	r := _resource({"classified_grants": [_grant([{"name": "readers", "public": false, "login": false}], ["phi"])], "classified_grants_total": 1})
	count(_findings(r, {})) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_no_grants if {
	r := _resource({"classified_grants": [], "classified_grants_total": 0})
	count(_findings(r, {})) == 0
}

test_fail_public if {
	r := _resource({"classified_grants": [_grant([{"name": "PUBLIC", "public": true, "login": null}], ["phi"])], "classified_grants_total": 1})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": 1 GRANT(s) on classified tables to PUBLIC or a login role in the period (first: 2026-11-02T10:00:00Z on public.patients to PUBLIC)")}
}

test_fail_login_role if {
	r := _resource({"classified_grants": [_grant([{"name": "readers", "public": false, "login": false}, {"name": "ana", "public": false, "login": true}], ["pii"])], "classified_grants_total": 1})
	_findings(r, {}) == {expect.fail(_metadata, r.address, r.type, "\"db1\": 1 GRANT(s) on classified tables to PUBLIC or a login role in the period (first: 2026-11-02T10:00:00Z on public.patients to ana)")}
}

test_revoke_is_not_a_grant if {
	g := object.union(_grant([{"name": "PUBLIC", "public": true, "login": null}], ["phi"]), {"command": "REVOKE"})
	r := _resource({"classified_grants": [g], "classified_grants_total": 1})
	count(_findings(r, {})) == 0
}

test_indeterminate_login_unknown if {
	r := _resource({"classified_grants": [_grant([{"name": "ana", "public": false, "login": null}], ["phi"])], "classified_grants_total": 1})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": a GRANT in the period names grantees whose login right is not known (or could not be read)", ["classified_grants"])}
}

test_indeterminate_unreadable_grant if {
	g := {"time": "2026-11-02T10:00:00Z", "command": "GRANT", "objects": null, "grantees": null, "data_classes": []}
	r := _resource({"classified_grants": [g], "classified_grants_total": 1})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": a GRANT in the period names grantees whose login right is not known (or could not be read)", ["classified_grants"])}
}

test_indeterminate_truncated if {
	r := _resource({"classified_grants": [], "classified_grants_total": 3})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": only 0 of 3 GRANTs on classified tables are listed", ["classified_grants"])}
}

test_missing if {
	r := _resource({"total_operations": 3})
	_findings(r, {}) == {expect.indeterminate(_metadata, r.address, r.type, "\"db1\": classified_grants is missing from the inventory; classified_grants_total is missing from the inventory", ["classified_grants", "classified_grants_total"])}
}
