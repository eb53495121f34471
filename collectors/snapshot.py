"""The inventory envelope every collector fills: sources (coverage) and resources."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Source:
    """One unit of collection (account/service/region, a database) and how it went."""

    kind: str
    scope: str
    status: str  # complete | partial | denied | failed
    detail: str = ""

    def as_json(self) -> dict[str, str]:
        entry = {"kind": self.kind, "scope": self.scope, "status": self.status}
        if self.detail:
            entry["detail"] = self.detail
        return entry


def build_snapshot(
    collected_at: datetime, sources: Iterable[Source], resources: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """A snapshot document, sorted so two collections of the same estate diff cleanly."""
    return {
        "schema_version": SCHEMA_VERSION,
        "snapshot_id": str(uuid.uuid4()),
        "collected_at": collected_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "sources": [s.as_json() for s in sorted(sources, key=lambda s: (s.kind, s.scope))],
        "resources": sorted(resources, key=lambda r: str(r["address"])),
    }


def single_resource_snapshot(resource: dict[str, Any]) -> dict[str, Any]:
    """A minimal snapshot around one resource, to validate it alone against the schema."""
    return {
        "schema_version": SCHEMA_VERSION,
        "snapshot_id": "check",
        "collected_at": "2000-01-01T00:00:00Z",
        "sources": [],
        "resources": [resource],
    }
