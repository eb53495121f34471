"""The data map: where personal, health, card and confidential data lives (GDPR Article 30
records, the HIPAA PHI inventory, PCI DSS scope), built from the inventory alone.

Every data store holding a classified data class, grouped by class then by system, with
what protects it and who can reach it; the stores connected to card data make up the
cardholder data environment. Nothing sampled is ever kept: a column shows how it was
classified, the detector's name, its counts and confidence, never a value.

`build` (in `data_map_build.py`) makes a `DataMap` from inventory resources; reports
render it, the state store keeps it with the scan, and `changes` compares two of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Report order and names of the data classes (the inventory's codes).
CLASSES: dict[str, str] = {
    "pii": "personal",
    "phi": "health",
    "pci": "card",
    "confidential": "confidential",
}


@dataclass(frozen=True)
class ClassifiedColumn:
    """A column of a database table that holds a data class."""

    name: str
    classification: str  # the column's own label: email, phone, national_id, pan, pii, ...
    data_class: str  # the class it makes the table hold: pii, phi, pci
    classified_by: str  # comment | sample | name | none (not recorded)
    detector: str | None = None  # the value detector that matched, when sampled
    confidence: float | None = None  # share of sampled values it matched (0-1)
    matched: int | None = None
    sampled: int | None = None
    encrypted: bool | None = None  # stored encrypted by the application


@dataclass(frozen=True)
class Reach:
    """Who can reach a store. None means the inventory does not say (shown "unknown")."""

    public: bool | None = None  # readable by anyone (public bucket, snapshot, endpoint)
    internet_exposed: bool | None = None  # reachable from the internet (public IP, 0.0.0.0/0)
    public_grants: tuple[str, ...] = ()  # privileges granted to PUBLIC (PostgreSQL)
    roles: tuple[str, ...] = ()  # roles or principals with access, as the inventory names them


@dataclass(frozen=True)
class Protection:
    """Encryption and backup, each None when the inventory does not say."""

    encrypted_at_rest: bool | None = None
    at_rest_key: str | None = None  # customer | aws | None (not known or not encrypted)
    encrypted_in_transit: bool | None = None
    backup: bool | None = None
    backup_detail: str = ""  # "retention 7 days", "versioning enabled", "point-in-time"


@dataclass(frozen=True)
class DataStore:
    address: str
    type: str  # the inventory resource type
    kind: str  # for people: table, bucket, database instance, volume, cluster, ...
    name: str
    system: str  # the account (aws:123456789012) or server (postgresql://host:port) it is in
    data_classes: tuple[str, ...]  # in CLASSES order
    account: str | None = None
    region: str | None = None
    region_allowed: bool | None = None  # against the allowed_regions parameter; None: no rule
    owner: str | None = None
    environment: str | None = None
    columns: tuple[ClassifiedColumn, ...] = ()
    protection: Protection = field(default_factory=Protection)
    reach: Reach = field(default_factory=Reach)
    open_findings: tuple[tuple[str, str], ...] = ()  # (check id, severity), failing now
    cde: bool = False  # holds card data: in the cardholder data environment


@dataclass(frozen=True)
class Connected:
    """A resource the inventory shows connected to a card-data store (PCI DSS scope)."""

    address: str
    type: str
    relation: str  # "security group of", "subnet of", "role with access to", ...
    store: str  # the card-data store's address


@dataclass(frozen=True)
class DataMap:
    stores: tuple[DataStore, ...] = ()  # sorted by (system, address)
    cde: tuple[Connected, ...] = ()  # sorted by (store, relation, address)

    def by_class(self) -> list[tuple[str, list[tuple[str, list[DataStore]]]]]:
        """[(class code, [(system, stores)])] in CLASSES order, systems sorted: the
        report's grouping. A store holding two classes is listed under each."""
        grouped: list[tuple[str, list[tuple[str, list[DataStore]]]]] = []
        for code in CLASSES:
            systems: dict[str, list[DataStore]] = {}
            for store in self.stores:
                if code in store.data_classes:
                    systems.setdefault(store.system, []).append(store)
            if systems:
                grouped.append((code, sorted(systems.items())))
        return grouped

    @property
    def empty(self) -> bool:
        return not self.stores
