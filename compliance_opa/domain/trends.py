"""Compliance over scopes and over time, from stored scans. Pure: no I/O.

A verdict is kept per scope, check and resource: `pass`, `fail`, `indeterminate` or
`waived` (as rates.py counts them). Each day's point is built from the latest verdict
per scope, check and resource on or before that day, so a scope not scanned that day
keeps its last verdict instead of vanishing from the trend (a daily chart of "today's
scans only" drops a scope whenever its job is late, and the rate jumps for no reason).

How one scan updates a scope's verdicts:
- a scan whose sources were all collected completely replaces them: what it did not
  evaluate is gone (deleted, or out of scope now);
- a scan with coverage gaps (a source denied, failed or partial) updates what it
  evaluated and keeps the rest: not looking is not evidence that something was fixed.

Every rate is computed as rates.py computes it for one scan (a Tally per control), so
the last point of a trend equals the overview's figure over the same latest scans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from compliance_opa.domain.findings import Status
from compliance_opa.domain.rates import ControlStatus, FrameworkSummary, Tally
from compliance_opa.domain.report import ScanReport

VERDICTS = ("pass", "fail", "indeterminate", "waived")
Key = tuple[str, str]  # (check id, resource address)
ControlMap = Mapping[str, Mapping[str, tuple[str, ...]]]  # check -> framework -> control ids

_WORST = {Status.FAIL: 0, Status.INDETERMINATE: 1, Status.WAIVED: 2}


@dataclass(frozen=True)
class Observation:
    """One complete scan of a scope, reduced to what a trend needs."""

    scan_id: str
    scope: str
    finished_at: str  # ISO 8601 UTC, as stored
    seq: int  # the store's order: ties within one second
    complete_coverage: bool  # no coverage gap: what it did not evaluate is gone
    verdicts: Mapping[Key, str]
    controls: ControlMap

    @property
    def day(self) -> date:
        return date.fromisoformat(self.finished_at[:10])


def observe(report: ScanReport, seq: int) -> Observation:
    """The verdict of every evaluation of a scan: its worst finding, else a pass."""
    verdicts: dict[Key, str] = {}
    for result in report.results:
        worst: dict[str, Status] = {}
        for f in result.findings:
            if f.resource not in worst or _WORST[f.status] < _WORST[worst[f.resource]]:
                worst[f.resource] = f.status
        for address in result.evaluated:
            status = worst.get(address)
            verdicts[(result.check.check_id, address)] = status.value if status else "pass"
    return Observation(
        scan_id=report.scan_id,
        scope=report.scope,
        finished_at=report.finished_at,
        seq=seq,
        complete_coverage=not report.gaps,
        verdicts=verdicts,
        controls={r.check.check_id: dict(r.check.controls) for r in report.results},
    )


@dataclass(frozen=True)
class Standing:
    """One framework's compliance over some verdicts."""

    tally: Tally  # every evaluation of a check mapped to the framework
    controls_assessed: int
    controls_compliant: int

    @property
    def pass_rate(self) -> float | None:
        return self.tally.compliance_rate  # passed / evaluations, None when none

    @property
    def control_rate(self) -> float | None:
        if self.controls_assessed == 0:
            return None
        return round(self.controls_compliant / self.controls_assessed, 4)


def standing(
    verdicts: Mapping[tuple[str, str, str], str], controls: ControlMap, framework: str
) -> Standing | None:
    """The framework's standing over verdicts keyed by (scope, check, resource); None
    when no check of the framework evaluated anything."""
    overall = [0, 0, 0, 0, 0]
    per_control: dict[str, list[int]] = {}
    for (_, check, _), verdict in verdicts.items():
        mapped = controls.get(check, {}).get(framework)
        if not mapped:
            continue
        column = 1 + VERDICTS.index(verdict)
        overall[0] += 1
        overall[column] += 1
        for control in mapped:
            counts = per_control.setdefault(control, [0, 0, 0, 0, 0])
            counts[0] += 1
            counts[column] += 1
    if overall[0] == 0:
        return None
    statuses = [Tally(*counts).status for counts in per_control.values()]
    return Standing(
        tally=Tally(*overall),
        controls_assessed=sum(1 for s in statuses if s != "not_assessed"),
        controls_compliant=statuses.count("compliant"),
    )


@dataclass(frozen=True)
class Point:
    day: date
    standing: Standing


@dataclass(frozen=True)
class Series:
    scope: str  # "" for every scope together
    framework: str
    points: tuple[Point, ...]  # one per day from the scope's first scan on


def fold(state: dict[Key, str], observation: Observation) -> dict[Key, str]:
    """A scope's verdicts after one more scan (see the module docstring)."""
    if observation.complete_coverage:
        return dict(observation.verdicts)
    return {**state, **observation.verdicts}


def daily(
    observations: Iterable[Observation],
    first: date,
    last: date,
    frameworks: Sequence[str],
    *,
    combined: bool = True,
) -> list[Series]:
    """One series per scope and framework (and per framework over every scope, when
    ``combined``), one point per day from ``first`` to ``last``: scans before ``first``
    set where each scope starts. A day before a scope's first scan has no point."""
    if not frameworks:
        return []
    ordered = sorted(observations, key=lambda o: (o.finished_at, o.seq))
    controls: dict[str, Mapping[str, tuple[str, ...]]] = {}
    for o in ordered:  # the latest metadata of each check wins
        controls.update(o.controls)
    scopes = sorted({o.scope for o in ordered})
    states: dict[str, dict[Key, str]] = {}
    points: dict[tuple[str, str], list[Point]] = {}
    latest: dict[tuple[str, str], Standing | None] = {}
    pending = iter(ordered)
    upcoming = next(pending, None)
    day = first
    while day <= last:
        changed: set[str] = set()
        while upcoming is not None and upcoming.day <= day:
            states[upcoming.scope] = fold(states.get(upcoming.scope, {}), upcoming)
            changed.add(upcoming.scope)
            upcoming = next(pending, None)
        groups = [(scope, [scope]) for scope in scopes if scope in states]
        if combined and states:
            groups.append(("", sorted(states)))
        for name, members in groups:
            # A day with no new scan repeats the day before: no need to count again.
            if changed & set(members) or (name, frameworks[0]) not in latest:
                keyed = {(s, c, r): v for s in members for (c, r), v in states[s].items()}
                for framework in frameworks:
                    latest[(name, framework)] = standing(keyed, controls, framework)
            for framework in frameworks:
                found = latest[(name, framework)]
                if found is not None:
                    points.setdefault((name, framework), []).append(Point(day, found))
        day += timedelta(days=1)
    return [
        Series(scope=scope, framework=framework, points=tuple(found))
        for (scope, framework), found in sorted(points.items())
    ]


def combined_summary(summaries: Sequence[FrameworkSummary]) -> FrameworkSummary:
    """One framework's summaries of several scopes' scans as one: each control's tallies
    added up, so a control is compliant only when it is in every scope that assessed it."""
    first = summaries[0]
    controls: dict[str, list[ControlStatus]] = {}
    for summary in summaries:
        for control in summary.controls:
            controls.setdefault(control.control_id, []).append(control)
    automated = tuple(
        ControlStatus(
            control_id=control_id,
            title=next((c.title for c in found if c.title), ""),
            check_ids=tuple(sorted({i for c in found for i in c.check_ids})),
            tally=add_tallies(c.tally for c in found),
        )
        for control_id, found in controls.items()
    )
    manual = {m for s in summaries for m in s.manual_controls if m[0] not in controls}
    return FrameworkSummary(
        framework=first.framework,
        name=first.name,
        tally=add_tallies(s.tally for s in summaries),
        controls=automated,
        manual_controls=tuple(sorted(manual)),
    )


def add_tallies(tallies: Iterable[Tally]) -> Tally:
    total = [0, 0, 0, 0, 0]
    for t in tallies:
        for i, n in enumerate((t.evaluations, t.passed, t.failed, t.indeterminate, t.waived)):
            total[i] += n
    return Tally(*total)
