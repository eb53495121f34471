"""CSV for spreadsheets and GRC imports: one row per finding, highest risk first.

RFC 4180 via the csv module (CRLF line ends). Every cell is quoted and any cell starting
with a character a spreadsheet reads as a formula gets a leading apostrophe (OWASP "CSV
Injection"): resource names and messages come from inventories, which we do not control.
"""

from __future__ import annotations

import csv
import io

from compliance_opa.domain.findings import Finding
from compliance_opa.domain.identity import finding_fingerprint
from compliance_opa.domain.report import ScanReport

COLUMNS = (
    "risk",
    "severity",
    "status",
    "check_id",
    "title",
    "resource",
    "resource_type",
    "controls",
    "message",
    "remediation",
    "waiver",
    "fingerprint",
)

# = + - @ start formulas in Excel, LibreOffice and Google Sheets; tab and CR can hide them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(report: ScanReport) -> str:
    out = io.StringIO()
    # QUOTE_ALL: a cell stays one cell even where a spreadsheet splits on ";" (locales
    # whose list separator is not ","), so `x;=cmd()` cannot become a formula cell.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for finding in report.findings_by_severity():
        writer.writerow([neutralise(cell) for cell in _row(finding, report.frameworks)])
    return out.getvalue()


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet shows it literally, never as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def _row(finding: Finding, frameworks: tuple[str, ...]) -> list[str]:
    waiver = finding.waiver
    return [
        str(finding.risk),
        finding.check.severity.value,
        finding.status.value,
        finding.check.check_id,
        finding.check.title,
        finding.resource,
        finding.resource_type,
        "; ".join(
            f"{framework}:{control}"
            for framework in frameworks
            for control in finding.check.controls.get(framework, ())
        ),
        finding.message,
        finding.check.remediation,
        f"{waiver.ticket} expires {waiver.expires.isoformat()}" if waiver else "",
        finding_fingerprint(finding),
    ]
