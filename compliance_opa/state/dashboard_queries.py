"""What the compliance dashboard reads from scan history: rows of the scans table (never
their reports, which are read one at a time by id)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from compliance_opa.state.store import Transaction

_COLUMNS = (
    "seq, scan_id, scope, kind, started_at, finished_at, complete, frameworks, coverage, summary"
)


@dataclass(frozen=True)
class ScanRow:
    seq: int
    scan_id: str
    scope: str
    kind: str
    started_at: str
    finished_at: str
    complete: bool
    frameworks: tuple[str, ...]
    gaps: int  # coverage gaps: sources not collected completely
    failed: int
    indeterminate: int


def _row(r: tuple[Any, ...]) -> ScanRow:
    seq, scan_id, scope, kind, started, finished, complete, frameworks, coverage, summary = r
    counts = json.loads(summary)
    return ScanRow(
        seq=int(seq),
        scan_id=str(scan_id),
        scope=str(scope),
        kind=str(kind),
        started_at=str(started),
        finished_at=str(finished),
        complete=bool(complete),
        frameworks=tuple(json.loads(frameworks)),
        gaps=len(json.loads(coverage)),
        failed=int(counts.get("failed", 0)),
        indeterminate=int(counts.get("indeterminate", 0)),
    )


def scan_page(tx: Transaction, scope: str | None, limit: int, offset: int) -> list[ScanRow]:
    """Scans, newest first, of one scope or all; incomplete ones too (they are shown)."""
    where, params = ("WHERE scope = ?", [scope]) if scope else ("", [])
    rows = tx.rows(
        f"SELECT {_COLUMNS} FROM scans {where} ORDER BY seq DESC LIMIT ? OFFSET ?",  # noqa: S608 - placeholders only
        (*params, limit, offset),
    )
    return [_row(r) for r in rows]


def count_scans(tx: Transaction, scope: str | None) -> int:
    where, params = ("WHERE scope = ?", (scope,)) if scope else ("", ())
    return int(tx.rows(f"SELECT COUNT(*) FROM scans {where}", params)[0][0])  # noqa: S608


def scan_row(tx: Transaction, scan_id: str) -> ScanRow | None:
    rows = tx.rows(f"SELECT {_COLUMNS} FROM scans WHERE scan_id = ?", (scan_id,))  # noqa: S608
    return _row(rows[0]) if rows else None


def stored_report_text(tx: Transaction, scan_id: str) -> str | None:
    rows = tx.rows("SELECT report FROM scans WHERE scan_id = ?", (scan_id,))
    return str(rows[0][0]) if rows else None


def latest_complete(tx: Transaction) -> list[ScanRow]:
    """The last complete scan of every scope (in the store's order), by scope."""
    rows = tx.rows(
        f"SELECT {_COLUMNS} FROM scans WHERE complete = 1 AND seq IN"  # noqa: S608
        " (SELECT MAX(seq) FROM scans WHERE complete = 1 GROUP BY scope) ORDER BY scope"
    )
    return [_row(r) for r in rows]


def complete_before(tx: Transaction, before: str) -> list[ScanRow]:
    """Every complete scan finished before ``before`` (ISO 8601 UTC), oldest first."""
    rows = tx.rows(
        f"SELECT {_COLUMNS} FROM scans WHERE complete = 1 AND finished_at < ?"  # noqa: S608
        " ORDER BY finished_at, seq",
        (before,),
    )
    return [_row(r) for r in rows]


def scopes(tx: Transaction) -> list[str]:
    return [str(s) for (s,) in tx.rows("SELECT DISTINCT scope FROM scans ORDER BY scope")]
