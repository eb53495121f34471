"""Checking a document against the inventory JSON Schema, with a one-line error naming
the first violation. The collectors use this too (and nothing else of the package)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from compliance_opa.errors import InputError
from compliance_opa.inventory.compiled_schema import document_conforms, inventory_schema

_MAX_MESSAGE = 160


@cache
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        inventory_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def validate_document(path: Path | str, document: Any) -> None:
    """Raise InputError naming the first schema violation and its JSON path.

    The compiled validators answer for valid documents; only a document they refuse goes
    through jsonschema, whose errors name the earliest bad field precisely."""
    if document_conforms(document):
        return
    error = best_match(validator().iter_errors(document), key=_first_in_document)
    if error is not None:
        message = error.message
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 3] + "..."
        raise InputError(f"{path}: schema violation at {error.json_path}: {message}")


def _first_in_document(error: jsonschema.ValidationError) -> tuple[Any, ...]:
    # best_match picks the highest key; negate positions so the earliest field wins,
    # then prefer the deepest (most specific) error at that place.
    position = tuple(-p if isinstance(p, int) else 0 for p in error.absolute_path)
    return (position, len(error.absolute_path))
