"""The scope of a scan: the name its history and drift comparisons are kept under."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from compliance_opa.inventory.load import Inventory


def default_scope(inventories: Sequence[Inventory]) -> str:
    """What was scanned, as a name that stays the same across runs, machines and
    credentials: AWS accounts, PostgreSQL servers, plan files, else the input file names."""
    names: set[str] = set()
    for inventory in inventories:
        sources = inventory.document["sources"]
        for source in sources:
            kind, where = str(source["kind"]), str(source["scope"])
            if kind == "aws":
                names.add(f"aws:{where.split('/')[0]}")
            elif kind == "postgresql":
                names.add("/".join(where.split("/")[:3]))  # postgresql://host:port
            else:
                names.add(f"{kind}:{Path(where).name}")
        if not sources:
            names.add(f"file:{inventory.path.name}")
    return " + ".join(sorted(names))
