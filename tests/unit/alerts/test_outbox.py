"""The outbox on a real SQLite store: per-finding order, claims that a late answer cannot
overwrite, scope and channel isolation, giving up only after attempts *and* time."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.outbox import (
    DeliverySettings,
    deliver,
    enqueue,
    list_rows,
    requeue_dead,
)
from compliance_opa.alerts.planning import AlertPlan, Delivery
from compliance_opa.errors import InputError
from compliance_opa.state.store import StateStore, open_store

FAST = DeliverySettings(backoff_seconds=0.05, max_backoff_seconds=0.1, max_wait_seconds=2)


def event(key: str, kind: str = "trigger", scan: str = "scan-1") -> AlertEvent:
    return AlertEvent(
        kind="trigger" if kind == "trigger" else "resolve",
        dedup_key=key, check_id="AWS-RDS-001", title="t", severity="high", risk=60,
        resource=f"arn:{key}", resource_type="aws_db_instance", message="m", remediation="r",
        controls={}, scope="prod", scan_id=scan, occurred_at="2026-11-23T10:00:00Z",
    )  # fmt: skip


@dataclass
class Recorder:
    """A channel that records what it was asked to send and fails as told."""

    failures: list[DeliveryFailed | None] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (kind, dedup key)
    batches: bool = False

    def send(self, events: Sequence[AlertEvent], recipient: str | None) -> None:
        failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            raise failure
        self.sent += [(e.kind, e.dedup_key) for e in events]


def queue(store: StateStore, scope: str, scan: str, *items: tuple[str, AlertEvent]) -> None:
    plan = AlertPlan(tuple(Delivery(channel, "", e) for channel, e in items), (), ())
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO scans (scan_id, scope, kind, started_at, finished_at, tool_version,"
            " opa_version, policy_digest, frameworks, inputs, coverage, summary,"
            " findings_digest, report) VALUES (?, ?, 'drift', '', '', '', '', '', '[]', '[]',"
            " '[]', '{}', '', '{}')",
            (scan, scope),
        )
        enqueue(tx, scope, scan, plan)


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return open_store(str(tmp_path / "state.db"))


def test_a_resolve_never_overtakes_its_trigger(store: StateStore) -> None:
    hook = Recorder(failures=[DeliveryFailed("503 from receiver")])
    queue(store, "prod", "scan-1", ("hook", event("k1")))
    # The trigger fails once; before its retry, the next scan queues the resolve.
    queue(store, "prod", "scan-2", ("hook", event("k1", "resolve", "scan-2")))
    deliver(store, {"hook": hook}, FAST, "prod")
    assert hook.sent == [("trigger", "k1"), ("resolve", "k1")]


def test_a_late_answer_cannot_overwrite_a_row_another_run_sent(store: StateStore) -> None:
    queue(store, "prod", "scan-1", ("hook", event("k1")))
    settings = replace(FAST, lease_seconds=1, max_wait_seconds=0)
    other = Recorder()

    @dataclass
    class Slow:
        batches: bool = False

        def send(self, events: Sequence[AlertEvent], recipient: str | None) -> None:
            time.sleep(1.2)  # our lease runs out; another run takes the row and sends it
            deliver(store, {"hook": other}, settings, "prod")
            raise DeliveryFailed("timed out")

    deliver(store, {"hook": Slow()}, settings, "prod")
    assert other.sent == [("trigger", "k1")]
    rows = list_rows(store)
    assert [(r.status, r.attempts) for r in rows] == [("sent", 2)]


def test_a_run_sends_only_its_scope_through_its_channels(store: StateStore) -> None:
    queue(store, "prod", "scan-1", ("hook", event("k1")), ("pager", event("k2")))
    queue(store, "staging", "scan-2", ("hook", event("k3")))
    hook = Recorder()
    result = deliver(store, {"hook": hook}, FAST, "prod")
    assert hook.sent == [("trigger", "k1")]
    statuses = {r.dedup_key: r.status for r in list_rows(store)}
    # Not configured here, not this scope: left for their own runs, not dead.
    assert statuses == {"k1": "sent", "k2": "pending", "k3": "pending"}
    assert result.dead == 0


def test_attempts_alone_do_not_kill_an_alert_during_an_outage(store: StateStore) -> None:
    queue(store, "prod", "scan-1", ("hook", event("k1")))
    down = Recorder(failures=[DeliveryFailed("503")] * 10)
    patient = replace(FAST, max_attempts=2, give_up_seconds=3600, max_wait_seconds=0.5)
    deliver(store, {"hook": down}, patient, "prod")
    [row] = list_rows(store)
    assert row.attempts > 2
    assert row.status == "pending"
    impatient = replace(patient, give_up_seconds=0)
    result = deliver(store, {"hook": down}, replace(impatient, max_wait_seconds=1), "prod")
    assert [r.status for r in list_rows(store)] == ["dead"]
    assert result.dead == 1


def test_a_permanent_refusal_is_dead_at_once_and_retry_checks_ids(store: StateStore) -> None:
    queue(store, "prod", "scan-1", ("hook", event("k1")), ("hook", event("k2")))
    refusing = Recorder(failures=[DeliveryFailed("HTTP 400", permanent=True)])
    deliver(store, {"hook": refusing}, FAST, "prod")
    rows = {r.dedup_key: r for r in list_rows(store)}
    assert (rows["k1"].status, rows["k2"].status) == ("dead", "sent")
    with pytest.raises(InputError, match=f"--id {rows['k2'].seq}: not a dead alert"):
        requeue_dead(store, [rows["k1"].seq, rows["k2"].seq])
    assert list_rows(store)[0].status == "dead"  # nothing changed by the refused request
    assert requeue_dead(store, [rows["k1"].seq]) == 1
    assert list_rows(store)[0].status == "pending"


def test_retry_after_is_honoured_when_longer_than_the_backoff(store: StateStore) -> None:
    queue(store, "prod", "scan-1", ("hook", event("k1")))
    busy = Recorder(failures=[DeliveryFailed("HTTP 429", retry_after=30)])
    before = time.time()
    deliver(store, {"hook": busy}, FAST, "prod")
    [row] = list_rows(store)
    assert row.status == "pending"
    assert row.next_attempt_at >= before + 30
    assert busy.sent == []


def test_batching_channels_get_one_send_per_recipient(store: StateStore) -> None:
    queue(store, "prod", "scan-1", *[("chat", event(f"k{i}")) for i in range(5)])
    chat = Recorder(batches=True)
    calls: list[int] = []
    original = chat.send

    def counting(events: Sequence[AlertEvent], recipient: str | None) -> None:
        calls.append(len(events))
        original(events, recipient)

    chat.send = counting  # type: ignore[method-assign]
    deliver(store, {"chat": chat}, replace(FAST, batch_size=3), "prod")
    assert calls == [3, 2]
    assert len(chat.sent) == 5


@dataclass
class Broken:
    """A channel whose library raises something other than DeliveryFailed, quoting text."""

    batches: bool = False

    def send(self, events: Sequence[AlertEvent], recipient: str | None) -> None:
        raise ValueError("answer: \x1b[2J\u202eevil\r\nsecond line " + "x" * 5000)


def test_an_unexpected_error_is_kept_as_one_escaped_bounded_line(store: StateStore) -> None:
    queue(store, "prod", "scan-1", ("hook", event("k1")))
    deliver(store, {"hook": Broken()}, replace(FAST, max_wait_seconds=0.2), "prod")
    [row] = list_rows(store)
    assert row.status == "pending"
    assert row.last_error.startswith("ValueError: answer: \\x1b[2J\\u202eevil\\r\\nsecond line")
    assert row.last_error.isprintable()
    assert len(row.last_error) < 600
