"""The transactional outbox: alerts are written with the scan, then delivered.

A drift scan records itself, its alert episodes and the alerts to send in one
transaction, so a run killed after that delivers on the next run, and a run killed
before it has sent nothing. Delivery claims one send's worth of due rows at a time under
a lease and a claim token (two runs never send the same row at once; a row claimed by a
run that died is due again when its lease ends, and a late answer to a run whose lease
ran out cannot overwrite the row), sends them, and marks them sent, to retry
(exponential backoff with jitter, or the receiver's Retry-After when longer), or dead (a
permanent refusal, or out of attempts *and* failing for longer than `give_up_seconds`,
so an outage of a few hours does not bury alerts). Dead rows stay listed until
`opa-comply alerts retry` puts them back. Rows of one finding on one channel go out in
the order they were queued: a resolve never overtakes its trigger. A run only sends rows
of its own scope through channels its config defines; others wait for their own run.

A row is marked sent only after the receiver accepted it, so a run killed in between
sends it again: delivery is at least once. PagerDuty's dedup key and the webhook's
Idempotency-Key let those receivers drop such a repeat.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.planning import AlertPlan, Episode
from compliance_opa.errors import InputError
from compliance_opa.state.store import StateStore, Transaction, now_iso
from compliance_opa.support.printable import printable

MAX_ERROR_CHARS = 500  # of an unexpected error's text kept as a row's last_error

DELIVERY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 100},
        "backoff_seconds": {"type": "number", "minimum": 0.01, "maximum": 3600},
        "max_backoff_seconds": {"type": "number", "minimum": 0.01, "maximum": 86400},
        "max_wait_seconds": {"type": "number", "minimum": 0, "maximum": 3600},
        "lease_seconds": {"type": "number", "minimum": 1, "maximum": 86400},
        "give_up_seconds": {"type": "number", "minimum": 0, "maximum": 2592000},
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
    give_up_seconds: float = 86400.0  # never dead for attempts alone before this age
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
    created_epoch: float  # when it was queued (or requeued), store clock


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)  # one line per failed send


def enqueue(tx: Transaction, scope: str, scan_id: str, plan: AlertPlan) -> None:
    """Write the plan with the scan, in the scan's transaction."""
    created, now = now_iso(), tx.now()
    for d in plan.deliveries:
        tx.execute(
            "INSERT INTO outbox (scope, channel, recipient, kind, dedup_key, scan_id, event,"
            " status, attempts, next_attempt_at, created_at, created_epoch)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT DO NOTHING",
            (scope, d.channel, d.recipient, d.event.kind, d.event.dedup_key, scan_id,
             json.dumps(d.event.as_json(), ensure_ascii=False), now, created, now),
        )  # fmt: skip
    for e in plan.opened:
        tx.execute(
            "INSERT INTO alert_episodes (scope, channel, dedup_key, opened_scan, event, recipients)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (scope, e.channel, e.dedup_key, scan_id, json.dumps(e.event.as_json()),
             json.dumps(list(e.recipients))),
        )  # fmt: skip
    for e in plan.changed:  # the next change is judged against this one
        tx.execute(
            "UPDATE alert_episodes SET event = ? WHERE scope = ? AND channel = ? AND dedup_key = ?",
            (json.dumps(e.event.as_json()), scope, e.channel, e.dedup_key),
        )
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
    scope: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryResult:
    """Send what is due for `scope` (None: every scope) through `channels`; keep retrying
    for at most `max_wait_seconds`, then leave the rest (pending, with its next attempt
    time) to the next run or `alerts retry`."""
    result = DeliveryResult()
    token = uuid.uuid4().hex
    started = time.monotonic()
    while True:
        group = _claim(store, channels, settings, scope, token)
        if group:
            _send(store, group, channels[group[0].channel], settings, token, result)
            continue
        wait = _seconds_to_next(store, channels, scope)
        if wait is None or time.monotonic() - started + wait > settings.max_wait_seconds:
            break
        sleep(max(0.0, wait))
    result.retrying = _count(store, channels, scope)
    return result


def list_rows(
    store: StateStore, statuses: Sequence[str] = (), newest: int | None = None
) -> list[OutboxRow]:
    """Rows oldest first; with ``newest``, only that many of the newest, newest first."""
    where = f"WHERE status IN ({_marks(statuses)})" if statuses else ""
    order = "ORDER BY seq" if newest is None else f"ORDER BY seq DESC LIMIT {int(newest)}"
    with store.reading() as tx:
        rows = tx.rows(f"SELECT {_COLUMNS} FROM outbox {where} {order}", tuple(statuses))  # noqa: S608 - placeholders and an int only
    return [_row(r) for r in rows]


def requeue_dead(store: StateStore, seqs: Sequence[int] = ()) -> int:
    """Put dead rows (all, or the given ones) back to pending with fresh attempts and a
    fresh age. A given id that is not a dead alert changes nothing and is an error."""
    with store.transaction() as tx:
        dead = {int(s) for (s,) in tx.rows("SELECT seq FROM outbox WHERE status = 'dead'")}
        missing = sorted(set(seqs) - dead)
        if missing:
            raise InputError(
                f"--id {missing[0]}: not a dead alert (see opa-comply alerts list --status dead)"
            )
        chosen = sorted(set(seqs) or dead)
        now = tx.now()
        for seq in chosen:
            tx.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?,"
                " created_epoch = ? WHERE seq = ?",
                (now, now, seq),
            )
    return len(chosen)


def make_due(store: StateStore) -> None:
    """Everything pending is due now: an operator asked for a retry (this overrides the
    backoff and a receiver's Retry-After, as an explicit request should)."""
    with store.transaction() as tx:
        tx.execute("UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'", (tx.now(),))


_COLUMNS = (
    "seq, channel, recipient, kind, dedup_key, scan_id, event, status, attempts,"
    " next_attempt_at, last_error, created_at, sent_at, created_epoch"
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
        created_epoch=float(r[13]),
    )


def _marks(items: Sequence[object]) -> str:
    return ", ".join("?" for _ in items)


def _due_filter(channels: Mapping[str, Sender], scope: str | None) -> tuple[str, tuple[Any, ...]]:
    """Rows this run may send: its channels, its scope, and no earlier unsent row of the
    same finding on the same channel and recipient (order per finding is kept)."""
    names = tuple(sorted(channels))
    sql = (
        f"o.channel IN ({_marks(names)}) AND o.status IN ('pending', 'sending')"  # noqa: S608
        " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.channel = o.channel"
        " AND e.recipient = o.recipient AND e.dedup_key = o.dedup_key AND e.seq < o.seq"
        " AND e.status IN ('pending', 'sending'))"
    )
    if scope is not None:
        return sql + " AND o.scope = ?", (*names, scope)
    return sql, names


def _claim(
    store: StateStore,
    channels: Mapping[str, Sender],
    settings: DeliverySettings,
    scope: str | None,
    token: str,
) -> list[OutboxRow]:
    """One send's worth of due rows: a single row, or a batch for one channel and
    recipient. Claimed rows are `sending` until the lease ends."""
    if not channels:
        return []
    where, params = _due_filter(channels, scope)
    with store.transaction() as tx:
        now = tx.now()
        due = [
            _row(r)
            for r in tx.rows(
                f"SELECT {', '.join('o.' + c.strip() for c in _COLUMNS.split(','))}"  # noqa: S608 - placeholders only
                f" FROM outbox o WHERE {where} AND o.next_attempt_at <= ? ORDER BY o.seq LIMIT ?",
                (*params, now, settings.batch_size * 4),
            )
        ]
        if not due:
            return []
        first = due[0]
        group = [first]
        if channels[first.channel].batches:
            same = [r for r in due if (r.channel, r.recipient) == (first.channel, first.recipient)]
            group = same[: settings.batch_size]
        for row in group:
            tx.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1,"
                " next_attempt_at = ?, claim = ? WHERE seq = ?",
                (now + settings.lease_seconds, token, row.seq),
            )
    return [
        OutboxRow(**{**vars(r), "attempts": r.attempts + 1, "status": "sending"}) for r in group
    ]


def _send(
    store: StateStore,
    group: list[OutboxRow],
    sender: Sender,
    settings: DeliverySettings,
    token: str,
    result: DeliveryResult,
) -> None:
    channel = group[0].channel
    try:
        sender.send([r.event for r in group], group[0].recipient or None)
    except DeliveryFailed as exc:
        failure: DeliveryFailed | None = exc
    except Exception as exc:  # a bug or an unexpected library error: retry, and say it
        # Its text may quote a receiver's answer: one escaped, bounded line.
        failure = DeliveryFailed(printable(f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]))
    else:
        failure = None
    gave_up = 0
    with store.transaction() as tx:
        now = tx.now()
        for row in group:
            # `claim = token`: if our lease ran out and another run took the row, its
            # outcome stands, not ours.
            if failure is None:
                tx.execute(
                    "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = ''"
                    " WHERE seq = ? AND claim = ?",
                    (now_iso(), row.seq, token),
                )
                continue
            out_of_time = now - row.created_epoch >= settings.give_up_seconds
            dead = failure.permanent or (row.attempts >= settings.max_attempts and out_of_time)
            gave_up += dead
            delay = max(_backoff(row.attempts, settings), failure.retry_after or 0.0)
            tx.execute(
                "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?"
                " WHERE seq = ? AND claim = ?",
                ("dead" if dead else "pending", now + delay, failure.detail[:500], row.seq, token),
            )
    if failure is None:
        result.sent += len(group)
        return
    result.dead += gave_up
    what = "gave up" if gave_up else "will retry"
    result.errors.append(f"alert to {channel}: {failure.detail} ({what})")


def _backoff(attempts: int, settings: DeliverySettings) -> float:
    # Exponential, capped, with "equal jitter": between half and all of the step, so
    # many runs retrying together spread out but never retry at once.
    step = min(settings.max_backoff_seconds, settings.backoff_seconds * 2 ** (attempts - 1))
    return random.uniform(step / 2, step)  # noqa: S311 - jitter, not security


def _seconds_to_next(
    store: StateStore, channels: Mapping[str, Sender], scope: str | None
) -> float | None:
    if not channels:
        return None
    where, params = _due_filter(channels, scope)
    with store.transaction() as tx:
        rows = tx.rows(f"SELECT MIN(o.next_attempt_at) FROM outbox o WHERE {where}", params)  # noqa: S608 - placeholders only
        now = tx.now()
    return float(rows[0][0]) - now if rows and rows[0][0] is not None else None


def _count(store: StateStore, channels: Mapping[str, Sender], scope: str | None) -> int:
    """Rows still to be sent by runs like this one (any order constraint aside)."""
    where = "status IN ('pending', 'sending')"
    params: tuple[Any, ...] = ()
    if scope is not None:
        where, params = where + " AND scope = ?", (scope,)
    with store.transaction() as tx:
        rows = tx.rows(f"SELECT COUNT(*) FROM outbox WHERE {where}", params)  # noqa: S608 - placeholders only
    return int(rows[0][0])
