"""The service's pool of state store connections: reused, one borrower at a time, a
failed connection closed and never lent again, everything closed with the service."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_opa.errors import EngineError, InputError
from compliance_opa.service.context import StorePool
from compliance_opa.state.store import StateStore, open_store


def test_connections_are_reused_and_a_failed_one_is_dropped(tmp_path: Path) -> None:
    opened: list[StateStore] = []

    def opener() -> StateStore:
        opened.append(open_store(str(tmp_path / "state.db")))
        return opened[-1]

    pool = StorePool(opener)
    with pool.borrowed() as first, pool.borrowed() as second:
        assert second is not first  # a second borrower gets its own connection
    with pool.borrowed() as again:
        assert again in (first, second)  # reused, not opened again
    assert len(opened) == 2
    with pytest.raises(EngineError), pool.borrowed() as failing:
        raise EngineError("the server went away")
    with pool.borrowed() as after, pool.borrowed() as other:
        assert failing not in (after, other)  # the failed one is not lent again
    with pytest.raises(InputError), pool.borrowed() as kept:
        raise InputError("a bad request")  # the connection is fine: kept
    with pool.borrowed() as reused:
        assert reused is kept
    pool.close()
    for store in opened:
        with pytest.raises(Exception, match="closed"):
            store._connection.execute("SELECT 1")


def test_a_reader_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    """Pages and metrics read without the write lock a scan being recorded holds."""
    path = str(tmp_path / "state.db")
    writer, reader = open_store(path, lock_timeout=0.5), open_store(path, lock_timeout=0.5)
    try:
        with writer.transaction() as tx:
            tx.execute(
                "INSERT INTO decisions (decision_id, decided_at, caller, endpoint,"
                " address_digest, resource_type, resource_digest, verdict, policy_digest,"
                " opa_version) VALUES ('d', 't', 'c', 'validate', 'a', 'r', 'x', 'v', 'p', 'o')"
            )
            with reader.reading() as read:  # the writer holds its lock: no wait
                assert read.rows("SELECT COUNT(*) FROM decisions") == [(0,)]
            with pytest.raises(EngineError, match="locked"), reader.transaction():
                pass  # a second writer does wait, and gives up
        with reader.reading() as read:
            assert read.rows("SELECT COUNT(*) FROM decisions") == [(1,)]
    finally:
        writer.close()
        reader.close()
