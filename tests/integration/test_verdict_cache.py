"""The verdict cache's bounds, on SQLite and PostgreSQL: one context per scope, verdicts
not used for KEEP_GENERATIONS scans pruned (hits kept alive), a row cap, scopes apart."""

from __future__ import annotations

import pytest

from compliance_opa.state import verdicts as verdict_module
from compliance_opa.state.store import StateStore
from compliance_opa.state.verdicts import KEEP_GENERATIONS, VerdictCache
from tests.store_fixtures import both_stores

postgres, store = both_stores("verdicts")


def _hash(n: int) -> str:
    return f"{n:064x}"


def _scan(cache: VerdictCache, context: str, present: list[int], opa: str = "1.0") -> set[int]:
    """One scan seeing ``present``: what it found cached, then saving the rest (as
    app/incremental.py does: verdicts of another OPA version are all evaluated again)."""
    cached = cache.lookup(context)
    hits = [n for n in present if _hash(n) in cached.verdicts and cached.opa_version == opa]
    fresh = {_hash(n): f"[{n}]" for n in present if n not in hits}
    cache.save(context, opa, fresh, [_hash(n) for n in hits], len(present))
    return set(hits)


def _rows(store: StateStore, scope: str = "s") -> set[int]:
    with store.reading() as tx:
        found = tx.rows("SELECT resource_hash FROM verdicts WHERE scope = ?", (scope,))
    return {int(h, 16) for (h,) in found}


def test_unused_verdicts_age_out_and_used_ones_stay(store: StateStore) -> None:
    cache = VerdictCache(store, "s")
    assert _scan(cache, "c", [1, 2, 3]) == set()
    assert _scan(cache, "c", [1, 2, 4]) == {1, 2}  # 3 is gone from the estate
    for _ in range(KEEP_GENERATIONS - 2):
        _scan(cache, "c", [1, 2, 4])
    assert 3 in _rows(store)  # not yet KEEP_GENERATIONS scans unused
    for _ in range(3 * KEEP_GENERATIONS):  # long after: the ones seen are still cached
        assert _scan(cache, "c", [1, 2, 4]) == {1, 2, 4}
    assert _rows(store) == {1, 2, 4}


def test_another_context_or_opa_drops_the_scopes_verdicts_only(store: StateStore) -> None:
    _scan(VerdictCache(store, "s"), "c", [1, 2])
    _scan(VerdictCache(store, "t"), "c", [5])
    assert _scan(VerdictCache(store, "s"), "other", [1, 2]) == set()  # new policies
    assert _rows(store) == {1, 2}
    assert VerdictCache(store, "s").lookup("c").verdicts == {}  # the old context is gone
    assert _scan(VerdictCache(store, "s"), "other", [1, 2], opa="2.0") == set()  # new OPA
    assert _scan(VerdictCache(store, "s"), "other", [1, 2], opa="2.0") == {1, 2}
    assert _rows(store, "t") == {5}


def test_the_row_cap_keeps_the_most_recently_used(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verdict_module, "MIN_ROW_CAP", 6)  # 3 resources per scan: cap 9
    cache = VerdictCache(store, "s")
    for start in range(0, 30, 3):
        _scan(cache, "c", [start, start + 1, start + 2])
    assert _rows(store) == set(range(21, 30))


def test_a_dry_run_reads_but_never_writes(store: StateStore) -> None:
    _scan(VerdictCache(store, "s"), "c", [1])
    assert _scan(VerdictCache(store, "s", writable=False), "c", [1, 2]) == {1}
    assert _rows(store) == {1}
