"""The inventory schema compiled to Python code (fastjsonschema): a fast yes/no.

Validating a 100k-resource snapshot by interpreting the schema takes a minute; compiled
it takes about a second. Callers use jsonschema only for what these refuse, to word the
error (inventory.validate_document) or find what to leave out (the plan adapter).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema
import jsonschema

from compliance_opa.support.bundled import inventory_schema_path


@cache
def inventory_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(inventory_schema_path().read_text(encoding="utf-8"))
    return schema


def _compiled(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """A schema compiled to Python code (about ten times faster than interpreting it on
    big snapshots); formats are checked by jsonschema's own checkers so both accept the
    same documents."""
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    formats = {
        name: (lambda value, name=name: checker.conforms(value, name))
        for name in ("date", "date-time")
    }
    # Only the definitions the schema refers to: fastjsonschema compiles all it is given.
    definitions = inventory_schema()["definitions"]
    used = {name: definitions[name] for name in _referenced(schema, definitions)}
    return fastjsonschema.compile({**schema, "definitions": used}, formats=formats)


def _referenced(schema: Any, definitions: dict[str, Any]) -> set[str]:
    """Names of the definitions `schema` refers to, directly or through each other."""
    found: set[str] = set()
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                name = ref.removeprefix("#/definitions/")
                if name not in found and name in definitions:
                    found.add(name)
                    pending.append(definitions[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


@cache
def _envelope_validator() -> Callable[[Any], Any]:
    """The snapshot without its resources (they are checked one by one, and compiling
    the snapshot's whole schema at once costs a third of a second)."""
    schema = inventory_schema()
    properties = {**schema["properties"], "resources": {"type": "array"}}
    return _compiled({**schema, "properties": properties})


@cache
def _resource_validator() -> Callable[[Any], Any]:
    """What every resource must be, whatever its type: the resource definition without
    its per-type `allOf: [if type == X then attributes: X]`."""
    resource = dict(inventory_schema()["definitions"]["resource"])
    resource.pop("allOf", None)
    return _compiled(resource)


@cache
def _type_rules() -> dict[str, dict[str, Any]]:
    """Per resource type, the `then` the schema applies to it (its attributes' schema)."""
    rules: dict[str, dict[str, Any]] = {}
    for rule in inventory_schema()["definitions"]["resource"].get("allOf", []):
        rules[rule["if"]["properties"]["type"]["const"]] = rule["then"]
    return rules


@cache
def _type_validator(resource_type: str) -> Callable[[Any], Any] | None:
    rule = _type_rules().get(resource_type)
    return _compiled(rule) if rule is not None else None


def resource_conforms(resource: Any) -> bool:
    """True when the compiled validators accept one resource: the envelope every resource
    has, then its own type's rule directly (the schema's if/then chain would try all of
    them on each)."""
    try:
        _resource_validator()(resource)
        check_type = _type_validator(resource["type"])
        if check_type is not None:
            check_type(resource)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def document_conforms(document: Any) -> bool:
    """True when the compiled validators accept the document."""
    if not isinstance(document, dict) or not isinstance(document.get("resources"), list):
        return False
    try:
        _envelope_validator()({**document, "resources": []})
    except fastjsonschema.JsonSchemaException:
        return False
    return all(resource_conforms(resource) for resource in document["resources"])
