"""A DataMap as plain JSON data and back: `from_dict(as_dict(m)) == m` exactly.

Used by the state store's codec (the map is kept with the scan) and the JSON report.
Keys are the model's field names; None stays null, tuples become lists.
"""

from __future__ import annotations

from typing import Any

from compliance_opa.domain.data_map import (
    ClassifiedColumn,
    Connected,
    DataMap,
    DataStore,
    Protection,
    Reach,
)


def as_dict(data_map: DataMap) -> dict[str, Any]:
    return {
        "stores": [_store(s) for s in data_map.stores],
        "cde": [
            {"address": c.address, "type": c.type, "relation": c.relation, "store": c.store}
            for c in data_map.cde
        ],
    }


def from_dict(data: dict[str, Any]) -> DataMap:
    return DataMap(
        stores=tuple(_load_store(s) for s in data.get("stores", ())),
        cde=tuple(
            Connected(
                address=str(c["address"]),
                type=str(c["type"]),
                relation=str(c["relation"]),
                store=str(c["store"]),
            )
            for c in data.get("cde", ())
        ),
    )


def _store(s: DataStore) -> dict[str, Any]:
    return {
        "address": s.address,
        "type": s.type,
        "kind": s.kind,
        "name": s.name,
        "system": s.system,
        "data_classes": list(s.data_classes),
        "account": s.account,
        "region": s.region,
        "region_allowed": s.region_allowed,
        "owner": s.owner,
        "environment": s.environment,
        "columns": [_column(c) for c in s.columns],
        "protection": {
            "encrypted_at_rest": s.protection.encrypted_at_rest,
            "at_rest_key": s.protection.at_rest_key,
            "encrypted_in_transit": s.protection.encrypted_in_transit,
            "backup": s.protection.backup,
            "backup_detail": s.protection.backup_detail,
        },
        "reach": {
            "public": s.reach.public,
            "internet_exposed": s.reach.internet_exposed,
            "public_grants": list(s.reach.public_grants),
            "roles": list(s.reach.roles),
        },
        "open_findings": [[check, severity] for check, severity in s.open_findings],
        "cde": s.cde,
    }


def _column(c: ClassifiedColumn) -> dict[str, Any]:
    return {
        "name": c.name,
        "classification": c.classification,
        "data_class": c.data_class,
        "classified_by": c.classified_by,
        "detector": c.detector,
        "confidence": c.confidence,
        "matched": c.matched,
        "sampled": c.sampled,
        "encrypted": c.encrypted,
    }


def _load_store(s: dict[str, Any]) -> DataStore:
    p = s.get("protection") or {}
    r = s.get("reach") or {}
    return DataStore(
        address=str(s["address"]),
        type=str(s["type"]),
        kind=str(s["kind"]),
        name=str(s["name"]),
        system=str(s["system"]),
        data_classes=tuple(str(c) for c in s["data_classes"]),
        account=_str(s.get("account")),
        region=_str(s.get("region")),
        region_allowed=_bool(s.get("region_allowed")),
        owner=_str(s.get("owner")),
        environment=_str(s.get("environment")),
        columns=tuple(_load_column(c) for c in s.get("columns", ())),
        protection=Protection(
            encrypted_at_rest=_bool(p.get("encrypted_at_rest")),
            at_rest_key=_str(p.get("at_rest_key")),
            encrypted_in_transit=_bool(p.get("encrypted_in_transit")),
            backup=_bool(p.get("backup")),
            backup_detail=str(p.get("backup_detail", "")),
        ),
        reach=Reach(
            public=_bool(r.get("public")),
            internet_exposed=_bool(r.get("internet_exposed")),
            public_grants=tuple(str(g) for g in r.get("public_grants", ())),
            roles=tuple(str(x) for x in r.get("roles", ())),
        ),
        open_findings=tuple((str(c), str(sev)) for c, sev in s.get("open_findings", ())),
        cde=bool(s.get("cde", False)),
    )


def _load_column(c: dict[str, Any]) -> ClassifiedColumn:
    return ClassifiedColumn(
        name=str(c["name"]),
        classification=str(c["classification"]),
        data_class=str(c["data_class"]),
        classified_by=str(c["classified_by"]),
        detector=_str(c.get("detector")),
        confidence=None if c.get("confidence") is None else float(c["confidence"]),
        matched=None if c.get("matched") is None else int(c["matched"]),
        sampled=None if c.get("sampled") is None else int(c["sampled"]),
        encrypted=_bool(c.get("encrypted")),
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)
