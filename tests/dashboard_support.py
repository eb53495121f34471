"""A state store for the dashboard's tests, filled by real `opa-comply drift` runs.

Four runs over three scopes; the first three are then dated back (their `finished_at`
and `started_at` rewritten in the test's own SQLite file, the only way to get scans of
earlier days from real runs) so the trends have several days:

    day -3  prod      (the AWS example, with markup, a secret and a denied source)
    day -2  orders    (the PostgreSQL example)
    day -1  hardened  (the compliant example)
    day  0  prod      again

`orders` and `hardened` are not scanned after their day: the trends must keep them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.conftest import COMPLIANT, VIOLATING, load_example, run_cli, write_json

EVIL = "<img src=x onerror=\"document.title='pwned'\">"
EVIL_DETAIL = "<b>AccessDenied</b><script>document.title='pwned'</script>"
SECRET = "hunter2-Zx81-not-for-eyes"
ORDERS_DB = "arn:aws:rds:eu-west-1:123456789012:db:orders"
SCOPES = ("hardened", "orders", "prod")


def today() -> date:
    return datetime.now(UTC).date()


def populate(folder: Path) -> Path:
    """The store's path, after the four runs and the dating back."""
    prod = load_example(VIOLATING[0])
    orders = prod["resources"][0]
    assert orders["address"] == ORDERS_DB
    orders["name"] = EVIL  # markup from the estate: it reaches messages and facts
    orders["tags"]["Owner"] = EVIL
    orders["attributes"]["master_password"] = SECRET
    orders["attributes"]["connection"] = f"postgres://app:{SECRET}@orders.internal/app"
    orders["sensitive"] = ["master_password"]
    prod["sources"].append(
        {"kind": "aws", "scope": "123456789012/eu-west-1/kms", "status": "denied",
         "detail": EVIL_DETAIL}
    )  # fmt: skip
    inventory = write_json(folder / "prod.json", prod)
    store = folder / "state.db"
    runs = [("prod", inventory), ("orders", VIOLATING[1]), ("hardened", COMPLIANT),
            ("prod", inventory)]  # fmt: skip
    for scope, path in runs:
        result = run_cli(
            "drift", path, "--state", store, "--scope", scope, "--fail-on", "none",
            "--format", "json", "--output", folder / f"{scope}.report.json",
        )  # fmt: skip
        assert result.code == 0, result.stderr
    with sqlite3.connect(store) as db:
        ids = [i for (i,) in db.execute("SELECT scan_id FROM scans ORDER BY seq")]
        assert len(ids) == len(runs)
        for back, scan_id in zip((3, 2, 1), ids, strict=False):
            at = f"{(today() - timedelta(days=back)).isoformat()}T09:00:00Z"
            db.execute(
                "UPDATE scans SET started_at = ?, finished_at = ? WHERE scan_id = ?",
                (at, at, scan_id),
            )
    db.close()
    return store


def stored_reports(store: Path) -> dict[str, str]:
    """Scan id -> stored report text."""
    with sqlite3.connect(store) as db:
        found = dict(db.execute("SELECT scan_id, report FROM scans"))
    db.close()
    return found


def latest_ids(store: Path) -> dict[str, str]:
    """Scope -> its latest complete scan's id."""
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT scope, scan_id FROM scans WHERE complete = 1 ORDER BY seq")
        found = {scope: scan_id for scope, scan_id in rows}
    db.close()
    return found


def strip_attributes(store: Path, scan_id: str) -> None:
    """The report as a version before stored attributes wrote it."""
    with sqlite3.connect(store) as db:
        (text,) = db.execute("SELECT report FROM scans WHERE scan_id = ?", (scan_id,)).fetchone()
        document = json.loads(text)
        document.pop("attributes")
        db.execute("UPDATE scans SET report = ? WHERE scan_id = ?", (json.dumps(document), scan_id))
    db.close()
