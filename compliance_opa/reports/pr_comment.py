"""A pull-request comment in GitHub-flavoured Markdown: compliance before and after the
change, new findings grouped by module with their remediation, and what the plan
cannot tell until apply (indeterminate, with the unknown attribute named)."""

from __future__ import annotations

import re

from compliance_opa.domain.assessment import percent
from compliance_opa.domain.findings import FRAMEWORK_NAMES, Finding, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.reports.markdown import MARKDOWN


def module_of(address: str) -> str:
    """The module path of a plan address ("module.a.module.b"), or "(root module)"."""
    match = re.match(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)+", address)
    return match.group(0).rstrip(".") if match else "(root module)"


def render(report: ScanReport) -> str:
    comparison = report.comparison
    failing = [f for f in report.findings_by_severity() if f.status is Status.FAIL]
    new = list(comparison.gating) if comparison else failing
    new_ids = {id(f) for f in new}
    grouped: dict[str, list[Finding]] = {}
    for finding in failing:
        if id(finding) in new_ids:
            grouped.setdefault(module_of(finding.resource), []).append(finding)
    undecided = [f for f in report.findings_by_severity() if f.status is Status.INDETERMINATE]
    before = comparison.baseline.compliance if comparison else {}
    return MARKDOWN.get_template("pr_comment.md.j2").render(
        report=report,
        comparison=comparison,
        new_count=len(new),
        grouped=dict(sorted(grouped.items())),
        undecided=undecided,
        before=before,
        names=FRAMEWORK_NAMES,
        rate=percent,
    )
