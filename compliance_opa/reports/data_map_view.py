"""What every rendering of the data map shows, as text: the Markdown document and section,
the HTML section and the data-map CSV all call these, so a store reads the same in each.

A value the inventory does not give reads "unknown", never "no"; "n/a" is only for what
does not apply (a detector of a column not classified from samples, PUBLIC grants of a
store that is not PostgreSQL's). Nothing sampled is shown: counts and confidence only.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance_opa.domain.data_map import CLASSES, ClassifiedColumn, DataMap, DataStore


@dataclass(frozen=True)
class ClassRecord:
    """How a data class is titled, and the record of which framework it makes."""

    title: str
    record: str


RECORDS: dict[str, ClassRecord] = {
    "pii": ClassRecord("Personal data", "GDPR Article 30: records of processing activities"),
    "phi": ClassRecord(
        "Health data", "HIPAA: inventory of electronic protected health information"
    ),
    "pci": ClassRecord("Card data", "PCI DSS requirement 12.5.2: where cardholder data is stored"),
    "confidential": ClassRecord(
        "Confidential data", "SOC 2 C1.1 and ISO 27001 A.5.12: confidential information"
    ),
}

_CLASSIFIED_BY = {
    "comment": "column comment",
    "sample": "sampled values",
    "name": "column name",
    "none": "not recorded",
}
_KEYS = {"customer": "customer-managed key", "aws": "AWS-managed key"}


def yes_no(value: bool | None) -> str:
    """yes / no, or unknown when the inventory does not say: never "no" for unknown."""
    return "unknown" if value is None else ("yes" if value else "no")


def or_unknown(value: str | None) -> str:
    return "unknown" if value is None or value == "" else value


def class_names(store: DataStore) -> str:
    return ", ".join(CLASSES.get(code, code) for code in store.data_classes)


def region(store: DataStore) -> str:
    """The region and whether the allowed_regions rule allows it."""
    if store.region is None:
        return "unknown"
    if store.region_allowed is None:
        return f"{store.region} (no allowed-regions rule)"
    return f"{store.region} ({'allowed' if store.region_allowed else 'not allowed'})"


def at_rest(store: DataStore) -> str:
    p = store.protection
    shown = yes_no(p.encrypted_at_rest)
    if p.encrypted_at_rest and p.at_rest_key:
        shown += f" ({_KEYS.get(p.at_rest_key, p.at_rest_key)})"
    return shown


def backup(store: DataStore) -> str:
    p = store.protection
    shown = yes_no(p.backup)
    return f"{shown}: {p.backup_detail}" if p.backup_detail else shown


def public_grants(store: DataStore) -> str | None:
    """Privileges granted to PUBLIC, for PostgreSQL stores only (None elsewhere: PUBLIC is
    a PostgreSQL role)."""
    if not store.type.startswith("postgresql"):
        return None
    return ", ".join(store.reach.public_grants) or "none"


def roles(store: DataStore) -> str:
    return ", ".join(store.reach.roles) or "none listed in the inventory"


def open_findings(store: DataStore) -> str:
    return ", ".join(f"{check} ({severity})" for check, severity in store.open_findings) or "none"


def location(store: DataStore) -> tuple[tuple[str, str], ...]:
    """Where the store is inside its system, as (label, part): database, schema and table
    for a PostgreSQL table (from its address under its server, which the collector builds
    as server/database/schema/table); otherwise its name."""
    if store.type == "postgresql_table" and store.address.startswith(store.system + "/"):
        parts = store.address[len(store.system) + 1 :].split("/")
        if len(parts) == 3 and all(parts):
            return tuple(zip(("database", "schema", "table"), parts, strict=True))
    return (("name", store.name),)


def classified_by(column: ClassifiedColumn) -> str:
    return _CLASSIFIED_BY.get(column.classified_by, column.classified_by)


def detector(column: ClassifiedColumn) -> str:
    """The value detector that matched; n/a for a column not classified from samples."""
    if column.detector is not None:
        return column.detector
    return "unknown" if column.classified_by == "sample" else "n/a"


def confidence(column: ClassifiedColumn) -> str:
    if column.confidence is not None:
        return f"{column.confidence:.0%}"
    return "unknown" if column.classified_by == "sample" else "n/a"


def counts(column: ClassifiedColumn) -> str:
    """Matched of sampled values: counts only, never a value."""
    if column.matched is None and column.sampled is None:
        return "unknown" if column.classified_by == "sample" else "n/a"
    return f"{or_unknown(_int(column.matched))} of {or_unknown(_int(column.sampled))} sampled"


def _int(value: int | None) -> str | None:
    return None if value is None else str(value)


def summary(data_map: DataMap) -> list[dict[str, object]]:
    """Per class: stores, systems, and how many are unencrypted, reachable or failing."""
    rows: list[dict[str, object]] = []
    for code, systems in data_map.by_class():
        stores = [s for _, listed in systems for s in listed]
        rows.append(
            {
                "code": code,
                "title": RECORDS[code].title if code in RECORDS else code,
                "record": RECORDS[code].record if code in RECORDS else "",
                "stores": len(stores),
                "systems": len(systems),
                "not_encrypted": sum(s.protection.encrypted_at_rest is False for s in stores),
                "encryption_unknown": sum(s.protection.encrypted_at_rest is None for s in stores),
                "reachable": sum(bool(s.reach.public or s.reach.internet_exposed) for s in stores),
                "with_findings": sum(bool(s.open_findings) for s in stores),
            }
        )
    return rows


def cde_rows(data_map: DataMap) -> list[tuple[DataStore, list[tuple[str, str, str]]]]:
    """Each card-data store with what is connected to it: [(store, [(relation, type,
    address)])], stores in the map's order."""
    connected: dict[str, list[tuple[str, str, str]]] = {}
    for c in data_map.cde:
        connected.setdefault(c.store, []).append((c.relation, c.type, c.address))
    return [(s, connected.get(s.address, [])) for s in data_map.stores if s.cde]


def helpers() -> dict[str, object]:
    """What the data-map templates (Markdown and HTML) call."""
    return {
        "records": RECORDS,
        "class_name": lambda code: CLASSES.get(code, code),
        "yes_no": yes_no,
        "or_unknown": or_unknown,
        "class_names": class_names,
        "region": region,
        "at_rest": at_rest,
        "backup": backup,
        "public_grants": public_grants,
        "roles": roles,
        "open_findings": open_findings,
        "location": location,
        "classified_by": classified_by,
        "detector": detector,
        "confidence": confidence,
        "counts": counts,
        "summary": summary,
        "cde_rows": cde_rows,
    }
