"""Data stores that changed since the scope's last drift scan. Pure: no I/O.

Three changes are reported, each one `DataChange`:

- `classified`: a data class appears on a store (a new store holding a class, or a class
  the store did not hold before). Losing a class is never reported: a store that is
  merely not seen, or not sampled this time, must not look declassified.
- `region`: a store is in another region now. The same address in another region, or a
  store gone from a source collected completely whose type, name and account reappear
  in another region (addresses that name their region, such as an RDS ARN).
- `encryption_at_rest` / `encryption_in_transit`: encrypted before, not now. Unknown now
  (None: the inventory no longer says) fails closed: it is reported as a loss, with
  `after` "unknown", since nothing vouches for the encryption any more.

A store absent now is a change only when it is *gone*: its source was collected
completely (the rule of coverage.py's Recheck.gone); a store that was not collected
again is never moved or declassified. Changes are sorted by (system, address, kind).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from compliance_opa.domain.data_map import CLASSES, DataMap, DataStore

ChangeKind = Literal["classified", "region", "encryption_at_rest", "encryption_in_transit"]

KINDS: tuple[ChangeKind, ...] = (
    "classified",
    "region",
    "encryption_at_rest",
    "encryption_in_transit",
)

# The check-like id an alert carries, so `check:` globs in alert rules can pick changes.
CHECK_IDS: dict[str, str] = {
    "classified": "DATA-CLASSIFIED",
    "region": "DATA-REGION-MOVED",
    "encryption_at_rest": "DATA-ENCRYPTION-AT-REST-LOST",
    "encryption_in_transit": "DATA-ENCRYPTION-IN-TRANSIT-LOST",
}


@dataclass(frozen=True)
class DataChange:
    kind: ChangeKind
    address: str  # the store's address now
    type: str
    name: str
    system: str
    # What the change is about: the classes that appeared (classified), else every class
    # the store holds now. Alert rules' `data_class` matches these.
    data_classes: tuple[str, ...]
    before: str | None  # region before, "encrypted"; None for a store new to the map
    after: str | None  # region now, "not encrypted" or "unknown"; the classes that appeared
    account: str | None = None
    region: str | None = None  # now
    region_allowed: bool | None = None  # now
    owner: str | None = None
    environment: str | None = None
    previous_address: str | None = None  # a moved store whose address changed
    columns: tuple[str, ...] = ()  # "name (classified by)" of the new class's columns

    @property
    def check_id(self) -> str:
        return CHECK_IDS[self.kind]

    @property
    def new_store(self) -> bool:
        return self.kind == "classified" and self.before is None

    def describe(self) -> str:
        """One line for people (estate text inside: the renderer escapes it)."""
        what = f"{self.type} {self.name} ({self.address})"
        if self.kind == "classified":
            names = ", ".join(f"{CLASSES.get(c, c)} ({c})" for c in self.data_classes)
            where = "a new data store" if self.new_store else "data store"
            text = f"{names} data appeared on {where} {what}"
            if self.columns:
                text += f"; columns: {', '.join(self.columns)}"
            return text
        if self.kind == "region":
            allowed = " (not an allowed region)" if self.region_allowed is False else ""
            was = (
                f" (was {self.previous_address})"
                if self.previous_address and self.previous_address != self.address
                else ""
            )
            return f"{what} moved from region {self.before} to {self.after}{allowed}{was}"
        which = "at rest" if self.kind == "encryption_at_rest" else "in transit"
        now = "is no longer encrypted" if self.after == "not encrypted" else "is no longer shown"
        if self.after != "not encrypted":
            now += " as encrypted (unknown now, treated as lost)"
        return f"{what} {now} {which}"


Gone = Callable[[str], bool]


def changes(previous: DataMap, current: DataMap, complete_sources: Gone) -> tuple[DataChange, ...]:
    """What changed from `previous` to `current`. `complete_sources(address)` says whether
    a store of the previous map that is absent now was looked for again: gone from a
    source collected completely (see `gone_from`)."""
    before = {s.address: s for s in previous.stores}
    current_addresses = {c.address for c in current.stores}  # once: 36k stores at 100k
    out: list[DataChange] = []
    # Stores absent now whose absence is certain: candidates for a move by address.
    gone = {
        _identity(s): s
        for s in previous.stores
        if s.address not in current_addresses and complete_sources(s.address)
    }
    for store in current.stores:
        prior = before.get(store.address)
        if prior is None:
            moved_from = gone.pop(_identity(store), None)
            if moved_from is not None:
                if moved_from.region != store.region:
                    out.append(_moved(moved_from, store))
                out += _classified(moved_from, store)
                out += _encryption(moved_from, store)
            else:
                out += _classified(None, store)
            continue
        if prior.region != store.region and prior.region and store.region:
            out.append(_moved(prior, store))
        out += _classified(prior, store)
        out += _encryption(prior, store)
    return tuple(sorted(out, key=lambda c: (c.system, c.address, KINDS.index(c.kind))))


def gone_from(
    present: Iterable[str],
    complete: Iterable[str],
    sources: Mapping[str, str | None],
    gaps: bool,
) -> Gone:
    """The rule of coverage.py's Recheck.gone for a store: absent from this scan's
    resources, and its source (`sources`, from the previous scan) collected completely;
    a store whose source is not known counts as gone only when this scan has no gap."""
    here, done = set(present), set(complete)

    def is_gone(address: str) -> bool:
        if address in here:
            return False
        source = sources.get(address)
        return source in done if source else not gaps

    return is_gone


def _identity(store: DataStore) -> tuple[str, str, str, str | None]:
    return (store.system, store.type, store.name, store.account)


def _fields(store: DataStore) -> dict[str, Any]:
    return {
        "address": store.address,
        "type": store.type,
        "name": store.name,
        "system": store.system,
        "account": store.account,
        "region": store.region,
        "region_allowed": store.region_allowed,
        "owner": store.owner,
        "environment": store.environment,
    }


def _moved(prior: DataStore, store: DataStore) -> DataChange:
    return DataChange(
        kind="region",
        data_classes=store.data_classes,
        before=prior.region,
        after=store.region,
        previous_address=prior.address if prior.address != store.address else None,
        **_fields(store),
    )


def _classified(prior: DataStore | None, store: DataStore) -> list[DataChange]:
    held = set(prior.data_classes) if prior else set()
    appeared = tuple(c for c in store.data_classes if c not in held)
    if not appeared:
        return []
    columns = tuple(
        f"{c.name} ({c.classified_by})" for c in store.columns if c.data_class in appeared
    )
    return [
        DataChange(
            kind="classified",
            data_classes=appeared,
            before=None if prior is None else ",".join(prior.data_classes),
            after=",".join(appeared),
            columns=columns,
            **_fields(store),
        )
    ]


def _encryption(prior: DataStore, store: DataStore) -> list[DataChange]:
    out = []
    pairs: tuple[tuple[ChangeKind, bool | None, bool | None], ...] = (
        ("encryption_at_rest", prior.protection.encrypted_at_rest,
         store.protection.encrypted_at_rest),
        ("encryption_in_transit", prior.protection.encrypted_in_transit,
         store.protection.encrypted_in_transit),
    )  # fmt: skip
    for kind, was, now in pairs:
        if was is True and now is not True:  # None now: unknown, fails closed
            out.append(
                DataChange(
                    kind=kind,
                    data_classes=store.data_classes,
                    before="encrypted",
                    after="not encrypted" if now is False else "unknown",
                    **_fields(store),
                )
            )
    return out


def as_dict(change: DataChange) -> dict[str, Any]:
    """JSON for the stored scan and the JSON report's drift section."""
    return {
        "kind": change.kind,
        "check_id": change.check_id,
        "address": change.address,
        "type": change.type,
        "name": change.name,
        "system": change.system,
        "data_classes": list(change.data_classes),
        "before": change.before,
        "after": change.after,
        "account": change.account,
        "region": change.region,
        "region_allowed": change.region_allowed,
        "owner": change.owner,
        "environment": change.environment,
        "previous_address": change.previous_address,
        "columns": list(change.columns),
    }


def from_dict(d: Mapping[str, Any]) -> DataChange:
    kind = str(d["kind"])
    if kind not in KINDS:
        raise ValueError(f"data change kind {kind!r}")
    return DataChange(
        kind=kind,  # checked against KINDS above
        address=str(d["address"]),
        type=str(d["type"]),
        name=str(d["name"]),
        system=str(d["system"]),
        data_classes=tuple(str(c) for c in d["data_classes"]),
        before=_opt(d.get("before")),
        after=_opt(d.get("after")),
        account=_opt(d.get("account")),
        region=_opt(d.get("region")),
        region_allowed=d.get("region_allowed"),
        owner=_opt(d.get("owner")),
        environment=_opt(d.get("environment")),
        previous_address=_opt(d.get("previous_address")),
        columns=tuple(str(c) for c in d.get("columns", ())),
    )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
