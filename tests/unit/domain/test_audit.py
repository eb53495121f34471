"""domain/audit.py: the audit activity of a summary resource, fail closed."""

from __future__ import annotations

from typing import Any

import pytest

from compliance_opa.domain.audit import LIST_CAP, UNKNOWN, AuditActivity, audit_activity, audit_of
from compliance_opa.domain.redact import PLACEHOLDER
from tests.audit_support import (
    EVIL,
    SHA_A,
    SHA_B,
    SHA_C,
    cloudtrail_summary,
    example_summaries,
    postgresql_summary,
    schema_errors,
)


def _activity(resource: dict[str, Any]) -> AuditActivity:
    activity = audit_activity(resource)
    assert activity is not None
    return activity


def _list(activity: AuditActivity, key: str) -> Any:
    [found] = [x for x in activity.lists if x.key == key]
    return found


def test_the_fixtures_have_the_shape_of_their_schemas() -> None:
    assert schema_errors(postgresql_summary()) == []
    assert schema_errors(cloudtrail_summary()) == []


def test_postgresql_counts_lists_and_sources() -> None:
    a = _activity(postgresql_summary())
    assert (a.kind, a.resource, a.name) == ("postgresql", "postgresql-audit://clinic-primary",
                                            "clinic-primary")  # fmt: skip
    assert (a.period_start, a.period_end) == ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")
    assert {c.key: c.value for c in a.counts} == {
        "total_operations": 1234,
        "sensitive_operations": 57,
        "access_violations": 3,
        "sensitive_reads": 50,
        "sensitive_writes": 7,
        "failed_logins": 12,
        "role_changes": 1,
        "ddl": 33,
        "classified_grants": 1,
    }
    roles = _list(a, "role_statements")
    assert (roles.total, roles.known, roles.truncated) == (1, True, False)
    row = dict(zip(roles.columns, roles.rows[0], strict=True))
    assert row["User"] == EVIL  # kept as text: the renderers escape it
    assert (row["Command"], row["Grantees"], row["Privileges"]) == ("GRANT", "PUBLIC", "SELECT")
    ddl = _list(a, "ddl_statements")
    assert (len(ddl.rows), ddl.total, ddl.truncated) == (1, 33, True)
    assert _list(a, "failed_logins").rows == (("admin", "203.0.113.4", "28P01", "12"),)
    assert [(s.name, s.sha256) for s in a.sources] == [("/var/log/postgresql/clinic.csv", SHA_A)]
    assert a.digests == a.sources


def test_cloudtrail_counts_lists_and_sources() -> None:
    a = _activity(cloudtrail_summary())
    assert a.kind == "cloudtrail"
    counts = {c.key: c.value for c in a.counts}
    assert counts["total_operations"] == 5000
    assert counts["sensitive_operations"] == 3  # StopLogging, CreateUser, DeleteUser
    assert counts["access_violations"] == 9
    assert counts["root_activity"] == 600
    assert counts["console_logins_without_mfa"] == 1
    assert counts["failed_console_logins"] == 0
    assert counts["iam_changes"] == 2
    assert counts["logging_changes"] == 1
    assert counts["kms_key_changes"] == 0
    assert counts["bucket_policy_changes"] == 0
    assert counts["security_group_ingress_opened"] == 0
    assert counts["digest_problems"] == 2
    root = _list(a, "root_activity")
    assert (len(root.rows), root.total, root.truncated) == (1, 600, True)
    problems = _list(a, "digest_problems")
    assert [r[0] for r in problems.rows] == ["missing_digests", "hash_mismatches"]
    assert problems.total == 2
    assert EVIL in problems.rows[1]
    denied = _list(a, "access_denied")
    assert denied.rows == (("arn:aws:iam::123456789012:user/bob", "IAMUser", "9"),)
    assert denied.total == 1
    assert [s.sha256 for s in a.sources] == [SHA_B, SHA_C]
    assert a.sources[0].name.startswith("s3://trail-logs/org/AWSLogs/")


@pytest.mark.parametrize("value", ["12", 1.5, -1, True, None, [3], {"n": 3}])
@pytest.mark.parametrize("path", ["total_operations", "access_violations_total"])
def test_a_count_of_the_wrong_shape_is_unknown_never_zero(path: str, value: Any) -> None:
    resource = postgresql_summary()
    resource["attributes"][path] = value
    key = {"total_operations": "total_operations", "access_violations_total": "access_violations"}
    a = _activity(resource)
    assert a.count(key[path]) is None
    assert next(c for c in a.counts if c.key == key[path]).shown == UNKNOWN


def test_missing_and_unknown_attributes_are_unknown() -> None:
    resource = postgresql_summary()
    del resource["attributes"]["failed_logins_total"]
    resource["attributes"]["sensitive_operations"] = "lots"
    resource["unknown"] = ["total_operations", "ddl_statements"]
    a = _activity(resource)
    for key in ("failed_logins", "sensitive_operations", "sensitive_reads", "total_operations"):
        assert a.count(key) is None, key
    ddl = _list(a, "ddl_statements")
    assert (ddl.known, ddl.rows, ddl.total) == (False, (), None)
    assert not _list(a, "sensitive_tables").known
    assert a.count("role_changes") == 1  # the rest still shown


def test_a_list_of_the_wrong_shape_is_unknown_not_empty() -> None:
    resource = postgresql_summary()
    resource["attributes"]["role_statements"] = ["GRANT ALL"]
    resource["attributes"]["access_violations"] = {"intern": 3}
    a = _activity(resource)
    assert not _list(a, "role_statements").known
    assert not _list(a, "access_violations").known


def test_a_total_below_the_entries_listed_is_unknown() -> None:
    resource = postgresql_summary()
    resource["attributes"]["role_statements_total"] = 0
    assert _list(_activity(resource), "role_statements").total is None


def test_lists_are_capped_and_a_list_at_the_cap_has_an_unknown_total() -> None:
    resource = postgresql_summary()
    resource["attributes"]["access_violations"] = [
        {"user": f"u{i}", "client": "10.0.0.1", "count": 1} for i in range(LIST_CAP + 10)
    ]
    listed = _list(_activity(resource), "access_violations")
    assert (len(listed.rows), listed.total, listed.truncated) == (LIST_CAP, None, True)


def test_cloudtrail_wrong_shapes_fail_closed() -> None:
    resource = cloudtrail_summary()
    attributes = resource["attributes"]
    attributes["sensitive_events"]["iam_changes"]["total"] = "2"
    attributes["integrity_totals"]["bad_signatures"] = None
    attributes["access_denied"]["truncated"] = "no"
    del attributes["root_activity"]
    a = _activity(resource)
    assert a.count("iam_changes") is None
    assert a.count("sensitive_operations") is None  # one category unknown: the sum too
    assert a.count("digest_problems") is None
    assert a.count("root_activity") is None
    assert not _list(a, "root_activity").known
    assert _list(a, "access_denied").total is None
    attributes["sensitive_events"] = {}  # no category tracked: not "0 sensitive operations"
    assert _activity(resource).count("sensitive_operations") is None


def test_sources_without_a_proper_digest_are_listed_but_not_evidence() -> None:
    resource = postgresql_summary()
    resource["attributes"]["sources"] = [
        {"path": "/a.csv", "sha256": "A" * 64},
        {"path": "/b.csv"},
        "c.csv",
        {"path": "/d.csv", "sha256": SHA_A},
    ]
    a = _activity(resource)
    assert [(s.name, s.sha256) for s in a.sources] == [
        ("/a.csv", ""), ("/b.csv", ""), (UNKNOWN, ""), ("/d.csv", SHA_A)
    ]  # fmt: skip
    assert [s.name for s in a.digests] == ["/d.csv"]
    resource["attributes"]["sources"] = "everything"
    assert _activity(resource).sources == ()


def test_periods_that_are_not_rfc3339_are_unknown() -> None:
    resource = cloudtrail_summary()
    resource["attributes"]["period_start"] = EVIL
    resource["attributes"]["period_end"] = 20261201
    a = _activity(resource)
    assert (a.period_start, a.period_end) == (UNKNOWN, UNKNOWN)


def test_values_under_sensitive_paths_are_redacted() -> None:
    resource = postgresql_summary()
    resource["sensitive"] = ["failed_logins.0.user"]
    row = _list(_activity(resource), "failed_logins").rows[0]
    assert row[0] == PLACEHOLDER


def test_other_resources_have_no_audit_activity() -> None:
    assert audit_activity({"type": "aws_s3_bucket", "address": "b", "attributes": {}}) is None
    assert audit_activity({"type": "postgresql_audit_summary", "attributes": None}) is not None
    activities = audit_of([cloudtrail_summary(), {"type": "aws_s3_bucket"}, postgresql_summary()])
    assert [a.resource for a in activities] == sorted(a.resource for a in activities)
    assert len(activities) == 2


def test_the_summary_examples_read_with_known_counts() -> None:
    examples = example_summaries()
    assert examples, "examples/library/*audit-summary.json hold summaries"
    for resource in examples:
        a = _activity(resource)
        framework = [a.count(k) for k in ("total_operations", "sensitive_operations",
                                          "access_violations")]  # fmt: skip
        assert None not in framework, resource["address"]
        assert UNKNOWN not in (a.period_start, a.period_end)
        assert all(x.known for x in a.lists), resource["address"]
