"""Snapshots read resource by resource: the same inventory the whole-document loader
gives, whatever the layout, encoding or block boundaries, without holding the resources."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance_opa.errors import InputError
from compliance_opa.inventory import stream as snapshot_stream
from compliance_opa.inventory.load import (
    Inventory,
    _load_whole,
    load_inventory,
    resource_locations,
)
from tests.conftest import COMPLIANT, EXAMPLES, VIOLATING, load_example, write_json

LIBRARY = sorted((EXAMPLES / "library").glob("*.json"))


def _same_as_whole(path: Path) -> Inventory:
    """Load ``path`` both ways and compare everything the scan reads of an inventory."""
    streamed = load_inventory(path)
    whole = _load_whole(path, 1 << 30)
    assert streamed.streamed is not None, "the snapshot was not streamed"
    assert "resources" not in streamed.document  # not held
    assert streamed.document == {k: v for k, v in whole.document.items() if k != "resources"}
    assert streamed.resources == whole.resources
    assert streamed.addresses() == whole.addresses()
    assert streamed.size == whole.size
    assert streamed.digest == whole.digest
    assert streamed.sensitive() == whole.sensitive()
    assert resource_locations(streamed) == resource_locations(whole)
    sent = [orjson.loads(e) for e in streamed.encoded_resources()]
    assert sent == [orjson.loads(e) for e in whole.encoded_resources()]
    wanted = set(whole.addresses()[::2])
    assert list(streamed.resources_at(wanted)) == list(whole.resources_at(wanted))
    return streamed


@pytest.mark.parametrize("path", [*VIOLATING, COMPLIANT, *LIBRARY], ids=lambda p: p.name)
def test_examples_stream_to_the_same_inventory(path: Path) -> None:
    _same_as_whole(path)


@pytest.mark.parametrize("block", [1, 2, 7, 64, 4096])
def test_block_boundaries_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """Values, numbers, multi-byte characters and the BOM split across reads."""
    monkeypatch.setattr(snapshot_stream, "BLOCK", block)
    document = load_example(VIOLATING[0])
    document["resources"][0]["tags"] = {"équipe": "données €", "emoji": "🔒", "n": "x"}
    document["resources"][1]["attributes"]["backup_retention_period"] = 1234567
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path = tmp_path / "split.json"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    _same_as_whole(path)


def test_layouts_and_key_orders(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    reordered = {"resources": document["resources"], **document}  # resources first
    for index, layout in enumerate([None, 1, "\t"]):
        text = json.dumps(reordered, indent=layout, separators=None if layout else (",", ":"))
        path = tmp_path / f"layout{index}.json"
        path.write_text(" \n" + text + "\n\n")
        _same_as_whole(path)


def test_an_empty_resource_list(tmp_path: Path) -> None:
    document = load_example(COMPLIANT)
    document["resources"] = []
    inventory = _same_as_whole(write_json(tmp_path / "empty.json", document))
    assert inventory.addresses() == []


def test_integral_floats_are_sent_as_integers(tmp_path: Path) -> None:
    """A resource spelling 30.0 is sent as the whole-document loader would parse it (30),
    not as written; the other resources go as the file spells them."""
    document = load_example(VIOLATING[0])
    text = json.dumps(document, indent=1)
    retention = '"backup_retention_period": 7'
    assert retention in text
    path = tmp_path / "float.json"
    path.write_text(text.replace(retention, '"backup_retention_period": 7.0', 1))
    inventory = _same_as_whole(path)
    assert inventory.streamed is not None
    normalised = [e for e in inventory.streamed.entries if e.normalised]
    assert len(normalised) == 1
    sent = b"\n".join(inventory.encoded_resources())
    assert b"7.0" not in sent
    assert b'"backup_retention_period":7' in sent


@pytest.mark.parametrize(
    ("spelled", "streamed"),
    [
        (lambda t: t, True),
        (
            lambda t: t.replace('"schema_version"', '"format_version": "1.2", "schema_version"'),
            False,
        ),
        (lambda t: t.replace('"storage_encrypted": true', '"storage_encrypted": NaN'), False),
        (lambda t: t.replace('"storage_encrypted": true', '"storage_encrypted": "\\ud800"'), False),
    ],
)
def test_what_the_stream_leaves_to_the_whole_loader(
    tmp_path: Path, spelled: Any, streamed: bool
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(spelled(COMPLIANT.read_text()))
    try:
        inventory = load_inventory(path)
    except InputError as refused:
        assert not streamed
        with pytest.raises(InputError) as info:
            _load_whole(path, 1 << 30)
        assert str(info.value) == str(refused)  # worded by the whole loader, as before
        return
    assert (inventory.streamed is not None) == streamed


def test_a_plan_and_utf16_are_loaded_whole(tmp_path: Path) -> None:
    path = tmp_path / "utf16.json"
    path.write_bytes(COMPLIANT.read_text().encode("utf-16"))
    inventory = load_inventory(path)
    assert inventory.streamed is None
    assert inventory.resources == load_inventory(COMPLIANT).resources


def test_a_snapshot_changed_after_loading_is_refused(tmp_path: Path) -> None:
    path = write_json(tmp_path / "moving.json", load_example(VIOLATING[0]))
    inventory = load_inventory(path)
    text = path.read_text()
    path.write_text(text.replace("true", "false", 1))  # same size, other content
    os.utime(path, ns=(0, 0))
    with pytest.raises(InputError, match=r"moving\.json: changed while it was being scanned"):
        list(inventory.encoded_resources())
    with pytest.raises(InputError, match=r"moving\.json: changed while it was being scanned"):
        list(inventory.resources_at({inventory.addresses()[0]}))


def test_a_snapshot_rewritten_in_place_is_refused_after_the_last_resource(
    tmp_path: Path,
) -> None:
    """Same size and time stamp, other bytes: the digest of what was sent tells."""
    path = write_json(tmp_path / "inplace.json", load_example(VIOLATING[0]))
    inventory = load_inventory(path)
    before = os.stat(path)
    text = path.read_text()
    path.write_text(text.replace("true", "fals0", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(InputError, match="changed while it was being scanned"):
        list(inventory.encoded_resources())


_SPACES = st.sampled_from(["", " ", "\n", "\t ", "\r\n"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spaces=st.lists(_SPACES, min_size=8, max_size=8),
    block=st.integers(1, 300),
    tag=st.text(max_size=12),
)
def test_any_spacing_and_block_size_give_the_whole_loaders_inventory(
    tmp_path: Path, spaces: list[str], block: int, tag: str
) -> None:
    document = load_example(VIOLATING[1])
    document["resources"][0]["tags"] = {"t": tag}
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    # Whitespace between the tokens of the outer object and the resource list.
    text = spaces[0] + text + spaces[1]
    resources = '"resources"' + spaces[2] + ":" + spaces[3] + "[" + spaces[4]
    text = text.replace('"resources":[', resources, 1)
    text = text.replace("},{", "}" + spaces[5] + "," + spaces[6] + "{")
    text = text.replace("}]", "}" + spaces[7] + "]")
    path = tmp_path / "spaced.json"
    path.write_text(text, encoding="utf-8")
    whole = _load_whole(path, 1 << 30)
    original = snapshot_stream.BLOCK
    snapshot_stream.BLOCK = block
    try:
        streamed = load_inventory(path)
    finally:
        snapshot_stream.BLOCK = original
    assert streamed.streamed is not None
    assert streamed.resources == whole.resources
    assert resource_locations(streamed) == resource_locations(whole)
    assert [orjson.loads(e) for e in streamed.encoded_resources()] == whole.resources


def test_floats_reach_opa_as_the_whole_loader_parses_them(tmp_path: Path) -> None:
    """More digits than a double holds are rounded as the whole-document loader rounds
    them (OPA compares numbers exactly: 0.30000000000000000001 >= 0.3 would flip)."""
    document = load_example(VIOLATING[0])
    document["resources"][0]["attributes"]["ratio"] = "RATIO"
    document["resources"][0]["attributes"]["big"] = "BIG"
    text = json.dumps(document, indent=1)
    text = text.replace('"RATIO"', "0.30000000000000000001").replace('"BIG"', "9007199254740993.0")
    path = tmp_path / "precise.json"
    path.write_text(text)
    inventory = _same_as_whole(path)
    (sent, *_) = [orjson.loads(e) for e in inventory.encoded_resources()]
    assert sent["attributes"]["ratio"] == 0.3
    assert sent["attributes"]["big"] == 9007199254740992


def test_the_whole_loader_words_what_comes_first_in_the_file(tmp_path: Path) -> None:
    """A resource nested too deep and then broken JSON: the reader stops at the depth, but
    the error is the whole loader's, which names the first thing wrong as before."""
    document = load_example(COMPLIANT)
    deep: Any = 1
    for _ in range(70):
        deep = [deep]
    document["resources"][0]["attributes"]["extra"] = deep
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(document) + " trailing")
    with pytest.raises(InputError, match=r"deep\.json: invalid JSON at line 1 column \d+: Extra"):
        load_inventory(path)


def test_a_resource_larger_than_many_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_stream, "BLOCK", 4096)
    document = load_example(COMPLIANT)
    document["resources"][0]["tags"] = {f"k{i}": "v" * 50 for i in range(5000)}
    _same_as_whole(write_json(tmp_path / "large.json", document))
