"""Plans read as they stream (resource changes one at a time, the configuration alone, the
rest checked and dropped): the same inventory, digest, origins and lines as the
whole-document loader, and the same one-line errors on hostile input."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.errors import InputError
from compliance_opa.inventory import stream as plan_stream
from compliance_opa.inventory.load import Inventory, _load_whole, load_inventory, resource_locations
from tests.conftest import REPO

FIXTURES = sorted((REPO / "tests" / "fixtures" / "terraform-plans").glob("*.json"))


def _comparable(inventory: Inventory) -> dict[str, Any]:
    document = dict(inventory.document)
    document.pop("collected_at")  # now, for a plan without a timestamp: compared below
    return document


def _same_as_whole(path: Path, *, streamed: bool = True) -> Inventory:
    inventory = load_inventory(path, 1 << 30)
    whole = _load_whole(path, 1 << 30)
    assert (inventory.lines is not None) is streamed, "not read the expected way"
    assert _comparable(inventory) == _comparable(whole)
    assert inventory.resources == whole.resources
    assert inventory.origins == whole.origins
    assert inventory.digest == whole.digest
    assert inventory.size == whole.size
    assert inventory.sensitive() == whole.sensitive()
    assert resource_locations(inventory) == resource_locations(whole)
    return inventory


def _plan() -> dict[str, Any]:
    after = {"bucket": "logs", "tags": {"Name": "logs"}}
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {
            "root_module": {
                "resources": [
                    {"address": "aws_s3_bucket.logs", "type": "aws_s3_bucket", "values": after}
                ],
                "child_modules": [{"address": "module.app", "resources": []}],
            }
        },
        "resource_changes": [
            {
                "address": "aws_s3_bucket.logs",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "logs",
                "change": {"actions": ["create"], "before": None, "after": after},
            },
            {
                "address": "aws_s3_bucket_versioning.logs",
                "mode": "managed",
                "type": "aws_s3_bucket_versioning",
                "name": "logs",
                "change": {
                    "actions": ["create"],
                    "after": {"versioning_configuration": [{"status": "Enabled"}]},
                    "after_unknown": {"bucket": True},
                },
            },
        ],
        "prior_state": {"values": {"root_module": {"resources": [{"address": "x.y"}]}}},
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}
            },
            "root_module": {
                "resources": [
                    {
                        "address": "aws_s3_bucket_versioning.logs",
                        "expressions": {"bucket": {"references": ["aws_s3_bucket.logs.id"]}},
                    }
                ]
            },
        },
        "timestamp": "2024-01-02T03:04:05Z",
    }


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name[:60])
def test_real_plans_read_as_they_stream_give_the_whole_loaders_inventory(path: Path) -> None:
    try:
        whole = _load_whole(path, 1 << 30)
    except InputError as exc:  # the same error, the same words
        with pytest.raises(InputError) as streamed_error:
            load_inventory(path, 1 << 30)
        assert str(streamed_error.value) == str(exc)
        return
    raw = path.read_bytes()
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    keys = json.loads(raw.decode("utf-16" if utf16 else "utf-8-sig"))
    # UTF-16 and plans of planned values only are read whole.
    _same_as_whole(path, streamed=not utf16 and "resource_changes" in keys)
    assert whole.document["sources"][0]["kind"] == "terraform_plan"


@pytest.mark.parametrize("block", [1, 3, 64, 4096])
@pytest.mark.parametrize("indent", [None, 2])
def test_any_layout_and_block_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, indent: int | None
) -> None:
    monkeypatch.setattr(plan_stream, "BLOCK", block)
    text = json.dumps(_plan(), indent=indent, ensure_ascii=False).replace("logs", "lögs €")
    path = tmp_path / "plan.json"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    inventory = _same_as_whole(path)
    assert [r["attributes"]["versioning"] for r in inventory.resources] == [{"status": "Enabled"}]


def test_an_address_is_located_where_the_file_first_has_it(tmp_path: Path) -> None:
    """Planned values come first in this layout: the bucket's line is theirs."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan(), indent=1))
    inventory = _same_as_whole(path)
    line = resource_locations(inventory)["aws_s3_bucket.logs"][1]
    text = path.read_text().splitlines()
    assert '"address": "aws_s3_bucket.logs"' in text[line - 1]
    assert line < next(i for i, t in enumerate(text) if "resource_changes" in t)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        # A repeated key where the streaming reader walks, and deep inside a change.
        (lambda t: t.replace('"child_modules": [', '"x": 1, "x": 2, "child_modules": ['), "'x'"),
        (lambda t: t.replace('"bucket": "logs"', '"bucket": "logs", "bucket": "b"', 1), "bucket"),
        # A lone surrogate in a walked key, and in a change.
        (lambda t: t.replace('"terraform_version"', '"\\ud800"'), "lone surrogate"),
        (lambda t: t.replace('"name": "logs"', '"name": "\\udfff"', 1), "lone surrogate"),
        # Invalid JSON after a change the adapter refuses: the JSON error is named.
        (lambda t: t.replace('"mode": "managed"', '"mode": 7', 1) + " x", "invalid JSON"),
        (lambda t: t.replace('"format_version": "1.2"', '"format_version": "9.0"'), "9.0"),
        (lambda t: t.replace('"mode": "managed"', '"mode": 7', 1), "$.resource_changes[0].mode"),
        (
            lambda t: t.replace(
                '"configuration": {', '"configuration": {"a": ' + "[" * 600 + "]" * 600 + ", "
            ),
            "nested deeper",
        ),
        (lambda t: t.replace('"timestamp": "2024', '"timestamp": "2999'), "in the future"),
        (lambda t: t.replace('"x.y"', "NaN"), "NaN is not valid JSON"),
    ],
)
def test_hostile_plans_get_the_whole_loaders_one_line_error(
    tmp_path: Path, edit: Any, words: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(edit(json.dumps(_plan())))
    with pytest.raises(InputError) as whole:
        _load_whole(path, 1 << 30)
    with pytest.raises(InputError) as streamed:
        load_inventory(path, 1 << 30)
    assert str(streamed.value) == str(whole.value)
    assert words in str(streamed.value)
    assert "\n" not in str(streamed.value)


def test_the_changes_text_is_let_go_as_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan()))
    with path.open("rb") as handle:
        plan = plan_stream.read_plan_stream(path, handle, 1 << 30)
    assert len(plan.changes) == 2
    assert "planned_values" not in plan.document
    assert "prior_state" not in plan.document
    assert set(plan.document) == {"format_version", "timestamp", "configuration"}
    parsed = list(plan.parsed_changes())
    assert [c["address"] for c in parsed] == ["aws_s3_bucket.logs", "aws_s3_bucket_versioning.logs"]
    assert plan.changes == ["", ""]
