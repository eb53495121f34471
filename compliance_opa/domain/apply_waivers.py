"""Applying waivers to a scan's results: failing and indeterminate findings matched by a
waiver in force become WAIVED. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from compliance_opa.domain.findings import CheckResult, Finding, Status
from compliance_opa.domain.rates import resummarize
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.waivers import Waiver, WaiverOutcome, WaiverPolicy


def waive(
    report: ScanReport, waivers: Sequence[Waiver], today: date, policy: WaiverPolicy
) -> ScanReport:
    """The report with its waivers applied, every summary made again from the waived
    results, so no summary contradicts another (a waived failure is not a pass)."""
    results, outcome = apply_waivers(report.results, waivers, today, policy)
    summaries = tuple(resummarize(s, list(results)) for s in report.summaries)
    return replace(report, results=results, waivers=outcome, summaries=summaries)


def apply_waivers(
    results: Sequence[CheckResult],
    waivers: Sequence[Waiver],
    today: date,
    policy: WaiverPolicy,
) -> tuple[tuple[CheckResult, ...], WaiverOutcome]:
    """Failing and indeterminate findings matched by a waiver in force become WAIVED, with
    the first such waiver in file order; results, findings and their order are kept."""
    in_force = tuple(w for w in waivers if w.in_force(today))
    applied = dict.fromkeys((w.id for w in in_force), 0)
    candidates = sum(
        1
        for result in results
        for f in result.findings
        if f.status in (Status.FAIL, Status.INDETERMINATE)
    )
    waived_results = []
    for result in results:
        findings = tuple(_apply(finding, in_force, applied) for finding in result.findings)
        waived_results.append(replace(result, findings=findings))
    outcome = WaiverOutcome(
        in_force=in_force,
        expired=tuple(w for w in waivers if not w.in_force(today)),
        expiring=tuple(w for w in in_force if w.expiring(today, policy.warn_days)),
        stale=tuple(w for w in in_force if applied[w.id] == 0),
        applied=applied,
        broad=tuple(
            w for w in in_force if w.broad or _waives_a_large_share(w, applied, candidates, policy)
        ),
        candidates=candidates,
    )
    return tuple(waived_results), outcome


def _apply(finding: Finding, in_force: Iterable[Waiver], applied: dict[str, int]) -> Finding:
    if finding.status not in (Status.FAIL, Status.INDETERMINATE):
        return finding
    waiver = next(
        (w for w in in_force if w.matches(finding.check.check_id, finding.resource)), None
    )
    if waiver is None:
        return finding
    applied[waiver.id] += 1
    return replace(finding, status=Status.WAIVED, waiver=waiver)


def _waives_a_large_share(
    waiver: Waiver, applied: dict[str, int], candidates: int, policy: WaiverPolicy
) -> bool:
    """A wildcard waiver that waived more than one finding and more than the policy's
    share of them. A waiver naming one check and one resource is never broad."""
    waived = applied[waiver.id]
    return waiver.wildcard and waived > 1 and waived > policy.broad_share * candidates
