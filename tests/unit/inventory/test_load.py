"""Loading untrusted inventory files: every failure is an InputError naming file and place."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance_opa.errors import InputError
from compliance_opa.inventory.json_checks import MAX_DEPTH
from compliance_opa.inventory.load import (
    _loads,
    _parse,
    load_inventories,
    load_inventory,
    opa_input,
    resource_locations,
)
from tests.conftest import COMPLIANT, EXAMPLES, VIOLATING, load_example, write_json


@pytest.mark.parametrize("path", [*VIOLATING, COMPLIANT], ids=lambda p: p.name)
def test_examples_are_valid(path: Path) -> None:
    assert load_inventory(path).resources


def _invalid(tmp_path: Path, mutate: Any) -> str:
    document = load_example(COMPLIANT)
    mutate(document)
    with pytest.raises(InputError) as info:
        load_inventory(write_json(tmp_path / "bad.json", document))
    return str(info.value)


def test_unknown_top_level_field(tmp_path: Path) -> None:
    message = _invalid(tmp_path, lambda d: d.update(extra=1))
    assert "schema violation at $:" in message
    assert "'extra' was unexpected" in message


def test_missing_required_field_in_a_resource(tmp_path: Path) -> None:
    message = _invalid(tmp_path, lambda d: d["resources"][3].pop("address"))
    assert "at $.resources[3]: 'address' is a required property" in message


def test_wrong_schema_version(tmp_path: Path) -> None:
    message = _invalid(tmp_path, lambda d: d.update(schema_version="2"))
    assert "at $.schema_version: '1' was expected" in message


def test_bad_timestamp(tmp_path: Path) -> None:
    message = _invalid(tmp_path, lambda d: d.update(collected_at="yesterday"))
    assert "at $.collected_at: 'yesterday' is not a 'date-time'" in message


def test_type_specific_attribute_schema(tmp_path: Path) -> None:
    def mutate(d: Any) -> None:
        d["resources"][2]["attributes"]["ingress"][0]["from_port"] = 70000

    message = _invalid(tmp_path, mutate)
    assert "at $.resources[2].attributes.ingress[0].from_port: 70000 is greater than" in message


def test_first_bad_field_is_reported(tmp_path: Path) -> None:
    def mutate(d: Any) -> None:
        d["resources"][4]["provider"] = "gcp"
        d["resources"][1]["type"] = "Not-A-Type"

    assert "at $.resources[1].type" in _invalid(tmp_path, mutate)


def test_long_messages_are_cut_to_one_short_line(tmp_path: Path) -> None:
    message = _invalid(tmp_path, lambda d: d.update(resources="x" * 5000))
    assert len(message) < 300
    assert "\n" not in message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + COMPLIANT.read_bytes())
    assert load_inventory(path).resources


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bin.json"
    path.write_bytes(b"\x80\x81\x00garbage")  # no BOM: read as UTF-8, and not UTF-8
    with pytest.raises(InputError, match=r"bin\.json: not UTF-8 text"):
        load_inventory(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": NaN}', "NaN is not valid JSON"),
        ('{"a": -Infinity}', "-Infinity is not valid JSON"),
        ('{"a": 1e400}', "number 1e400 is out of range"),
        (
            '{"a": ' + "9" * 5000 + "}",
            "unusable JSON number (Exceeds the limit (4300 digits) for integer string conversion)",
        ),
        ('{"a": 1, "a": 2}', "duplicate key 'a' in one object"),
        ('{"a": {"b": ["ok", "\\ud800"]}}', "string at $.a.b[1] holds a lone surrogate (\\ud800)"),
    ],
    ids=["nan", "infinity", "overflow", "long-int", "duplicate-key", "lone-surrogate"],
)
def test_json_that_parses_but_cannot_be_trusted(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_inventory(path)
    assert str(info.value) == f"{path}: {expected}"


def test_duplicate_attribute_cannot_flip_a_result(tmp_path: Path) -> None:
    text = COMPLIANT.read_text().replace(
        '"storage_encrypted": true,', '"storage_encrypted": false, "storage_encrypted": true,'
    )
    path = tmp_path / "dup.json"
    path.write_text(text)
    with pytest.raises(InputError, match="duplicate key 'storage_encrypted'"):
        load_inventory(path)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": ":x", "b": 1, "b": 2}',  # a value starting with a colon
        '{"a" : 1, "a": 2}',  # a space before a colon
        '{"k\\\\": 1, "k\\\\": 2}',  # keys ending in an escaped backslash
        '{"k\\\\": 1, "a": 1, "a": 2}',  # one key miscounted, one repeated
        '{"p": "{\\"x\\":1}", "q": 1, "q": 2}',  # JSON inside a string
        '{"o": {":": 1, ":": 2}}',  # a key that is a colon
    ],
)
def test_repeated_keys_are_found_whatever_the_text_looks_like(tmp_path: Path, text: str) -> None:
    path = tmp_path / "dup.json"
    path.write_text(text)
    with pytest.raises(InputError, match="duplicate key"):
        load_inventory(path)


_KEYS = st.text(alphabet=st.sampled_from(["a", ":", '"', "\\", " ", "{", ","]), max_size=3)


@st.composite
def _json_texts(draw: st.DrawFn, depth: int = 0) -> str:
    """JSON text of objects whose keys may repeat, with any spacing around colons."""
    pairs = draw(st.lists(st.tuples(_KEYS, st.integers(0, 2)), max_size=4))
    colon = draw(st.sampled_from([":", ": ", " :", "\n:\t"]))
    members = []
    for key, kind in pairs:
        if kind == 2 and depth < 3:
            value = draw(_json_texts(depth + 1))
        else:
            value = json.dumps(draw(st.one_of(st.integers(), _KEYS)))
        members.append(json.dumps(key) + colon + value)
    return "{" + ",".join(members) + "}"


@given(text=_json_texts())
@settings(max_examples=300, deadline=None)
def test_fast_parse_agrees_with_the_exact_one(text: str) -> None:
    """The parse that counts keys from the text refuses exactly what the key-by-key
    parse refuses, and otherwise returns the same document."""
    path = Path("t.json")
    try:
        exact = _loads(path, text, exact=True)
    except InputError as refused:
        with pytest.raises(InputError) as info:
            _parse(path, text.encode())
        assert str(info.value) == str(refused)
        return
    assert _parse(path, text.encode()) == exact


def test_devices_and_fifos_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    # No writer: a plain open() would block here forever.
    with pytest.raises(InputError, match=r"fifo\.json: not a regular file"):
        load_inventory(fifo)
    with pytest.raises(InputError, match="/dev/zero: not a regular file"):
        load_inventory(Path("/dev/zero"))


def test_total_size_limit_counts_every_input() -> None:
    sizes = [p.stat().st_size for p in VIOLATING]
    load_inventories(VIOLATING, sum(sizes))
    with pytest.raises(InputError, match="over the input limit"):
        load_inventories(VIOLATING, sum(sizes) - 1)


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory holds no"):
        load_inventories([tmp_path])


def test_depth_limit_is_exact(tmp_path: Path) -> None:
    def nested(depth: int) -> Any:
        value: Any = 1
        for _ in range(depth):
            value = [value]
        return value

    # Envelope(1) resources(2) resource(3) attributes(4) extra(5...)
    document = load_example(COMPLIANT)
    document["resources"][0]["attributes"]["extra"] = nested(MAX_DEPTH - 4)
    load_inventory(write_json(tmp_path / "ok.json", document))
    document["resources"][0]["attributes"]["extra"] = nested(MAX_DEPTH - 3)
    with pytest.raises(InputError, match="nested deeper"):
        load_inventory(write_json(tmp_path / "deep.json", document))


def test_resource_locations_point_at_each_address_key(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    first, second = document["resources"][0], document["resources"][1]
    second["address"] = "arn:aws:s3:::données-été"
    first["attributes"]["kms_key_id"] = second["address"]  # a mention before the key
    lines = json.dumps(document, indent=1, ensure_ascii=False).splitlines()
    path = tmp_path / "loc.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    locations = resource_locations(load_inventory(path))
    expected = next(i for i, line in enumerate(lines, 1) if '"address": "arn:aws:s3:::don' in line)
    assert locations[second["address"]] == (str(path), expected)
    first_line = next(i for i, line in enumerate(lines, 1) if first["address"] in line)
    assert locations[first["address"]][1] == first_line


def test_opa_input_merges_every_inventory() -> None:
    merged = opa_input(load_inventories(VIOLATING))
    assert merged["schema_version"] == "1"
    assert len(merged["resources"]) == 11
    assert len(merged["sources"]) == 4


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=_json)
def test_any_json_is_accepted_or_refused_with_an_input_error(tmp_path: Path, document: Any) -> None:
    path = write_json(tmp_path / "fuzz.json", document)
    try:
        load_inventory(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
        assert "\n" not in str(exc)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_are_accepted_or_refused_with_an_input_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.json"
    path.write_bytes(raw)
    try:
        load_inventory(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attributes=st.dictionaries(
        st.sampled_from(
            ["storage_encrypted", "publicly_accessible", "backup_retention_period", "kms_key_id"]
        ),
        _json,
    )
)
def test_fuzzed_resource_attributes(tmp_path: Path, attributes: dict[str, Any]) -> None:
    document = json.loads(EXAMPLES.joinpath("compliant/hardened.json").read_text())
    document["resources"][0]["attributes"] = attributes
    path = write_json(tmp_path / "fuzz.json", document)
    try:
        load_inventory(path)
    except InputError as exc:
        # Either the schema names the attribute, or the parser names what it refused.
        message = str(exc)
        assert "$.resources[0].attributes" in message or "is not valid JSON" in message


def test_integral_floats_become_integers(tmp_path: Path) -> None:
    text = COMPLIANT.read_text().replace('"line_number": 1', '"line_number": 1.0')
    path = tmp_path / "float.json"
    path.write_text(text)
    hba = load_inventory(path).resources[-1]["attributes"]
    assert hba["line_number"] == 1
    assert isinstance(hba["line_number"], int)
