"""Per-framework and per-control compliance from check results. Pure: no I/O.

The unit of evidence is an evaluation: one check on one in-scope resource. It
passes when the check has no finding for the resource; indeterminate ones do
not pass (unknown is not compliant) but are counted apart from failures, and so
are waived ones: a waiver accepts a risk (it stops gating the build), it does not
make the resource compliant, so a control with a waived failure is not compliant.

A control is automated when at least one check maps to it, manual otherwise
(it needs evidence no scan gives). An automated control is compliant when all
its evaluations pass. A framework's compliance rate is the share of its
assessed automated controls that are compliant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from compliance_opa.domain.findings import Catalogue, CheckResult, Finding, Severity, Status


@dataclass(frozen=True)
class Tally:
    evaluations: int
    passed: int
    failed: int
    indeterminate: int
    waived: int = 0  # failing or indeterminate, with the risk accepted: never passed

    @property
    def compliance_rate(self) -> float | None:
        # None when nothing was assessed: an empty scan is not "100% compliant".
        if self.evaluations == 0:
            return None
        return round(self.passed / self.evaluations, 4)

    @property
    def status(self) -> str:
        if self.evaluations == 0:
            return "not_assessed"
        if self.failed or self.waived:
            return "non_compliant"
        if self.indeterminate:
            return "indeterminate"
        return "compliant"


@dataclass(frozen=True)
class ControlStatus:
    control_id: str
    title: str
    check_ids: tuple[str, ...]
    tally: Tally


@dataclass(frozen=True)
class FrameworkSummary:
    framework: str
    name: str
    tally: Tally  # every evaluation of every check mapped to the framework
    controls: tuple[ControlStatus, ...]  # automated controls
    manual_controls: tuple[tuple[str, str], ...]  # (id, title) of controls no check automates

    def controls_with(self, status: str) -> int:
        return sum(1 for c in self.controls if c.tally.status == status)

    @property
    def assessed(self) -> int:
        return len(self.controls) - self.controls_with("not_assessed")

    @property
    def compliance_rate(self) -> float | None:
        # None when no automated control was assessed: that is not "100% compliant".
        if self.assessed == 0:
            return None
        return round(self.controls_with("compliant") / self.assessed, 4)

    @property
    def status(self) -> str:
        for status in ("non_compliant", "indeterminate", "compliant"):
            if self.controls_with(status):
                return status
        return "not_assessed"


def tally(results: Iterable[CheckResult]) -> Tally:
    evaluations = passed = failed = indeterminate = waived = 0
    for result in results:
        worst = _worst_status_by_resource(result.findings)
        for address in result.evaluated:
            evaluations += 1
            status = worst.get(address)
            if status is Status.FAIL:
                failed += 1
            elif status is Status.INDETERMINATE:
                indeterminate += 1
            elif status is Status.WAIVED:
                waived += 1
            else:
                passed += 1
    return Tally(evaluations, passed, failed, indeterminate, waived)


def summarize_framework(
    framework: str, results: list[CheckResult], catalogue: Catalogue | None = None
) -> FrameworkSummary:
    mapped = [r for r in results if r.check.controls.get(framework)]
    titles = catalogue.controls if catalogue else {}
    control_ids = sorted({c for r in mapped for c in r.check.controls[framework]}, key=_natural)
    controls = tuple(
        ControlStatus(
            control_id=control,
            title=titles.get(control, ""),
            check_ids=tuple(
                r.check.check_id for r in mapped if control in r.check.controls[framework]
            ),
            tally=tally(r for r in mapped if control in r.check.controls[framework]),
        )
        for control in control_ids
    )
    manual = tuple(
        (control, title)
        for control, title in sorted(titles.items(), key=lambda item: _natural(item[0]))
        if control not in control_ids
    )
    return FrameworkSummary(
        framework=framework,
        name=catalogue.name if catalogue else framework,
        tally=tally(mapped),
        controls=controls,
        manual_controls=manual,
    )


def resummarize(summary: FrameworkSummary, results: list[CheckResult]) -> FrameworkSummary:
    """The same framework judged again on changed results (after waivers), keeping its
    catalogue: its name, control titles and manual controls."""
    titles = {c.control_id: c.title for c in summary.controls} | dict(summary.manual_controls)
    catalogue = Catalogue(framework=summary.framework, name=summary.name, controls=titles)
    return summarize_framework(summary.framework, results, catalogue)


def _natural(control_id: str) -> tuple[tuple[int, str], ...]:
    # "3.5.1" before "10.2.1", "Art.5" before "Art.32": numbers compare as numbers.
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"(\d+)", control_id))


def count_by_severity(findings: Iterable[Finding], status: Status) -> dict[str, int]:
    counts = {s.value: 0 for s in sorted(Severity, key=lambda s: -s.rank)}
    for finding in findings:
        if finding.status is status:
            counts[finding.check.severity.value] += 1
    return counts


def _worst_status_by_resource(findings: Iterable[Finding]) -> dict[str, Status]:
    worst: dict[str, Status] = {}
    order = {Status.FAIL: 0, Status.INDETERMINATE: 1, Status.WAIVED: 2}
    for finding in findings:
        current = worst.get(finding.resource)
        if current is None or order[finding.status] < order[current]:
            worst[finding.resource] = finding.status
    return worst
