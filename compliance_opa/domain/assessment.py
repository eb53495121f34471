"""What an auditor reads first: period, verdict per framework against a threshold, an
executive summary, a remediation plan and the evidence references. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from compliance_opa.domain.findings import FRAMEWORK_NAMES, Finding, Status, findings_digest
from compliance_opa.domain.rates import FrameworkSummary
from compliance_opa.domain.report import ScanReport

DEFAULT_THRESHOLD = 0.95

# How long each framework expects audit evidence to be kept. Defaults an organisation
# must confirm with its own counsel and auditors:
# - HIPAA 45 CFR 164.316(b)(2)(i): documentation kept 6 years from creation or last effect.
# - PCI DSS v4.0 requirement 10.5.1: audit log history kept at least 12 months.
# - SOC 2 (AICPA Trust Services Criteria) sets no period: 12 months covers the usual
#   Type II observation window an auditor samples from.
# - GDPR sets no period: Art. 5(2) asks for accountability evidence, Art. 5(1)(e) storage
#   limitation argues against keeping reports that may name people longer; one year here.
# - ISO/IEC 27001:2022 sets no period either: clause 7.5.3 asks documented information be
#   retained and 9.1 to 9.3 that results be kept as evidence; 3 years covers one certification
#   cycle (ISO/IEC 17021-1: certificate, surveillance audits, recertification).
# The evidence ledger keeps its records this long (the longest of the scan's frameworks).
RETENTION: dict[str, tuple[int, str]] = {
    "hipaa": (2192, "6 years (45 CFR 164.316(b)(2)(i))"),  # six years with two leap days
    "pci_dss": (365, "12 months (PCI DSS v4.0 10.5.1)"),
    "soc2": (365, "12 months: the examination period (AICPA SOC 2)"),
    "gdpr": (365, "as long as processing lasts (GDPR Art. 5(2), 30); at least 12 months here"),
    # three years with one leap day
    "iso27001": (1096, "3 years: one certification cycle (ISO/IEC 27001:2022 7.5.3, 9.1)"),
}


@dataclass(frozen=True)
class Verdict:
    framework: str
    name: str
    rate: float | None
    meets: bool  # rate at or above the threshold
    summary: FrameworkSummary


@dataclass(frozen=True)
class PlanItem:
    """One remediation action: a check to fix on every resource it failed on."""

    check_id: str
    title: str
    severity: str
    remediation: str
    resources: tuple[str, ...]
    risk: int  # the highest risk among them


@dataclass(frozen=True)
class Assessment:
    period_start: str
    period_end: str
    threshold: float
    verdicts: tuple[Verdict, ...]
    plan: tuple[PlanItem, ...]
    summary: tuple[str, ...]  # sentences of the executive summary
    retention: tuple[tuple[str, str], ...]  # (framework name, what it asks for)


def assess(report: ScanReport, threshold: float = DEFAULT_THRESHOLD) -> Assessment:
    collected = [i.collected_at for i in report.inputs if i.collected_at]
    verdicts = tuple(
        Verdict(
            framework=s.framework,
            name=FRAMEWORK_NAMES.get(s.framework, s.name),
            rate=s.compliance_rate,
            meets=s.compliance_rate is not None and s.compliance_rate >= threshold,
            summary=s,
        )
        for s in report.summaries
    )
    plan = remediation_plan(report.findings_by_severity())
    return Assessment(
        period_start=min(collected, default=report.started_at),
        period_end=report.finished_at,
        threshold=threshold,
        verdicts=verdicts,
        plan=plan,
        summary=_summary(report, verdicts, plan, threshold),
        retention=tuple(
            (FRAMEWORK_NAMES.get(f, f), RETENTION[f][1])
            for f in report.frameworks
            if f in RETENTION
        ),
    )


def remediation_plan(findings: Sequence[Finding]) -> tuple[PlanItem, ...]:
    """Failing findings grouped by check, riskiest action first."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.status is Status.FAIL:
            grouped.setdefault(finding.check.check_id, []).append(finding)
    items = [
        PlanItem(
            check_id=check_id,
            title=group[0].check.title,
            severity=group[0].check.severity.value,
            remediation=group[0].check.remediation,
            resources=tuple(sorted({f.resource for f in group})),
            risk=max(f.risk for f in group),
        )
        for check_id, group in grouped.items()
    ]
    return tuple(sorted(items, key=lambda i: (-i.risk, -len(i.resources), i.check_id)))


def _summary(
    report: ScanReport, verdicts: Sequence[Verdict], plan: Sequence[PlanItem], threshold: float
) -> tuple[str, ...]:
    totals = report.totals
    failing = report.by_severity(Status.FAIL)
    waived = sum(1 for f in report.findings if f.status is Status.WAIVED)
    meeting = [v.name for v in verdicts if v.meets]
    short = [v.name for v in verdicts if not v.meets]
    resources = sum(i.resources for i in report.inputs)
    lines = [
        f"{resources} resources from {len(report.inputs)} inputs were assessed by"
        f" {len(report.results)} automated checks ({totals.evaluations} evaluations,"
        f" {totals.passed} passed, {totals.failed} failed, {totals.indeterminate} indeterminate"
        + (f", {totals.waived} waived)." if totals.waived else ")."),
        f"{len(meeting)} of {len(verdicts)} frameworks meet the {threshold:.0%} threshold"
        + (f" ({', '.join(meeting)})" if meeting else "")
        + (f"; below it: {', '.join(short)}." if short else "."),
        f"{sum(failing.values())} failing findings ("
        + ", ".join(f"{n} {s}" for s, n in failing.items() if n)
        + f"), {waived} waived under approved exceptions."
        if sum(failing.values())
        else f"No failing findings; {waived} waived under approved exceptions.",
    ]
    if plan:
        top = plan[0]
        lines.append(
            f"Highest risk ({top.risk}/100): {top.check_id} {top.title} on"
            f" {len(top.resources)} resource(s); {len(plan)} remediation actions in all."
        )
    if report.gaps:
        lines.append(
            f"Collection was incomplete in {len(report.gaps)} place(s): resources there were"
            " not assessed, and their findings cannot be called resolved."
        )
    return tuple(lines)


def findings_of(report: ScanReport, status: Status) -> list[Finding]:
    return [f for f in report.findings_by_severity() if f.status is status]


def report_context(report: ScanReport) -> dict[str, object]:
    """What the HTML and Markdown templates both show: the report, its findings by risk,
    the assessment and its verdicts, the findings digest and how to print a rate."""
    assessment = assess(report, report.threshold)
    return {
        "report": report,
        "findings": report.findings_by_severity(),
        "a": assessment,
        "verdicts": {v.framework: v for v in assessment.verdicts},
        "findings_digest": findings_digest(report.findings),
        "names": FRAMEWORK_NAMES,
        "rate": percent,
    }


def percent(rate: float | None) -> str:
    """A compliance rate as reports print it; n/a when nothing was assessed."""
    return "n/a" if rate is None else f"{rate:.0%}"
