"""Which ticket follows which finding episode, per ticket channel (table `tickets`).

A ticket channel records the key of an issue the moment it is created, and its state
(`open` / `closed`) after each change, so a rerun finds the ticket here before it asks
the tracker (whose search may lag), and never opens a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance_opa.state.store import StateStore, now_iso


@dataclass(frozen=True)
class TicketRecord:
    ticket: str  # Jira issue key (PROJ-12) or GitHub issue number
    state: str  # open | closed
    scan_id: str  # the scan whose event last changed it


def lookup(store: StateStore, channel: str, dedup_key: str) -> TicketRecord | None:
    with store.reading() as tx:
        rows = tx.rows(
            "SELECT ticket, state, scan_id FROM tickets WHERE channel = ? AND dedup_key = ?",
            (channel, dedup_key),
        )
    if not rows:
        return None
    ticket, state, scan_id = rows[0]
    return TicketRecord(str(ticket), str(state), str(scan_id))


def record(
    store: StateStore, channel: str, dedup_key: str, ticket: str, state: str, scan_id: str
) -> None:
    """Insert or update the mapping, in its own transaction (committed at once)."""
    with store.transaction() as tx:
        tx.execute("DELETE FROM tickets WHERE channel = ? AND dedup_key = ?", (channel, dedup_key))
        tx.execute(
            "INSERT INTO tickets (channel, dedup_key, ticket, state, scan_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (channel, dedup_key, ticket, state, scan_id, now_iso()),
        )
