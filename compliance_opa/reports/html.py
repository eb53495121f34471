"""A single self-contained HTML report: no external files, readable offline and in print.

Rendered from a Jinja2 template with autoescaping on, so resource names and
messages from inventories cannot inject markup; every printed value also has its control
characters and bidi overrides shown escaped (`\\x1b`, `\\u202e`), so an address reads
as it is, never reordered or hidden. Findings can be filtered by framework, severity and
status with a few lines of inline script. A failing finding shows its suggested change
(`domain/suggestions.py`) in a <pre>, or the command of its check's automatic fix.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from compliance_opa.domain.assessment import report_context
from compliance_opa.domain.findings import Finding
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.suggestions import advice_for
from compliance_opa.reports.data_map_view import helpers as data_map_helpers
from compliance_opa.support.printable import printable

if TYPE_CHECKING:
    from jinja2 import Environment


@cache
def _env() -> Environment:
    """Built when a report is first rendered: a scan writing other formats never loads
    Jinja2."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("compliance_opa.reports", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        finalize=lambda value: value if isinstance(value, Markup) else printable(value),
    )


BAR_WIDTH = 240  # pixels of the compliance bar drawn per framework


def render(report: ScanReport) -> str:
    context = report_context(report)
    findings = report.findings  # severities and statuses present, in any order
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            **context,
            frameworks_of=lambda f: _frameworks_of(f, report.frameworks),
            bar=lambda value: round((value or 0) * BAR_WIDTH),
            bar_width=BAR_WIDTH,
            severities=sorted({f.check.severity for f in findings}, key=lambda s: -s.rank),
            statuses=sorted({f.status.value for f in findings}),
            advice_of=advice_for,
            code_block=_code_block,
            dm=report.data_map,
            **data_map_helpers(),
        )
    )


def _code_block(text: str) -> Markup:
    """Lines for a <pre>: each escaped, its control characters shown as escapes."""
    return Markup("\n").join(escape(printable(line)) for line in text.split("\n"))


def _frameworks_of(finding: Finding, selected: tuple[str, ...]) -> str:
    return " ".join(f for f in selected if finding.check.controls.get(f))
