"""The one input document OPA evaluates, built in one place: the sources and resources of
every inventory, and the parameter overrides. A large input goes to OPA as several
request bodies of this same shape, each with a share of the resources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compliance_opa.support.jsonbytes import dumps

SCHEMA_VERSION = "1"


def document(
    sources: Sequence[Any], resources: Sequence[Any], parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "sources": list(sources),
        "resources": list(resources),
        "parameters": parameters or {},
    }


def body_parts(sources: Sequence[Any], parameters: dict[str, Any]) -> tuple[bytes, bytes]:
    """The bytes of a request body before and after its resources (comma-separated JSON)."""
    head = b'{"input":{"schema_version":' + dumps(SCHEMA_VERSION) + b',"sources":'
    head += dumps(list(sources)) + b',"parameters":' + dumps(parameters) + b',"resources":['
    return head, b"]}}"
