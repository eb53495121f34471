"""Build inventory_schemas/inventory.json from the envelope and one file per resource type.

inventory_schemas/envelope.json holds the envelope and the common resource shape;
inventory_schemas/resources/<type>.json holds the attributes schema of one resource
type. The published inventory.json is one self-contained file (OPA's type checker
and most users cannot follow references across files): the envelope, every type
under `definitions`, and an if/then per type that picks its attributes schema.
A test keeps the committed file equal to this build.

Usage: python scripts/build_inventory_schema.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "inventory_schemas"
OUTPUT = ROOT / "inventory.json"


def build(root: Path = ROOT) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((root / "envelope.json").read_text(encoding="utf-8"))
    dispatch = []
    for path in sorted((root / "resources").glob("*.json")):
        name = path.stem
        schema["definitions"][name] = json.loads(path.read_text(encoding="utf-8"))
        dispatch.append(
            {
                "if": {"properties": {"type": {"const": name}}},
                "then": {"properties": {"attributes": {"$ref": f"#/definitions/{name}"}}},
            }
        )
    schema["definitions"]["resource"]["allOf"] = dispatch
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2) + "\n"


def main(argv: list[str]) -> int:
    text = render(build())
    if argv[1:] == ["--check"]:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(
                f"{OUTPUT} is stale: run python scripts/build_inventory_schema.py", file=sys.stderr
            )
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
