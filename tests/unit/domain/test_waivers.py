"""Waivers: loading refuses every bad file with one exact line; applying waives failing and
indeterminate findings with the first waiver in force, and never with an expired one."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance_opa.config.waivers_file import (
    WAIVER_POLICY_SCHEMA,
    WAIVERS_FILE_SCHEMA,
    load_waivers,
)
from compliance_opa.domain.apply_waivers import apply_waivers
from compliance_opa.domain.findings import Check, CheckResult, Finding, Severity, Status
from compliance_opa.domain.waivers import Waiver, WaiverPolicy
from compliance_opa.errors import InputError

TODAY = date(2026, 11, 23)
POLICY = WaiverPolicy()
DOCS = Path(__file__).resolve().parents[3] / "docs" / "waivers.md"


def _entry(**fields: str) -> str:
    """One waiver as a YAML flow mapping; a field given as "" is left out."""
    values = {
        "check": "AWS-RDS-001",
        "resource": "arn:aws:rds:eu-west-1:123456789012:db:legacy-*",
        "reason": "Legacy instance - migration planned",
        "owner": "payments-team",
        "approver": "jane.doe@example.com",
        "ticket": "SEC-1234",
        "expires": "2026-12-31",
        **fields,
    }
    return "{" + ", ".join(f"{k}: {v}" for k, v in values.items() if v != "") + "}"


def _file(tmp_path: Path, *entries: str) -> Path:
    return _write(tmp_path, "waivers:\n" + "".join(f"  - {e}\n" for e in entries))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _load_error(path: Path, policy: WaiverPolicy = POLICY) -> str:
    with pytest.raises(InputError) as caught:
        load_waivers(path, policy, TODAY)
    message = str(caught.value)
    assert "\n" not in message
    prefix = f"{path}: "
    assert message.startswith(prefix), message
    return message.removeprefix(prefix)


def _check(check_id: str) -> Check:
    return Check(check_id, "title", "description", Severity.HIGH, ("aws_db",), {}, "fix it")


def _finding(check_id: str, resource: str, status: Status = Status.FAIL) -> Finding:
    return Finding(_check(check_id), resource, "aws_db", status, f"{resource} is bad", ())


def _result(check_id: str, *findings: Finding) -> CheckResult:
    addresses = tuple(sorted({f.resource for f in findings} | {"clean"}))
    return CheckResult(_check(check_id), addresses, findings)


def _waiver(
    check: str = "AWS-RDS-001",
    resource: str = "*",
    expires: date = TODAY,
    index: int = 0,
) -> Waiver:
    return Waiver(check, resource, "reason", "owner", "approver", "T-1", expires, None, index, "w")


# ------------------------------------------------------------------------------ loading


def test_loads_a_valid_file(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        _entry(created="2026-10-02"),
        _entry(check='"PG-*"', resource="'*'", expires='"2027-01-15"', ticket="SEC-9"),
    )
    first, second = load_waivers(path, POLICY, TODAY)
    assert first == Waiver(
        check="AWS-RDS-001",
        resource="arn:aws:rds:eu-west-1:123456789012:db:legacy-*",
        reason="Legacy instance - migration planned",
        owner="payments-team",
        approver="jane.doe@example.com",
        ticket="SEC-1234",
        expires=date(2026, 12, 31),
        created=date(2026, 10, 2),
        index=0,
        source=str(path),
    )
    assert (second.check, second.resource, second.expires, second.created) == (
        "PG-*",
        "*",
        date(2027, 1, 15),
        None,
    )
    assert second.index == 1
    assert second.id == f"{path}:waivers[1]"


@pytest.mark.parametrize("text", ["waivers: []\n", "waivers:\n", "waivers:\n  # - {...}\n"])
def test_no_waivers_is_fine(tmp_path: Path, text: str) -> None:
    assert load_waivers(_write(tmp_path, text), POLICY, TODAY) == ()


def test_the_documented_example_loads(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    waivers = load_waivers(_write(tmp_path, blocks[0]), POLICY, date(2026, 11, 1))
    assert [w.ticket for w in waivers] == ["SEC-1234", "SEC-1301"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_entry(approver=""), "waivers[0]: missing required field 'approver'"),
        (_entry(expires=""), "waivers[0]: missing required field 'expires'"),
        (_entry(approved="bob"), "waivers[0]: unknown field 'approved'"),
        (_entry(owner='""'), "waivers[0].owner: must not be empty"),
        (_entry(reason='"   "'), "waivers[0].reason: must not be empty"),
        (_entry(ticket="1234"), "waivers[0].ticket: expected a string, got 1234"),
        (_entry(owner="no"), "waivers[0].owner: expected a string, got False"),
        (_entry(expires="2026-13-01"), "waivers[0].expires: '2026-13-01' is not a date"),
        (_entry(expires="2026-02-30"), "waivers[0].expires: '2026-02-30' is not a date"),
        (
            _entry(expires="31/12/2026"),
            "waivers[0].expires: expected a date YYYY-MM-DD, got '31/12/2026'",
        ),
        (
            _entry(expires="2026-1-5"),
            "waivers[0].expires: expected a date YYYY-MM-DD, got '2026-1-5'",
        ),
        (
            _entry(created="20261001"),
            "waivers[0].created: expected a date YYYY-MM-DD, got 20261001",
        ),
        (
            _entry(expires="2026-12-31 10:00:00"),
            "waivers[0].expires: expected a date YYYY-MM-DD, got '2026-12-31 10:00:00'",
        ),
        (
            _entry(created="2027-01-01"),
            "waivers[0].created: 2027-01-01 is after expires 2026-12-31",
        ),
        (
            _entry(created="2026-10-01"),
            "waivers[0].expires: 2026-12-31 is 91 days after 2026-10-01 (created), "
            "more than max_days 90",
        ),
        (
            _entry(expires="2027-02-22"),
            "waivers[0].expires: 2027-02-22 is 91 days after 2026-11-23 (today), "
            "more than max_days 90",
        ),
        ('"just text"', "waivers[0]: expected a mapping, got 'just text'"),
    ],
)
def test_bad_waiver_is_one_exact_line(tmp_path: Path, entry: str, message: str) -> None:
    assert _load_error(_file(tmp_path, entry)) == message


def test_the_error_names_the_first_bad_entry(tmp_path: Path) -> None:
    path = _file(tmp_path, _entry(), _entry(check="A", ticket=""), _entry(check="B", expires="x"))
    assert _load_error(path) == "waivers[1]: missing required field 'ticket'"


def test_an_explicit_yaml_timestamp_is_a_date(tmp_path: Path) -> None:
    path = _file(tmp_path, _entry(expires="!!timestamp 2026-12-31"))
    assert load_waivers(path, POLICY, TODAY)[0].expires == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("waivers: [\n", "invalid YAML at line 2 column 1: expected the node content, but found"),
        ("waivers:\n  - check: [a\n    b: c\n", "invalid YAML at line 3 column 6: expected ','"),
        ("- waivers: []\n", "expected a mapping with a `waivers` key"),
        ("", "expected a mapping with a `waivers` key"),
        ("just text\n", "expected a mapping with a `waivers` key"),
        ("waiver: []\n", "unknown key 'waiver' (expected only `waivers`)"),
        ("waivers: []\nmax_days: 9\n", "unknown key 'max_days' (expected only `waivers`)"),
        ("waivers: {check: A}\n", "waivers: expected a list, got {'check': 'A'}"),
        ("waivers: !!timestamp 2026-14-01\n", "invalid YAML: month must be in 1..12"),
    ],
)
def test_bad_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    assert _load_error(_write(tmp_path, text)).startswith(message)


def test_duplicate_check_and_resource_is_refused(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        _entry(),
        _entry(resource="other"),
        _entry(ticket="SEC-2", expires="2026-12-01"),
    )
    assert _load_error(path) == "waivers[2]: same check and resource as waivers[0]"


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _write(tmp_path, "waivers: []\n" + "#" * (1024 * 1024) + "\n")
    assert _load_error(path) == "waivers file larger than 1 MiB"


def test_missing_file(tmp_path: Path) -> None:
    assert _load_error(tmp_path / "waivers.yaml") == "no such file"


def test_max_days_is_inclusive_and_configurable(tmp_path: Path) -> None:
    at_cap = _file(tmp_path, _entry(created="2026-10-02", expires="2026-12-31"))
    assert load_waivers(at_cap, POLICY, TODAY)[0].expires == date(2026, 12, 31)
    from_today = _file(tmp_path, _entry(expires="2027-02-21"))  # exactly 90 days on
    assert load_waivers(from_today, POLICY, TODAY)[0].expires == date(2027, 2, 21)
    short = WaiverPolicy(max_days=30)
    assert _load_error(_file(tmp_path, _entry(expires="2026-12-24")), short) == (
        "waivers[0].expires: 2026-12-24 is 31 days after 2026-11-23 (today), more than max_days 30"
    )


def test_an_already_expired_waiver_loads(tmp_path: Path) -> None:
    # Loading is not the place to refuse it: the scan reports it as expired.
    path = _file(tmp_path, _entry(created="2026-01-01", expires="2026-02-01"))
    assert load_waivers(path, POLICY, TODAY)[0].expires == date(2026, 2, 1)


# ----------------------------------------------------------------------------- schemas


def test_schemas_are_draft_7() -> None:
    jsonschema.Draft7Validator.check_schema(WAIVER_POLICY_SCHEMA)
    jsonschema.Draft7Validator.check_schema(WAIVERS_FILE_SCHEMA)


@pytest.mark.parametrize(
    ("section", "valid"),
    [
        ({}, True),
        ({"file": "waivers.yaml", "max_days": 3650, "warn_days": 0}, True),
        ({"max_days": 1, "warn_days": 365}, True),
        ({"max_days": 0}, False),
        ({"max_days": 3651}, False),
        ({"max_days": True}, False),
        ({"max_days": "90"}, False),
        ({"warn_days": -1}, False),
        ({"warn_days": 366}, False),
        ({"file": ""}, False),
        ({"files": "w.yaml"}, False),
    ],
)
def test_policy_schema(section: dict[str, object], valid: bool) -> None:
    assert jsonschema.Draft7Validator(WAIVER_POLICY_SCHEMA).is_valid(section) is valid


def test_policy_from_config() -> None:
    assert WaiverPolicy.from_config({}) == WaiverPolicy(max_days=90, warn_days=14)
    assert WaiverPolicy.from_config({"file": "w", "max_days": 30, "warn_days": 3}) == (
        WaiverPolicy(max_days=30, warn_days=3)
    )


# ---------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("check", "resource", "check_id", "address", "matches"),
    [
        ("AWS-RDS-001", "db-1", "AWS-RDS-001", "db-1", True),
        ("PG-*", "*", "PG-007", "anything:at/all", True),
        ("PG-*", "*", "pg-007", "x", False),  # case-sensitive
        ("AWS-RDS-00?", "*", "AWS-RDS-003", "x", True),
        ("AWS-RDS-00?", "*", "AWS-RDS-0031", "x", False),  # whole id, not a prefix
        ("*", "arn:*:db:legacy-*", "X", "arn:aws:rds:eu-west-1:1:db:legacy-7", True),
        ("*", "arn:*:db:legacy-*", "X", "arn:aws:rds:eu-west-1:1:db:Legacy-7", False),
        ("*", "db:legacy", "X", "db:legacy-1", False),  # whole address
        ("*", "aws_s3_bucket.logs[0]", "X", "aws_s3_bucket.logs[0]", True),  # [ is literal
        ("*", "aws_s3_bucket.logs[0]", "X", "aws_s3_bucket.logs0", False),
        ("*", 'module.x["a"].*', "X", 'module.x["a"].aws_s3_bucket.b', True),
        ("*", "db.?", "X", "db.+", True),
        ("*", "db.+", "X", "db..", False),  # regex characters are literal too
    ],
)
def test_globs(check: str, resource: str, check_id: str, address: str, matches: bool) -> None:
    assert _waiver(check, resource).matches(check_id, address) is matches


# ---------------------------------------------------------------------------- applying


def test_a_waiver_is_in_force_through_its_expiry_day() -> None:
    waiver = _waiver(resource="db-1", expires=TODAY)
    results = [_result("AWS-RDS-001", _finding("AWS-RDS-001", "db-1"))]
    [result], outcome = apply_waivers(results, [waiver], TODAY, POLICY)
    [finding] = result.findings
    assert finding.status is Status.WAIVED
    assert finding.waiver is waiver
    assert outcome.in_force == (waiver,)
    assert outcome.expired == ()
    assert outcome.applied == {waiver.id: 1}
    assert outcome.waived == 1


def test_the_day_after_expiry_the_finding_fails_again() -> None:
    waiver = _waiver(resource="db-1", expires=TODAY - timedelta(days=1))
    results = [_result("AWS-RDS-001", _finding("AWS-RDS-001", "db-1"))]
    [result], outcome = apply_waivers(results, [waiver], TODAY, POLICY)
    [finding] = result.findings
    assert finding.status is Status.FAIL
    assert finding.waiver is None
    assert outcome.expired == (waiver,)
    assert (outcome.in_force, outcome.expiring, outcome.stale, outcome.applied) == ((), (), (), {})


@pytest.mark.parametrize(
    ("days_left", "warn_days", "expiring"),
    [(0, 14, True), (14, 14, True), (15, 14, False), (0, 0, True), (1, 0, False), (-1, 14, False)],
)
def test_expiring_window(days_left: int, warn_days: int, expiring: bool) -> None:
    waiver = _waiver(expires=TODAY + timedelta(days=days_left))
    _, outcome = apply_waivers([], [waiver], TODAY, WaiverPolicy(warn_days=warn_days))
    assert (outcome.expiring == (waiver,)) is expiring


def test_a_waiver_that_waives_nothing_is_stale() -> None:
    used = _waiver(resource="db-1", index=0)
    unused = _waiver(resource="db-gone", index=1)
    expired = _waiver(resource="db-old", expires=TODAY - timedelta(days=3), index=2)
    results = [_result("AWS-RDS-001", _finding("AWS-RDS-001", "db-1"))]
    _, outcome = apply_waivers(results, [used, unused, expired], TODAY, POLICY)
    assert outcome.stale == (unused,)
    assert outcome.applied == {used.id: 1, unused.id: 0}


def test_the_first_waiver_in_force_wins() -> None:
    expired = _waiver(resource="db-*", expires=TODAY - timedelta(days=1), index=0)
    first = _waiver(resource="db-*", index=1)
    second = _waiver(resource="db-1", index=2)
    findings = (_finding("AWS-RDS-001", "db-1"), _finding("AWS-RDS-001", "db-2"))
    [result], outcome = apply_waivers(
        [_result("AWS-RDS-001", *findings)], [expired, first, second], TODAY, POLICY
    )
    assert [f.waiver for f in result.findings] == [first, first]
    assert outcome.applied == {first.id: 2, second.id: 0}
    assert outcome.stale == (second,)  # shadowed: removing it changes nothing


def test_indeterminate_findings_are_waived_and_waived_ones_kept() -> None:
    waiver = _waiver(check="AWS-*")
    findings = (
        _finding("AWS-RDS-001", "a", Status.INDETERMINATE),
        _finding("AWS-RDS-001", "b", Status.WAIVED),
    )
    [result], outcome = apply_waivers([_result("AWS-RDS-001", *findings)], [waiver], TODAY, POLICY)
    assert [(f.status, f.waiver) for f in result.findings] == [
        (Status.WAIVED, waiver),
        (Status.WAIVED, None),
    ]
    assert outcome.applied == {waiver.id: 1}


def test_only_matching_findings_change() -> None:
    waiver = _waiver(check="AWS-RDS-001", resource="db-1")
    results = [
        _result("AWS-RDS-001", _finding("AWS-RDS-001", "db-1"), _finding("AWS-RDS-001", "db-2")),
        _result("AWS-S3-001", _finding("AWS-S3-001", "db-1")),
    ]
    waived, _ = apply_waivers(results, [waiver], TODAY, POLICY)
    assert [[f.status for f in r.findings] for r in waived] == [
        [Status.WAIVED, Status.FAIL],
        [Status.FAIL],
    ]
    assert [r.evaluated for r in waived] == [r.evaluated for r in results]
    assert waived[1] == results[1]


# ---------------------------------------------------------------------------- property

_CHECKS = ("A-1", "A-2", "B-1")
_RESOURCES = ("r1", "r2", "x[0]")

_findings = st.lists(
    st.builds(
        _finding,
        st.sampled_from(_CHECKS),
        st.sampled_from(_RESOURCES),
        st.sampled_from(list(Status)),
    ),
    max_size=12,
)
_waivers = st.lists(
    st.builds(
        _waiver,
        st.sampled_from((*_CHECKS, "A-*", "*", "?-1")),
        st.sampled_from((*_RESOURCES, "*", "r?", "x[0]*")),
        st.integers(-3, 3).map(lambda days: TODAY + timedelta(days=days)),
    ),
    max_size=5,
).map(lambda ws: [replace(w, index=i) for i, w in enumerate(ws)])


@given(_findings, _waivers)
def test_waiving_keeps_every_finding_and_never_uses_an_expired_waiver(
    findings: list[Finding], waivers: list[Waiver]
) -> None:
    results = [_result(c, *(f for f in findings if f.check.check_id == c)) for c in _CHECKS]
    waived, outcome = apply_waivers(results, waivers, TODAY, POLICY)
    assert len(waived) == len(results)
    changed = 0
    for before, after in zip(results, waived, strict=True):
        assert (after.check, after.evaluated) == (before.check, before.evaluated)
        assert len(after.findings) == len(before.findings)
        for old, new in zip(before.findings, after.findings, strict=True):
            assert (new.check, new.resource, new.message) == (old.check, old.resource, old.message)
            candidates = [
                w
                for w in waivers
                if w.expires >= TODAY and w.matches(old.check.check_id, old.resource)
            ]
            if old.status in (Status.FAIL, Status.INDETERMINATE) and candidates:
                assert (new.status, new.waiver) == (Status.WAIVED, candidates[0])
                changed += 1
            else:
                assert new == old
    assert outcome.waived == changed
    assert all(w.expires < TODAY for w in outcome.expired)
    assert set(outcome.applied) == {w.id for w in outcome.in_force}
