"""What the service's /metrics reads from the state store at scrape time.

Cheap by design, however long the history: the latest complete scan of each scope comes
from the scans index, the stored report of a scan only when the caller has not decoded
it before (a complete scan never changes), and the outbox depth from one grouped count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compliance_opa.state.store import Transaction

OUTBOX_STATUSES = ("pending", "sending", "sent", "dead")


@dataclass(frozen=True)
class LatestScan:
    scope: str
    scan_id: str
    finished_at: str  # ISO 8601 UTC, as recorded


def latest_complete_scans(tx: Transaction) -> list[LatestScan]:
    """The latest complete scan of every scope (of any kind), by scope."""
    rows = tx.rows(
        "SELECT s.scope, s.scan_id, s.finished_at FROM scans s"
        " JOIN (SELECT scope, MAX(seq) AS seq FROM scans WHERE complete = 1 GROUP BY scope) m"
        " ON s.seq = m.seq ORDER BY s.scope"
    )
    return [LatestScan(str(scope), str(scan_id), str(at)) for scope, scan_id, at in rows]


def stored_reports(tx: Transaction, scan_ids: Iterable[str]) -> dict[str, str]:
    """The stored report text of each of these scans, by scan id."""
    found: dict[str, str] = {}
    for scan_id in scan_ids:  # one at a time: a report can be large, the list is short
        rows = tx.rows("SELECT report FROM scans WHERE scan_id = ?", (scan_id,))
        if rows:
            found[scan_id] = str(rows[0][0])
    return found


def outbox_depth(tx: Transaction) -> dict[str, int]:
    """Alerts in the outbox per status; every known status is present (0 when none)."""
    depth = dict.fromkeys(OUTBOX_STATUSES, 0)
    for status, count in tx.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status"):
        depth[str(status)] = int(count)
    return depth
