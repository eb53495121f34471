"""Trends: one point a day from the latest verdict per scope, check and resource on or
before that day; a scope not scanned that day keeps its last verdict."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_opa.domain.findings import Severity, Status
from compliance_opa.domain.rates import summarize_framework
from compliance_opa.domain.trends import (
    Observation,
    Series,
    combined_summary,
    daily,
    observe,
    standing,
)
from tests.report_builder import check, finding, report

CONTROLS: dict[str, dict[str, tuple[str, ...]]] = {
    "C1": {"pci_dss": ("1.1",)},
    "C2": {"pci_dss": ("1.1", "2.1"), "gdpr": ("Art.32",)},
}
D1 = date(2026, 11, 1)


def obs(
    scope: str,
    day: date,
    verdicts: dict[tuple[str, str], str],
    *,
    complete: bool = True,
    hour: int = 9,
    seq: int = 0,
) -> Observation:
    return Observation(
        scan_id=f"{scope}-{day}-{hour}",
        scope=scope,
        finished_at=f"{day.isoformat()}T{hour:02d}:00:00Z",
        seq=seq,
        complete_coverage=complete,
        verdicts=verdicts,
        controls=CONTROLS,
    )


def series(found: list[Series], scope: str, framework: str) -> Series:
    [one] = [s for s in found if s.scope == scope and s.framework == framework]
    return one


def pass_rates(s: Series) -> list[tuple[date, float | None]]:
    return [(p.day, p.standing.pass_rate) for p in s.points]


def test_a_scope_not_scanned_that_day_keeps_its_last_verdict() -> None:
    observations = [
        obs("a", D1, {("C1", "r1"): "pass"}),
        obs("b", D1, {("C1", "r2"): "fail"}),
        obs("a", D1 + timedelta(days=2), {("C1", "r1"): "pass"}),  # b not scanned again
    ]
    found = daily(observations, D1, D1 + timedelta(days=2), ["pci_dss"])
    every = series(found, "", "pci_dss")
    # b's failure counts on every day: the rate does not jump to 100% on day 3.
    assert pass_rates(every) == [(D1 + timedelta(days=d), 0.5) for d in range(3)]
    b = series(found, "b", "pci_dss")
    assert [p.day for p in b.points] == [D1 + timedelta(days=d) for d in range(3)]
    assert {p.standing.tally.failed for p in b.points} == {1}


def test_no_point_before_a_scopes_first_scan() -> None:
    observations = [
        obs("a", D1, {("C1", "r1"): "pass"}),
        obs("b", D1 + timedelta(days=2), {("C1", "r2"): "fail"}),
    ]
    found = daily(observations, D1, D1 + timedelta(days=3), ["pci_dss"])
    assert [p.day for p in series(found, "b", "pci_dss").points] == [
        D1 + timedelta(days=2),
        D1 + timedelta(days=3),
    ]
    assert pass_rates(series(found, "", "pci_dss")) == [
        (D1, 1.0),
        (D1 + timedelta(days=1), 1.0),
        (D1 + timedelta(days=2), 0.5),
        (D1 + timedelta(days=3), 0.5),
    ]


def test_a_fully_covered_scan_replaces_and_a_partial_one_updates() -> None:
    start = {("C1", "r1"): "fail", ("C1", "r2"): "fail"}
    observations = [
        obs("a", D1, start),
        # r2 not collected (a denied source): its failure stays, r1's fix counts.
        obs("a", D1 + timedelta(days=1), {("C1", "r1"): "pass"}, complete=False),
        # fully collected, r2 gone: it no longer counts at all.
        obs("a", D1 + timedelta(days=2), {("C1", "r1"): "pass"}),
    ]
    found = daily(observations, D1, D1 + timedelta(days=2), ["pci_dss"])
    tallies = [p.standing.tally for p in series(found, "a", "pci_dss").points]
    assert [(t.evaluations, t.passed, t.failed) for t in tallies] == [
        (2, 0, 2),
        (2, 1, 1),
        (1, 1, 0),
    ]


def test_the_last_scan_of_a_day_wins_and_scans_before_the_window_set_its_start() -> None:
    observations = [
        obs("a", D1 - timedelta(days=10), {("C1", "r1"): "fail"}),
        obs("a", D1 + timedelta(days=1), {("C1", "r1"): "fail"}, hour=8, seq=1),
        obs("a", D1 + timedelta(days=1), {("C1", "r1"): "pass"}, hour=17, seq=2),
    ]
    found = daily(observations, D1, D1 + timedelta(days=1), ["pci_dss"])
    assert pass_rates(series(found, "a", "pci_dss")) == [(D1, 0.0), (D1 + timedelta(days=1), 1.0)]


def test_control_rate_counts_a_control_compliant_only_when_every_evaluation_passes() -> None:
    verdicts = {
        ("s", "C1", "r1"): "pass",  # 1.1
        ("s", "C2", "r1"): "waived",  # 1.1 and 2.1: a waiver accepts a risk, not compliant
        ("s", "C2", "r2"): "pass",
    }
    pci = standing(verdicts, CONTROLS, "pci_dss")
    assert pci is not None
    assert (pci.controls_assessed, pci.controls_compliant) == (2, 0)
    assert pci.pass_rate == round(2 / 3, 4)
    assert standing({("s", "C1", "r1"): "indeterminate"}, CONTROLS, "pci_dss") is not None
    assert standing({("s", "C1", "r1"): "pass"}, CONTROLS, "gdpr") is None  # not mapped


def test_the_last_point_equals_the_combined_summaries_of_the_latest_scans() -> None:
    """What the overview shows (the reports' own summaries, added up) is what the trend's
    last point says."""
    c1 = check("C1", Severity.HIGH, ("pci_dss", "gdpr"))
    c2 = replace(check("C2"), controls={"pci_dss": ("1.1", "2.1")})
    a = report({"C1": ["r1", "r2"], "C2": ["r1"]}, [finding(c1, "r1")], checks=[c2])
    b = report(
        {"C1": ["r3"], "C2": ["r3", "r4"]}, [finding(c2, "r4", Status.INDETERMINATE)], checks=[c1]
    )
    reports = []
    for scope, r in (("a", a), ("b", b)):
        summaries = tuple(summarize_framework(f, list(r.results)) for f in ("pci_dss", "gdpr"))
        reports.append(replace(r, scope=scope, scan_id=scope, summaries=summaries))
    observations = [observe(r, i) for i, r in enumerate(reports)]
    day = date(2026, 11, 23)
    found = daily(observations, day, day, ["pci_dss", "gdpr"])
    for framework in ("pci_dss", "gdpr"):
        [point] = series(found, "", framework).points
        summary = combined_summary(
            [s for r in reports for s in r.summaries if s.framework == framework]
        )
        assert point.standing.pass_rate == summary.tally.compliance_rate
        assert point.standing.control_rate == summary.compliance_rate
        assert point.standing.tally == summary.tally


def test_observe_takes_the_worst_finding_per_resource() -> None:
    c = check("C1")
    r = report(
        {"C1": ["r1", "r2", "r3"]},
        [finding(c, "r1", Status.WAIVED), finding(c, "r1", Status.FAIL),
         finding(c, "r2", Status.INDETERMINATE)],
    )  # fmt: skip
    assert dict(observe(r, 0).verdicts) == {
        ("C1", "r1"): "fail",
        ("C1", "r2"): "indeterminate",
        ("C1", "r3"): "pass",
    }
    assert observe(r, 0).complete_coverage is True
    assert observe(replace(r, gaps=report({}, gaps=["x"]).gaps), 0).complete_coverage is False


# --- property: every point is the definition, computed naively -------------------------

_scans = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.integers(min_value=-3, max_value=8),  # day offset: some before the window
        st.booleans(),  # complete coverage
        st.dictionaries(
            st.tuples(st.sampled_from(["C1", "C2"]), st.sampled_from(["r1", "r2", "r3"])),
            st.sampled_from(["pass", "fail", "indeterminate", "waived"]),
            max_size=6,
        ),
    ),
    max_size=12,
)


def _naive(
    observations: list[Observation], scope: str | None, day: date
) -> dict[tuple[str, str, str], str]:
    """Per scope, check and resource: the latest verdict on or before ``day``, unless a
    later fully covered scan of the scope (on or before ``day``) did not evaluate it."""
    chosen: dict[tuple[str, str, str], str] = {}
    for s in sorted({o.scope for o in observations}):
        if scope not in (None, s):
            continue
        mine = sorted(
            (o for o in observations if o.scope == s and o.day <= day),
            key=lambda o: (o.finished_at, o.seq),
        )
        for index, o in enumerate(mine):
            for (c, r), verdict in o.verdicts.items():
                later = mine[index + 1 :]
                if not any(x.complete_coverage and (c, r) not in x.verdicts for x in later):
                    chosen[(s, c, r)] = verdict
    return chosen


@settings(max_examples=150, deadline=None)
@given(_scans)
def test_every_point_is_the_latest_verdict_on_or_before_its_day(
    scans: list[tuple[str, int, bool, dict[tuple[str, str], str]]],
) -> None:
    observations = [
        obs(scope, D1 + timedelta(days=offset), verdicts, complete=complete, seq=i)
        for i, (scope, offset, complete, verdicts) in enumerate(scans)
    ]
    last = D1 + timedelta(days=6)
    found = daily(observations, D1, last, ["pci_dss", "gdpr"])
    for s in found:
        by_day = {p.day: p.standing for p in s.points}
        day = D1
        while day <= last:
            expected = standing(_naive(observations, s.scope or None, day), CONTROLS, s.framework)
            assert by_day.get(day) == expected, (s.scope, s.framework, day)
            day += timedelta(days=1)
    # A series exists whenever some day has something to show.
    for scope in {o.scope for o in observations} | {""}:
        for framework in ("pci_dss", "gdpr"):
            shown = any(s.scope == scope and s.framework == framework for s in found)
            expect = any(
                standing(
                    _naive(observations, scope or None, D1 + timedelta(days=d)), CONTROLS, framework
                )
                for d in range(7)
            )
            assert shown == expect
