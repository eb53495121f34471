package checks.postgres.role.password_no_expiry_test

import data.checks.postgres.role.password_no_expiry as check
import data.test.expect

# A literal copy of the check's METADATA: a change there must change it.
_metadata := {
	"check_id": "PG-ROLE-002",
	"title": "Login role password never expires",
	"description": "A login role with a password and no VALID UNTIL date (or 'infinity') keeps the same password for ever, so a leaked or guessed password stays usable until someone notices. Roles without a password (certificate, peer or IAM authentication) and the admin roles are not checked.",
	"severity": "medium",
	"resource_types": ["postgresql_role"],
	"controls": {
		"gdpr": ["Art.32(1)(b)"],
		"hipaa": ["164.308(a)(5)(ii)(D)"],
		"pci_dss": ["8.3.9"],
		"soc2": ["CC6.1"],
		"iso27001": ["A.5.17"],
	},
	"remediation": "Rotate the password and set an expiry within the credential_max_age_days parameter (ALTER ROLE ... PASSWORD ... VALID UNTIL '...'), or move the role to certificate or IAM authentication and remove its password.",
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

_attrs(name, valid_until) := {
	"rolname": name,
	"superuser": false,
	"can_login": true,
	"password_set": true,
	"valid_until": valid_until,
	"member_of": ["app"],
}

test_pass_expiry_set if {
	r := _role("app_rw", _attrs("app_rw", "2027-02-01T00:00:00Z"))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
	resources := check.resources with input as _inventory([r])
	resources == {r}
}

test_pass_cleared_roles if {
	roles := [
		_role("postgres", _attrs("postgres", null)),
		_role("app_owner", object.union(_attrs("app_owner", null), {"can_login": false})),
		_role("iam_reader", object.union(_attrs("iam_reader", null), {"password_set": false})),
	]
	findings := check.findings with input as _inventory(roles)
	count(findings) == 0
}

test_fail_no_expiry if {
	r := _role("app_rw", _attrs("app_rw", null))
	findings := check.findings with input as _inventory([r])
	findings == {expect.fail(
		_metadata, "postgresql://db.internal:5432?role=app_rw", "postgresql_role",
		"login role \"app_rw\" has a password that never expires (valid_until = null)",
	)}
}

test_fail_infinity if {
	r := _role("app_rw", _attrs("app_rw", "infinity"))
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432?role=app_rw", "fail", "login role \"app_rw\" has a password that never expires (valid_until = infinity)", [])}
}

test_fail_admin_roles_parameter_overridden if {
	r := _role("postgres", _attrs("postgres", null))
	inv := object.union(_inventory([r]), {"parameters": {"admin_roles": []}})
	findings := check.findings with input as inv
	findings == {_finding("postgresql://db.internal:5432?role=postgres", "fail", "login role \"postgres\" has a password that never expires (valid_until = null)", [])}
}

test_missing_password_set if {
	r := _role("app_rw", object.remove(_attrs("app_rw", null), ["password_set"]))
	findings := check.findings with input as _inventory([r])
	findings == {expect.indeterminate(
		_metadata, "postgresql://db.internal:5432?role=app_rw", "postgresql_role",
		"role \"app_rw\": password_set is missing from the inventory", ["password_set"],
	)}
}

test_missing_valid_until if {
	r := _role("app_rw", object.remove(_attrs("app_rw", null), ["valid_until"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432?role=app_rw", "indeterminate", "role \"app_rw\": valid_until is missing from the inventory", ["valid_until"])}
}

test_unknown_valid_until if {
	r := object.union(_role("app_rw", object.remove(_attrs("app_rw", null), ["valid_until"])), {"unknown": ["valid_until"]})
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432?role=app_rw", "indeterminate", "role \"app_rw\": valid_until is known only after apply", ["valid_until"])}
}

test_pass_out_of_scope_types_ignored if {
	server := {
		"address": "postgresql://db.internal:5432",
		"type": "postgresql_server",
		"provider": "postgresql",
		"name": "db.internal:5432",
		"attributes": {"rolname": "app", "can_login": true, "password_set": true, "valid_until": null},
	}
	findings := check.findings with input as _inventory([server])
	count(findings) == 0
	resources := check.resources with input as _inventory([server])
	count(resources) == 0
}

# PostgreSQL reads 'infinity' in any case.
test_fail_infinity_any_case if {
	every value in ["Infinity", "INFINITY", " infinity "] {
		r := _role("app_rw", _attrs("app_rw", value))
		findings := check.findings with input as _inventory([r])
		findings == {_finding("postgresql://db.internal:5432?role=app_rw", "fail", sprintf("login role \"app_rw\" has a password that never expires (valid_until = %s)", [value]), [])}
	}
}

# An empty or unrecognised value is no expiry date the check can trust.
test_indeterminate_unrecognised_valid_until if {
	every value in ["", "  ", "soon", 20270201] {
		r := _role("app_rw", _attrs("app_rw", value))
		findings := check.findings with input as _inventory([r])
		findings == {expect.indeterminate(
			_metadata, "postgresql://db.internal:5432?role=app_rw", "postgresql_role",
			sprintf("role \"app_rw\": valid_until = %s is neither a date nor infinity", [json.marshal(value)]),
			["valid_until"],
		)}
	}
}

# Reported together with the attributes not collected, in one finding.
test_indeterminate_unrecognised_valid_until_and_missing_password_set if {
	r := _role("app_rw", object.remove(_attrs("app_rw", ""), ["password_set"]))
	findings := check.findings with input as _inventory([r])
	findings == {_finding("postgresql://db.internal:5432?role=app_rw", "indeterminate", "role \"app_rw\": password_set is missing from the inventory; valid_until = \"\" is neither a date nor infinity", ["password_set", "valid_until"])}
}

# Dates in PostgreSQL's own output format, -infinity (never valid) and dates
# far beyond credential_max_age_days all pass: the inventory carries no time to
# measure them from (see the check).
test_pass_other_expiry_forms if {
	every value in ["2026-12-01 00:00:00+00", "-infinity", "2099-01-01T00:00:00Z"] {
		r := _role("app_rw", _attrs("app_rw", value))
		findings := check.findings with input as _inventory([r])
		count(findings) == 0
		resources := check.resources with input as _inventory([r])
		resources == {r}
	}
}

# An unrecognised valid_until does not matter for a role cleared otherwise.
test_pass_unrecognised_valid_until_on_cleared_role if {
	r := _role("app_owner", object.union(_attrs("app_owner", ""), {"can_login": false}))
	findings := check.findings with input as _inventory([r])
	count(findings) == 0
}
