"""Inventory resources for database objects, addressed under postgresql://host:port."""

from __future__ import annotations

from typing import Any


def resource(
    resource_type: str,
    address: str,
    name: str,
    attributes: dict[str, Any],
    data_classes: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "address": address,
        "type": resource_type,
        "provider": "postgresql",
        "account": None,
        "region": None,
        "name": name,
        "tags": {},
        "data_classes": data_classes or [],
        "attributes": attributes,
        "unknown": [],
        "sensitive": [],
    }


def grouped_acl(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """aclexplode rows grouped per (grantee, grantor), as the inventory schema wants them."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        key = (str(entry["grantee"]), str(entry["grantor"]))
        item = grouped.setdefault(
            key, {"grantee": key[0], "grantor": key[1], "privileges": [], "grantable": []}
        )
        item["privileges"].append(entry["privilege"])
        if entry["grantable"]:
            item["grantable"].append(entry["privilege"])
    return [
        {**item, "privileges": sorted(item["privileges"]), "grantable": sorted(item["grantable"])}
        for item in grouped.values()
    ]
