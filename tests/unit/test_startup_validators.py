"""The schema validators generated ahead of time (compliance_opa/inventory/_validators):
the same code a fresh generation gives, and the same verdicts as compiling at run time."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.inventory import compiled_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").rglob("*.json"))


_CACHED = (
    compiled_schema._generated,
    compiled_schema._envelope_validator,
    compiled_schema._resource_validator,
    compiled_schema._type_validator,
)


def _clear_caches() -> None:
    for cached in _CACHED:
        cached.cache_clear()


def test_generated_package_is_what_the_schema_generates_now() -> None:
    """Stale generated code fails here: run `python -m compliance_opa.inventory.compiled_schema`."""
    expected = compiled_schema.generated_files()
    directory = compiled_schema.generated_dir()
    present = {path.name: path.read_text(encoding="utf-8") for path in directory.glob("*.py")}
    assert sorted(present) == sorted(expected)
    stale = [name for name, text in expected.items() if present[name] != text]
    assert stale == []


def test_generated_package_is_used() -> None:
    _clear_caches()
    package = compiled_schema._generated()
    assert package is not None
    assert frozenset(compiled_schema._type_rules()) == package.TYPES
    assert compiled_schema._type_validator("aws_s3_bucket") is not None
    assert compiled_schema._type_validator("not_a_type") is None
    assert compiled_schema._type_validator("../../os") is None


def test_a_package_from_another_schema_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_caches()
    monkeypatch.setattr(compiled_schema, "_schema_digest", lambda: "0" * 64)
    try:
        assert compiled_schema._generated() is None
        resource = _resources()[0]
        assert compiled_schema.resource_conforms(resource)
    finally:
        _clear_caches()


def _documents() -> list[Any]:
    documents = []
    for path in EXAMPLES:
        document = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(document, dict) and isinstance(document.get("resources"), list):
            documents.append(document)
    return documents


def _resources() -> list[Any]:
    return [resource for document in _documents() for resource in document["resources"]]


def _broken(resource: dict[str, Any]) -> Iterator[Any]:
    """Ways to break one resource: a missing or mistyped field, an attribute of the wrong
    type, a bad date."""
    for key in list(resource):
        without = copy.deepcopy(resource)
        del without[key]
        yield without
        wrong = copy.deepcopy(resource)
        wrong[key] = 12345
        yield wrong
    for key, value in (resource.get("attributes") or {}).items():
        changed = copy.deepcopy(resource)
        changed["attributes"][key] = [value] if not isinstance(value, list) else "x"
        yield changed
    dated = copy.deepcopy(resource)
    dated["observed_at"] = "not a date"
    yield dated


def _verdicts() -> tuple[list[bool], list[bool]]:
    resources = _resources()
    broken = [variant for resource in resources[:40] for variant in _broken(resource)]
    single = [compiled_schema.resource_conforms(r) for r in [*resources, *broken]]
    documents = _documents()
    damaged = []
    for document in documents:
        for key in document:
            if key != "resources":
                variant = copy.deepcopy(document)
                variant[key] = 12345
                damaged.append(variant)
    whole = [compiled_schema.document_conforms(d) for d in [*documents, *damaged]]
    return single, whole


def test_generated_and_run_time_validators_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_caches()
    with monkeypatch.context() as patched:  # no generated package: compiled at run time
        patched.setattr(compiled_schema, "_generated", lambda: None)
        slow_single, slow_whole = _verdicts()
        _clear_caches()
    assert compiled_schema._generated() is not None
    fast_single, fast_whole = _verdicts()
    _clear_caches()
    assert fast_single == slow_single
    assert fast_whole == slow_whole
    # The comparison means something: both accept and both refuse some.
    assert True in fast_single
    assert False in fast_single
    assert True in fast_whole
    assert False in fast_whole
