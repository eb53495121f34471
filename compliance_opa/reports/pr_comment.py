"""A pull-request comment in GitHub-flavoured Markdown: compliance before and after the
change, new findings grouped by module with their remediation and suggested changes (or
their check's automatic fix), and what the plan cannot tell until apply (indeterminate,
with the unknown attribute named).

GitHub refuses a comment over 65,536 characters, so the suggested changes share a
budget (`SUGGESTIONS_BUDGET`): those past it are counted, and left to the full reports."""

from __future__ import annotations

import re

from compliance_opa.domain.assessment import percent
from compliance_opa.domain.findings import FRAMEWORK_NAMES, Finding, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.suggestions import Advice, advice
from compliance_opa.reports.markdown import code, environment, suggestion_block

# Characters of suggested changes (code blocks and lines) one comment shows at most.
SUGGESTIONS_BUDGET = 20_000


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
    suggested, omitted = _within_budget(grouped)
    return (
        environment()
        .get_template("pr_comment.md.j2")
        .render(
            report=report,
            comparison=comparison,
            new_count=len(new),
            grouped=dict(sorted(grouped.items())),
            suggested=suggested,
            omitted=omitted,
            undecided=undecided,
            before=before,
            names=FRAMEWORK_NAMES,
            rate=percent,
        )
    )


def _within_budget(grouped: dict[str, list[Finding]]) -> tuple[dict[str, list[Advice]], int]:
    """Each module's advice, in the order shown, while the shown text stays within the
    budget; and how many were left out."""
    shown: dict[str, list[Advice]] = {}
    used = omitted = 0
    for module, findings in sorted(grouped.items()):
        for item in advice(findings):
            size = len(code(item.finding.resource)) + 120  # the line naming it
            if item.suggestion is not None:
                size += len(suggestion_block(item.suggestion))
            if used + size > SUGGESTIONS_BUDGET:
                omitted += 1
                continue
            used += size
            shown.setdefault(module, []).append(item)
    return shown, omitted
