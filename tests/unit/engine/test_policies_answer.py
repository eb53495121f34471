"""/v1/policies' answer read a module at a time (engine/client.py): the same modules as
parsing it whole, wherever the pieces split it, and invalid JSON still refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from compliance_opa.engine.client import _DROPPED, _StreamedAnswer

MODULES = [
    {"id": f"m{i}.rego", "raw": f"package m{i}\n# é ☃ \\u2028\nx := {i}\n", "ast": {"a": [i]}}
    for i in range(5)
]
# A tree holding the keys a module and the answer have, and numbers at a piece's end.
MODULES[2]["ast"] = {"rules": [{"raw": "not the module", "result": [1.5e3, -0, 12]}]}
ANSWER = json.dumps({"result": MODULES}, ensure_ascii=False, indent=1).encode()


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


def _read(data: bytes, size: int) -> Any:
    return _StreamedAnswer(_pieces(data, size)).answer()


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 20])
def test_modules_read_as_parsed_whole_whatever_the_pieces(size: int) -> None:
    answer = _read(ANSWER, size)
    assert [m["raw"] for m in answer["result"]] == [m["raw"] for m in MODULES]
    assert [m["id"] for m in answer["result"]] == [m["id"] for m in MODULES]
    assert all(m["ast"] is _DROPPED for m in answer["result"])  # trees not kept


@pytest.mark.parametrize("size", [1, 5, 1 << 20])
def test_other_keys_and_shapes_are_read_as_whole(size: int) -> None:
    assert _read(b' {"result": [], "x": {"raw": "y"}} ', size) == {"result": [], "x": {"raw": "y"}}
    assert _read(b'{"result": {"raw": 1}}', size) == {"result": {"raw": 1}}
    assert _read(b"[1, 2]", size) == [1, 2]
    assert _read(b"{}", size) == {}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b'{"result": [',
        b'{"result": [{"raw": "a"},]}',
        b'{"result": [{"raw": "a"}] ,}',
        b'{"result": [{"raw": "a"}]} trailing',
        b'{"result" [] }',
        b'{"result": [{"raw": "a"} {"raw": "b"}]}',
        b"{1: 2}",
        b'{"result": ["\xff"]}',
    ],
)
def test_invalid_json_is_refused(data: bytes) -> None:
    for size in (1, 4, 1 << 20):
        with pytest.raises(ValueError, match=r"(?i)expect|invalid|comma|after|decode"):
            _read(data, size)
