"""Write the inventory schema in the form OPA's type checker understands.

The published schema (inventory_schemas/inventory.json) picks each resource's
attribute schema with if/then on its type, which gives precise validation
errors but which OPA's checker cannot read. This derives a twin for
`opa check --strict --schema`: attributes become an anyOf of every resource
type's schema, closed (additionalProperties: false) so a policy that reads an
attribute no schema declares fails the check.

Usage: python scripts/opa_type_schema.py OUT_DIR   (writes OUT_DIR/inventory.json)
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parents[1] / "inventory_schemas" / "inventory.json"


def derive(schema: dict[str, Any]) -> dict[str, Any]:
    derived = copy.deepcopy(schema)
    resource = derived["definitions"]["resource"]
    types = [branch["if"]["properties"]["type"]["const"] for branch in resource.pop("allOf")]
    for name in types:
        derived["definitions"][name]["additionalProperties"] = False
    resource["properties"]["attributes"] = {
        "anyOf": [{"$ref": f"#/definitions/{name}"} for name in types]
    }
    return derived


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    (out / "inventory.json").write_text(json.dumps(derive(schema), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
