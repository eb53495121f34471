"""The table format: findings table and per-framework summary, drawn with rich and
returned as text (plain, or with the terminal's styles when shown on one).

Text from the estate, the policies or a remote answer goes through `shown`: printable
characters only (rich escapes markup, not control characters), never markup."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Literal, cast

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from compliance_opa.domain.findings import FRAMEWORK_NAMES, Severity, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.support.printable import printable

ColorSystemName = Literal["auto", "standard", "256", "truecolor", "windows"]
Renderer = Callable[[ScanReport], str]

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_STATUS_STYLE = {
    "compliant": "green",
    "non_compliant": "red",
    "indeterminate": "yellow",
    "not_assessed": "dim",
}


def shown(text: object) -> str:
    """Text from outside for a rich console: printable, and never markup."""
    return escape(printable(text))


def draw(report: ScanReport, console: Console) -> None:
    """Draw the tables onto a console; the functions below give it one that records."""
    findings = report.findings_by_severity()
    if findings:
        table = Table(title=f"Findings ({len(findings)})", show_lines=False, expand=False)
        table.add_column("Risk", justify="right")
        table.add_column("Severity")
        table.add_column("Check", no_wrap=True)
        table.add_column("Resource", overflow="fold")
        table.add_column("Status")
        table.add_column("Message", overflow="fold")
        for f in findings:
            style = _SEVERITY_STYLE[f.check.severity]
            status = f.status.value if f.status is Status.FAIL else f"[yellow]{f.status.value}[/]"
            if f.waiver is not None:
                status += f" until {shown(f.waiver.expires)}"
            # Resource names and messages come from the inventory: never markup, never
            # a control character.
            table.add_row(
                str(f.risk),
                f"[{style}]{f.check.severity.value}[/]",
                shown(f.check.check_id),
                shown(f.resource),
                status,
                shown(f.message),
            )
        console.print(table)
    else:
        console.print("[green]No findings.[/]")

    summary = Table(title="Compliance by framework (automated controls)")
    summary.add_column("Framework")
    summary.add_column("Status")
    summary.add_column("Compliance", justify="right")
    summary.add_column("Compliant", justify="right")
    summary.add_column("Failing", justify="right")
    summary.add_column("Indeterminate", justify="right")
    summary.add_column("Manual", justify="right")
    for s in report.summaries:
        rate = "n/a" if s.compliance_rate is None else f"{s.compliance_rate:.0%}"
        style = _STATUS_STYLE[s.status]
        summary.add_row(
            FRAMEWORK_NAMES[s.framework],
            f"[{style}]{s.status.replace('_', ' ')}[/]",
            rate,
            f"{s.controls_with('compliant')}/{s.assessed}",
            str(s.controls_with("non_compliant")),
            str(s.controls_with("indeterminate")),
            str(len(s.manual_controls)),
        )
    console.print(summary)
    if report.drift is not None:
        d = report.drift
        since = f"since scan {d.previous_scan}" if d.previous_scan else "(first scan of this scope)"
        console.print(
            f"Drift {shown(since)}: {len(d.new)} new, {len(d.changed)} changed,"
            f" {len(d.persisting)} persisting, {len(d.resolved)} resolved,"
            f" {len(d.unverified)} not re-checked (coverage gaps)"
        )
    if report.waivers is not None:
        w = report.waivers
        for waiver in w.expired:
            console.print(f"[yellow]Expired waiver:[/] {shown(waiver.id)} ({waiver.expires})")
        for waiver in w.expiring:
            console.print(f"[yellow]Waiver expiring:[/] {shown(waiver.id)} on {waiver.expires}")
        for waiver in w.stale:
            console.print(f"[yellow]Stale waiver (matches nothing):[/] {shown(waiver.id)}")
    for gap in report.gaps:
        console.print(f"[yellow]Incomplete collection:[/] {shown(gap.describe())}")
    console.print(
        f"OPA {shown(report.opa_version)}, policies {shown(report.policy_digest[:19])}..., "
        f"{len(report.results)} checks on {sum(i.resources for i in report.inputs)} resources"
    )


def render(report: ScanReport) -> str:
    """Plain text, 160 columns wide: the table format written to a file."""
    recorder = Console(record=True, file=io.StringIO(), width=160)
    draw(report, recorder)
    return recorder.export_text()


def styled(
    width: int, terminal: bool, color_system: ColorSystemName | None, encoding: str = "utf-8"
) -> Renderer:
    """A renderer giving the text a console of these settings would show (colours on a
    terminal, ASCII boxes where the output's encoding is not UTF-8), for a front end to
    write to standard output."""

    def render_styled(report: ScanReport) -> str:
        buffer = _Buffer(encoding)
        draw(
            report,
            Console(
                file=cast(IO[str], buffer),
                width=width,
                force_terminal=terminal,
                color_system=color_system,
            ),
        )
        return _encodable(buffer.getvalue(), encoding)

    return render_styled


def _encodable(text: str, encoding: str) -> str:
    """The text as the output's encoding can hold it: rich's ellipsis for a cut cell
    becomes "...", and any other character it cannot hold (a name from the estate) its
    backslash escape, instead of an encoding error when it is written."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.replace("\u2026", "...").encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:  # an encoding Python does not know: written as given
        return text
    return text


class _Buffer:
    """Text kept in memory, reporting the encoding of where it will be written (rich
    chooses its box characters by it)."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        return "".join(self._parts)
