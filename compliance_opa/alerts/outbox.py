"""The transactional outbox: alerts are written with the scan, then delivered.

A drift scan records itself, its alert episodes and the alerts to send in one
transaction, so a run killed after that delivers on the next run, and a run killed
before it has sent nothing. Delivery claims due rows under a lease (so two runs never
send the same row at once; a row claimed by a run that died is due again when its lease
ends), sends them, and marks each sent, to retry (exponential backoff with jitter, or
the receiver's Retry-After when longer), or dead (a permanent refusal, or out of
attempts). Dead rows stay listed until `opa-comply alerts retry` puts them back.

A row is marked sent only after the receiver accepted it, so a run killed in between
sends it again: delivery is at least once. PagerDuty's dedup key and the webhook's
Idempotency-Key let those receivers drop such a repeat.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.planning import AlertPlan, Episode
from compliance_opa.state.store import StateStore, Transaction, now_iso

DELIVERY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 100},
        "backoff_seconds": {"type": "number", "minimum": 0.01, "maximum": 3600},
        "max_backoff_seconds": {"type": "number", "minimum": 0.01, "maximum": 86400},
        "max_wait_seconds": {"type": "number", "minimum": 0, "maximum": 3600},
        "lease_seconds": {"type": "number", "minimum": 1, "maximum": 86400},
        "batch_size": {"type": "integer", "minimum": 1, "maximum": 500},
    },
}


@dataclass(frozen=True)
class DeliverySettings:
    max_attempts: int = 10
    backoff_seconds: float = 2.0  # first retry after 1-2 s, then doubling
    max_backoff_seconds: float = 900.0
    max_wait_seconds: float = 60.0  # how long one run keeps retrying before leaving it
    lease_seconds: float = 120.0  # a claimed row is due again after this (its run died)
    batch_size: int = 50  # events per Slack message or e-mail

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> DeliverySettings:
        return cls(**raw)


class Sender(Protocol):
    """What the outbox needs of a channel."""

    @property
    def batches(self) -> bool: ...

    def send(self, events: Sequence[AlertEvent], recipient: str | None) -> None: ...


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    channel: str
    recipient: str
    kind: str
    dedup_key: str
    scan_id: str
    event: AlertEvent
    status: str  # pending | sending | sent | dead
    attempts: int
    next_attempt_at: float
    last_error: str
    created_at: str
    sent_at: str | None


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)  # one line per failed send


def enqueue(tx: Transaction, scope: str, scan_id: str, plan: AlertPlan, now: float) -> None:
    """Write the plan with the scan, in the scan's transaction."""
    created = now_iso()
    for d in plan.deliveries:
        tx.execute(
            "INSERT INTO outbox (channel, recipient, kind, dedup_key, scan_id, event, status,"
            " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (d.channel, d.recipient, d.event.kind, d.event.dedup_key, scan_id,
             json.dumps(d.event.as_json(), ensure_ascii=False), now, created),
        )  # fmt: skip
    for e in plan.opened:
        tx.execute(
            "INSERT INTO alert_episodes (scope, channel, dedup_key, opened_scan, event, recipients)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (scope, e.channel, e.dedup_key, scan_id, json.dumps(e.event.as_json()),
             json.dumps(list(e.recipients))),
        )  # fmt: skip
    for e in plan.closed:
        tx.execute(
            "DELETE FROM alert_episodes WHERE scope = ? AND channel = ? AND dedup_key = ?",
            (scope, e.channel, e.dedup_key),
        )


def open_episodes(tx: Transaction, scope: str) -> dict[tuple[str, str], Episode]:
    rows = tx.rows(
        "SELECT channel, event, recipients FROM alert_episodes WHERE scope = ?", (scope,)
    )
    episodes = [
        Episode(str(channel), AlertEvent.from_json(json.loads(event)), tuple(json.loads(to)))
        for channel, event, to in rows
    ]
    return {(e.channel, e.dedup_key): e for e in episodes}


def deliver(
    store: StateStore,
    channels: Mapping[str, Sender],
    settings: DeliverySettings,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryResult:
    """Send what is due; keep retrying for at most `max_wait_seconds`, then leave the rest
    (still pending, with its next attempt time) to the next run or `alerts retry`."""
    result = DeliveryResult()
    deadline = clock() + settings.max_wait_seconds
    while True:
        claimed = _claim(store, clock(), settings.lease_seconds)
        for group in _groups(claimed, channels, settings.batch_size):
            _send(store, group, channels.get(group[0].channel), settings, clock, result)
        upcoming = _next_due(store)
        if upcoming is None or upcoming > deadline:
            break
        sleep(max(0.0, upcoming - clock()))
    result.retrying = _count(store, ("pending", "sending"))
    return result


def list_rows(store: StateStore, statuses: Sequence[str] = ()) -> list[OutboxRow]:
    where = f"WHERE status IN ({', '.join('?' for _ in statuses)})" if statuses else ""
    with store.transaction() as tx:
        rows = tx.rows(f"SELECT {_COLUMNS} FROM outbox {where} ORDER BY seq", tuple(statuses))  # noqa: S608
    return [_row(r) for r in rows]


def requeue_dead(store: StateStore, seqs: Sequence[int] = ()) -> int:
    """Put dead rows (all, or the given ones) back to pending with fresh attempts."""
    with store.transaction() as tx:
        dead = [int(s) for (s,) in tx.rows("SELECT seq FROM outbox WHERE status = 'dead'")]
        chosen = [s for s in dead if not seqs or s in set(seqs)]
        for seq in chosen:
            tx.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?"
                " WHERE seq = ?",
                (time.time(), seq),
            )
    return len(chosen)


def make_due(store: StateStore) -> None:
    """Everything pending is due now (an operator asked for a retry)."""
    with store.transaction() as tx:
        tx.execute("UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'", (time.time(),))


_COLUMNS = (
    "seq, channel, recipient, kind, dedup_key, scan_id, event, status, attempts,"
    " next_attempt_at, last_error, created_at, sent_at"
)


def _row(r: tuple[Any, ...]) -> OutboxRow:
    return OutboxRow(
        seq=int(r[0]),
        channel=str(r[1]),
        recipient=str(r[2]),
        kind=str(r[3]),
        dedup_key=str(r[4]),
        scan_id=str(r[5]),
        event=AlertEvent.from_json(json.loads(r[6])),
        status=str(r[7]),
        attempts=int(r[8]),
        next_attempt_at=float(r[9]),
        last_error=str(r[10]),
        created_at=str(r[11]),
        sent_at=str(r[12]) if r[12] is not None else None,
    )


def _claim(store: StateStore, now: float, lease: float) -> list[OutboxRow]:
    with store.transaction() as tx:
        rows = [
            _row(r)
            for r in tx.rows(
                f"SELECT {_COLUMNS} FROM outbox WHERE status IN ('pending', 'sending')"  # noqa: S608
                " AND next_attempt_at <= ? ORDER BY seq",
                (now,),
            )
        ]
        for row in rows:
            tx.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1,"
                " next_attempt_at = ? WHERE seq = ?",
                (now + lease, row.seq),
            )
    return [_with_attempt(r) for r in rows]


def _with_attempt(row: OutboxRow) -> OutboxRow:
    return OutboxRow(**{**vars(row), "attempts": row.attempts + 1, "status": "sending"})


def _groups(
    rows: list[OutboxRow], channels: Mapping[str, Sender], batch_size: int
) -> list[list[OutboxRow]]:
    """One send per row, except channels that batch: one per channel, recipient and kind."""
    groups: list[list[OutboxRow]] = []
    batched: dict[tuple[str, str], list[OutboxRow]] = {}
    for row in rows:
        sender = channels.get(row.channel)
        if sender is not None and sender.batches:
            batched.setdefault((row.channel, row.recipient), []).append(row)
        else:
            groups.append([row])
    for rows_of in batched.values():
        groups += [rows_of[i : i + batch_size] for i in range(0, len(rows_of), batch_size)]
    return groups


def _send(
    store: StateStore,
    group: list[OutboxRow],
    sender: Sender | None,
    settings: DeliverySettings,
    clock: Callable[[], float],
    result: DeliveryResult,
) -> None:
    channel = group[0].channel
    try:
        if sender is None:
            raise DeliveryFailed(f"channel {channel!r} is no longer configured", permanent=True)
        sender.send([r.event for r in group], group[0].recipient or None)
    except DeliveryFailed as exc:
        failure: DeliveryFailed | None = exc
    except Exception as exc:  # a bug or an unexpected library error: retry, and say it
        failure = DeliveryFailed(f"{type(exc).__name__}: {exc}")
    else:
        failure = None
    with store.transaction() as tx:
        for row in group:
            if failure is None:
                tx.execute(
                    "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE seq = ?",
                    (now_iso(), row.seq),
                )
                continue
            dead = failure.permanent or row.attempts >= settings.max_attempts
            delay = max(_backoff(row.attempts, settings), failure.retry_after or 0.0)
            tx.execute(
                "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ? WHERE seq = ?",
                ("dead" if dead else "pending", clock() + delay, failure.detail[:500], row.seq),
            )
    if failure is None:
        result.sent += len(group)
        return
    dead = failure.permanent or group[0].attempts >= settings.max_attempts
    result.dead += len(group) if dead else 0
    what = "gave up" if dead else "will retry"
    result.errors.append(f"alert to {channel}: {failure.detail} ({what})")


def _backoff(attempts: int, settings: DeliverySettings) -> float:
    # Exponential, capped, with "equal jitter": between half and all of the step, so
    # many runs retrying together spread out but never retry at once.
    step = min(settings.max_backoff_seconds, settings.backoff_seconds * 2 ** (attempts - 1))
    return random.uniform(step / 2, step)  # noqa: S311 - jitter, not security


def _next_due(store: StateStore) -> float | None:
    with store.transaction() as tx:
        rows = tx.rows(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('pending', 'sending')"
        )
    return float(rows[0][0]) if rows and rows[0][0] is not None else None


def _count(store: StateStore, statuses: tuple[str, ...]) -> int:
    with store.transaction() as tx:
        rows = tx.rows(
            f"SELECT COUNT(*) FROM outbox WHERE status IN ({', '.join('?' for _ in statuses)})",  # noqa: S608
            statuses,
        )
    return int(rows[0][0])
