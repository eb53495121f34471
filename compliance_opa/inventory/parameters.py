"""The range of each check parameter (inventory_schemas/parameters.json).

The checks read their parameters from OPA's input (`input.parameters`, filled from a
config file) over the defaults in policies/config/data.json. A value out of range would
quietly switch a check off or make it meaningless (a backup retention of -1 days, a
password length of 0, an empty list of production environments), so it is refused with
one line naming the parameter. The schema lives beside the inventory schemas: every
JSON file under policies/ is data OPA loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from compliance_opa.errors import InputError
from compliance_opa.support.bundled import inventory_schema_path

_MAX_MESSAGE = 160


@cache
def parameters_schema() -> dict[str, Any]:
    path = inventory_schema_path().parent / "parameters.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(parameters_schema())


def check_parameters(where: Path | str, parameters: Mapping[str, Any]) -> None:
    """Raise InputError naming the first parameter out of its range:
    `<where>: parameters.<name>[<item>]: <what is wrong>`."""
    error = best_match(_validator().iter_errors(dict(parameters)))
    if error is None:
        return
    at = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = error.message
    if error.validator == "pattern" and isinstance(error.schema, dict):
        # A pattern says little to a reader: the schema words what it asks for.
        message = f"{json.dumps(error.instance)[:80]} {error.schema.get('description', message)}"
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    raise InputError(f"{where}: parameters{at}: {message}")
