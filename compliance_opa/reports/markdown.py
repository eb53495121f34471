"""Markdown report, for pull-request comments and wikis (rendered from a Jinja2 template)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from compliance_opa.domain.assessment import report_context
from compliance_opa.domain.report import ScanReport

# Shared by the Markdown templates (this report and the PR comment).
MARKDOWN = Environment(
    loader=PackageLoader("compliance_opa.reports", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # noqa: S701 - Markdown, not HTML; table cells go through `cell`.
    keep_trailing_newline=True,
)
# Cells: no pipes or newlines.
MARKDOWN.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
# Code spans in cells: backticks cannot close the span, and GitHub ends a table cell at `|`
# even inside a code span unless it is escaped.
MARKDOWN.filters["code"] = lambda text: (
    "`` " + str(text).replace("`", "'").replace("|", "\\|") + " ``"
)


def render(report: ScanReport) -> str:
    seen: dict[str, object] = {}
    for finding in report.findings_by_severity():
        seen.setdefault(finding.check.check_id, finding.check)
    return MARKDOWN.get_template("report.md.j2").render(
        **report_context(report), checks_with_findings=list(seen.values())
    )
