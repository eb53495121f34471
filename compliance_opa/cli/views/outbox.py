"""The outbox as people read it (`opa-comply alerts list`): a table, or JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from compliance_opa.alerts.outbox import OutboxRow
from compliance_opa.reports.table import shown

_STATUS_STYLE = {"pending": "yellow", "sending": "yellow", "sent": "green", "dead": "red"}


def outbox_json(row: OutboxRow) -> dict[str, Any]:
    return {
        "id": row.seq,
        "channel": row.channel,
        "recipient": row.recipient or None,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": _when(row.next_attempt_at) if row.status != "sent" else None,
        "last_error": row.last_error or None,
        "created_at": row.created_at,
        "sent_at": row.sent_at,
        "scan_id": row.scan_id,
        "dedup_key": row.dedup_key,
        "check_id": row.event.check_id,
        "resource": row.event.resource,
        "severity": row.event.severity,
        "risk": row.event.risk,
    }


def print_outbox(rows: list[OutboxRow], console: Console) -> None:
    if not rows:
        console.print("No alerts in the outbox.")
        return
    table = Table(title=f"Alerts ({len(rows)})")
    for column in ("Id", "Status", "Channel", "Event", "Check", "Resource", "Tries", "Last error"):
        table.add_column(column, overflow="fold")
    # Addresses come from the estate and errors from the receivers' answers: printable
    # characters only (an error body's ESC[2J must not clear the screen), never markup.
    for r in rows:
        to = f" → {r.recipient}" if r.recipient else ""
        table.add_row(
            str(r.seq),
            f"[{_STATUS_STYLE.get(r.status, '')}]{shown(r.status)}[/]",
            shown(r.channel + to),
            shown(r.kind),
            shown(r.event.check_id),
            shown(r.event.resource),
            str(r.attempts),
            shown(r.last_error),
        )
    console.print(table)


def _when(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
