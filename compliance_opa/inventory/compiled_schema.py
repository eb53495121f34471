"""The inventory schema compiled to Python code (fastjsonschema): a fast yes/no.

Validating a 100k-resource snapshot by interpreting the schema takes a minute; compiled
it takes about a second. Callers use jsonschema only for what these refuse, to word the
error (inventory.validate_document) or find what to leave out (the plan adapter).

Compiling the validators costs about 0.2 s, most of a small plan's run, so their code is
generated ahead of time into the _validators package, one module per validator (`python
-m compliance_opa.inventory.compiled_schema` rewrites it; a unit test regenerates it and
compares, so it cannot go stale). A package generated from another schema or another
fastjsonschema is ignored and the validators are compiled at run time as before.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any

import fastjsonschema
import jsonschema

from compliance_opa.support.bundled import inventory_schema_path

GENERATED_PACKAGE = "compliance_opa.inventory._validators"


@cache
def inventory_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(inventory_schema_path().read_text(encoding="utf-8"))
    return schema


@cache
def _formats() -> dict[str, Callable[[Any], bool]]:
    """Formats are checked by jsonschema's own checkers so both accept the same documents."""
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    return {name: partial(_conforms, checker, name) for name in ("date", "date-time")}


def _conforms(checker: jsonschema.FormatChecker, name: str, value: Any) -> bool:
    return checker.conforms(value, name)


def _with_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """Only the definitions the schema refers to: fastjsonschema compiles all it is given."""
    definitions = inventory_schema()["definitions"]
    # The schema's own `definitions` are not walked: the envelope (the root schema) would
    # otherwise count every definition as used and compile all of them.
    body = {key: value for key, value in schema.items() if key != "definitions"}
    used = {name: definitions[name] for name in _referenced(body, definitions)}
    return {**body, "definitions": used}


def _compiled(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """A schema compiled to Python code (about ten times faster than interpreting it on
    big snapshots)."""
    return fastjsonschema.compile(_with_definitions(schema), formats=_formats())


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


def _envelope_schema() -> dict[str, Any]:
    """The snapshot without its resources (they are checked one by one, and compiling
    the snapshot's whole schema at once costs a third of a second)."""
    schema = inventory_schema()
    properties = {**schema["properties"], "resources": {"type": "array"}}
    return {**schema, "properties": properties}


def _resource_schema() -> dict[str, Any]:
    """What every resource must be, whatever its type: the resource definition without
    its per-type `allOf: [if type == X then attributes: X]`."""
    resource = dict(inventory_schema()["definitions"]["resource"])
    resource.pop("allOf", None)
    return resource


def _schema_digest() -> str:
    return hashlib.sha256(inventory_schema_path().read_bytes()).hexdigest()


@cache
def _generated() -> ModuleType | None:
    """The ahead-of-time package, when it was generated from this schema by this
    fastjsonschema (else None: compile at run time)."""
    try:
        package = importlib.import_module(GENERATED_PACKAGE)
    except ImportError:  # pragma: no cover - a tree without the generated package
        return None
    if (
        _schema_digest() != package.SCHEMA_SHA256
        or fastjsonschema.VERSION != package.FASTJSONSCHEMA_VERSION
    ):
        return None
    return package


def _prebuilt(module_name: str) -> Callable[[Any], Any]:
    """One generated validator: a module of its own, so a run loads only the ones it uses."""
    validate = importlib.import_module(f"{GENERATED_PACKAGE}.{module_name}").validate
    return partial(validate, custom_formats=_formats())


@cache
def _envelope_validator() -> Callable[[Any], Any]:
    if _generated() is not None:
        return _prebuilt("envelope")
    return _compiled(_envelope_schema())


@cache
def _resource_validator() -> Callable[[Any], Any]:
    if _generated() is not None:
        return _prebuilt("resource")
    return _compiled(_resource_schema())


@cache
def _type_rules() -> dict[str, dict[str, Any]]:
    """Per resource type, the `then` the schema applies to it (its attributes' schema)."""
    rules: dict[str, dict[str, Any]] = {}
    for rule in inventory_schema()["definitions"]["resource"].get("allOf", []):
        rules[rule["if"]["properties"]["type"]["const"]] = rule["then"]
    return rules


@cache
def _type_validator(resource_type: str) -> Callable[[Any], Any] | None:
    package = _generated()
    if package is not None:
        # Every type the schema has a rule for has a generated module; the set is checked
        # first because the type comes from the input.
        return _prebuilt(f"t_{resource_type}") if resource_type in package.TYPES else None
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


def _validator_schemas() -> dict[str, dict[str, Any]]:
    """Every validator by its module name in the generated package."""
    schemas = {"envelope": _envelope_schema(), "resource": _resource_schema()}
    for resource_type, rule in sorted(_type_rules().items()):
        if not resource_type.isidentifier():
            raise ValueError(f"resource type {resource_type!r} cannot name a module")
        schemas[f"t_{resource_type}"] = rule
    return schemas


_HEADER = (
    "# Generated by `python -m compliance_opa.inventory.compiled_schema` from\n"
    "# inventory_schemas/inventory.json: do not edit (a unit test regenerates and compares).\n"
    "# ruff: noqa\n"
    "# mypy: ignore-errors\n"
    "# fmt: off\n"
)


def generated_files() -> dict[str, str]:
    """The files of the generated package by name: one module per validator (fastjsonschema
    code, its entry point `validate`) and __init__.py naming the schema they came from."""
    files: dict[str, str] = {}
    schemas = _validator_schemas()
    for module_name, schema in schemas.items():
        code = fastjsonschema.compile_to_code(_with_definitions(schema), formats=_formats())
        files[f"{module_name}.py"] = _HEADER + code.rstrip("\n") + "\n"
    types = sorted(name.removeprefix("t_") for name in schemas if name.startswith("t_"))
    files["__init__.py"] = (
        _HEADER
        + f'SCHEMA_SHA256 = "{_schema_digest()}"\n'
        + f'FASTJSONSCHEMA_VERSION = "{fastjsonschema.VERSION}"\n'
        + "TYPES = frozenset({\n"
        + "".join(f"    {name!r},\n" for name in types)
        + "})\n"
    )
    return files


def generated_dir() -> Path:
    return Path(__file__).with_name(GENERATED_PACKAGE.rsplit(".", 1)[1])


def write_generated() -> None:
    """Rewrite the generated package (stale modules removed)."""
    directory = generated_dir()
    directory.mkdir(exist_ok=True)
    files = generated_files()
    for stale in directory.glob("*.py"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_generated()
    sys.stdout.write(f"wrote {generated_dir()}\n")
