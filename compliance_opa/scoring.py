"""Per-framework and per-control compliance from check results. Pure: no I/O.

The unit is an evaluation: one check on one in-scope resource. An evaluation
passes when the check has no finding for the resource; indeterminate ones do
not pass (unknown is not compliant) but are counted apart from failures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compliance_opa.findings import CheckResult, Finding, Severity, Status


@dataclass(frozen=True)
class Tally:
    evaluations: int
    passed: int
    failed: int
    indeterminate: int

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
        if self.failed:
            return "non_compliant"
        if self.indeterminate:
            return "indeterminate"
        return "compliant"


@dataclass(frozen=True)
class ControlStatus:
    control_id: str
    check_ids: tuple[str, ...]
    tally: Tally


@dataclass(frozen=True)
class FrameworkSummary:
    framework: str
    tally: Tally
    controls: tuple[ControlStatus, ...]


def tally(results: Iterable[CheckResult]) -> Tally:
    evaluations = passed = failed = indeterminate = 0
    for result in results:
        worst = _worst_status_by_resource(result.findings)
        for address in result.evaluated:
            evaluations += 1
            status = worst.get(address)
            if status is Status.FAIL:
                failed += 1
            elif status is Status.INDETERMINATE:
                indeterminate += 1
            else:
                passed += 1
    return Tally(evaluations, passed, failed, indeterminate)


def summarize_framework(framework: str, results: list[CheckResult]) -> FrameworkSummary:
    mapped = [r for r in results if r.check.controls.get(framework)]
    control_ids = sorted({c for r in mapped for c in r.check.controls[framework]})
    controls = tuple(
        ControlStatus(
            control_id=control,
            check_ids=tuple(
                r.check.check_id for r in mapped if control in r.check.controls[framework]
            ),
            tally=tally(r for r in mapped if control in r.check.controls[framework]),
        )
        for control in control_ids
    )
    return FrameworkSummary(framework=framework, tally=tally(mapped), controls=controls)


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
