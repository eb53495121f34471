"""The check list as a terminal table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from compliance_opa.domain.findings import FRAMEWORK_NAMES, FRAMEWORKS, Check
from compliance_opa.reports.table import shown


def print_table(checks: Sequence[Check], console: Console) -> None:
    table = Table(title=f"Checks ({len(checks)})")
    for column in ("Id", "Severity", "Title", "Resource types", "Frameworks"):
        table.add_column(column, overflow="fold")
    for c in checks:  # metadata of the policies in use, maybe a remote OPA's: shown as text
        table.add_row(
            shown(c.check_id),
            c.severity.value,
            shown(c.title),
            shown(", ".join(c.resource_types)),
            ", ".join(FRAMEWORK_NAMES[f] for f in FRAMEWORKS if c.controls.get(f)),
        )
    console.print(table)
