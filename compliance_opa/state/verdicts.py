"""The verdict cache of incremental scans (migration 6): per scope, each resource's
verdicts keyed by the sha256 of its JSON text, valid under one context (policy digest,
policy data, parameters; see app/incremental.py).

Bounded and pruned, per scope:
- one context: a scan under another context (new policies or parameters) drops the
  scope's verdicts before saving its own;
- a generation per scope, bumped by every scan that saves: a verdict not used for
  `KEEP_GENERATIONS` scans is deleted (the old versions of changed resources, resources
  gone). A hit is written back only when its mark is a few generations old, spread by
  its hash, so a warm scan rewrites a fraction of its hits, not all of them;
- at most `row_cap(resources)` rows: beyond it, the least recently used go.

Every row is sealed (a digest of context, hash and verdict): a row whose seal does not
match is a miss, so a damaged cache can only cost an evaluation, never hide a finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from compliance_opa.state.store import StateStore, Transaction

KEEP_GENERATIONS = 8
# A hit's mark is refreshed once it is TOUCH_AFTER + (0..3, by its hash) generations old:
# always before KEEP_GENERATIONS, so a resource seen by every scan is never pruned.
TOUCH_AFTER = 2
MIN_ROW_CAP = 10_000
_BATCH = 200  # rows per statement (5 parameters each: well under SQLite's limit)


def row_cap(resources: int) -> int:
    """The most rows a scope keeps after a scan of ``resources`` resources."""
    return max(MIN_ROW_CAP, 3 * resources)


def seal(context: str, resource_hash: str, verdict: str) -> str:
    text = f"{context}\n{resource_hash}\n{verdict}".encode()
    return hashlib.sha256(text).hexdigest()[:32]


@dataclass(frozen=True)
class Cached:
    """The scope's verdicts valid under the context asked for (hash -> verdict text), the
    OPA version that judged them, and how many rows were refused as damaged."""

    verdicts: dict[str, str]
    opa_version: str
    generation: int
    damaged: int = 0


class VerdictCache:
    """A scope's verdicts in a state store. ``writable`` False (a dry run) reads only."""

    def __init__(self, store: StateStore, scope: str, *, writable: bool = True) -> None:
        self.store = store
        self.scope = scope
        self.writable = writable
        self._used: dict[str, int] = {}  # hash -> the generation last marked, as looked up

    def lookup(self, context: str) -> Cached:
        """Every sealed verdict of the scope under ``context`` (none under another)."""
        with self.store.reading() as tx:
            head = _head(tx, self.scope)
            if head is None or head[0] != context:
                return Cached({}, "", head[2] if head else 0)
            rows = tx.rows(
                "SELECT resource_hash, verdict, seal, used FROM verdicts WHERE scope = ?",
                (self.scope,),
            )
        verdicts: dict[str, str] = {}
        self._used.clear()
        damaged = 0
        for resource_hash, verdict, sealed, used in rows:
            if (
                isinstance(resource_hash, str)
                and isinstance(verdict, str)
                and sealed == seal(context, resource_hash, verdict)
            ):
                verdicts[resource_hash] = verdict
                self._used[resource_hash] = int(used)
            else:
                damaged += 1
        return Cached(verdicts, str(head[1]), int(head[2]), damaged)

    def save(
        self,
        context: str,
        opa_version: str,
        fresh: Mapping[str, str],
        hits: Collection[str],
        resources: int,
    ) -> None:
        """Keep ``fresh`` verdicts (hash -> verdict text), mark ``hits`` as used, and
        prune, in one transaction."""
        if not self.writable:
            return
        used = self._used
        with self.store.transaction() as tx:
            head = _head(tx, self.scope)
            generation = (head[2] if head else 0) + 1
            if head is None or head[0] != context or head[1] != opa_version:
                # Verdicts of another context or OPA can never be used again.
                tx.execute("DELETE FROM verdicts WHERE scope = ?", (self.scope,))
                hits = ()
            if head is None:
                tx.execute(
                    "INSERT INTO verdict_scopes (scope, context, opa_version, generation)"
                    " VALUES (?, ?, ?, ?)",
                    (self.scope, context, opa_version, generation),
                )
            else:
                tx.execute(
                    "UPDATE verdict_scopes SET context = ?, opa_version = ?, generation = ?"
                    " WHERE scope = ?",
                    (context, opa_version, generation, self.scope),
                )
            rows = [(self.scope, h, v, seal(context, h, v), generation) for h, v in fresh.items()]
            for batch in _batches(rows):
                tx.execute(_upsert(len(batch)), [value for row in batch for value in row])
            stale = [
                h
                for h in hits
                if h not in fresh and generation - used.get(h, 0) >= TOUCH_AFTER + int(h[0], 16) % 4
            ]
            for part in _batches(stale):
                tx.execute(_touch(len(part)), [generation, self.scope, *part])
            tx.execute(
                "DELETE FROM verdicts WHERE scope = ? AND used <= ?",
                (self.scope, generation - KEEP_GENERATIONS),
            )
            _cap(tx, self.scope, row_cap(resources))


# Statements for n rows: only placeholders are joined in, the values are parameters.
def _upsert(rows: int) -> str:
    values = ", ".join(["(?, ?, ?, ?, ?)"] * rows)
    return (
        f"INSERT INTO verdicts (scope, resource_hash, verdict, seal, used) VALUES {values}"  # noqa: S608
        " ON CONFLICT (scope, resource_hash) DO UPDATE SET verdict = excluded.verdict,"
        " seal = excluded.seal, used = excluded.used"
    )


def _touch(rows: int) -> str:
    marks = ", ".join(["?"] * rows)
    return f"UPDATE verdicts SET used = ? WHERE scope = ? AND resource_hash IN ({marks})"  # noqa: S608


def _head(tx: Transaction, scope: str) -> tuple[str, str, int] | None:
    found = tx.rows(
        "SELECT context, opa_version, generation FROM verdict_scopes WHERE scope = ?", (scope,)
    )
    if not found:
        return None
    context, opa_version, generation = found[0]
    return str(context), str(opa_version), int(generation)


def _cap(tx: Transaction, scope: str, cap: int) -> None:
    (count,) = tx.rows("SELECT COUNT(*) FROM verdicts WHERE scope = ?", (scope,))[0]
    over = int(count) - cap
    if over > 0:
        tx.execute(
            "DELETE FROM verdicts WHERE scope = ? AND resource_hash IN (SELECT resource_hash"
            " FROM verdicts WHERE scope = ? ORDER BY used, resource_hash LIMIT ?)",
            (scope, scope, over),
        )


def _batches(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _BATCH] for i in range(0, len(items), _BATCH)]
