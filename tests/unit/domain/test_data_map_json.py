"""data_map_json: as_dict/from_dict round trip exactly; the state codec keeps the map and
reads a scan stored before the map existed with an empty one."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_opa.domain.data_map import (
    CLASSES,
    ClassifiedColumn,
    Connected,
    DataMap,
    DataStore,
    Protection,
    Reach,
)
from compliance_opa.domain.data_map_json import as_dict, from_dict
from compliance_opa.errors import EngineError
from compliance_opa.state import report_codec
from tests import report_builder as rb

_text = st.text(max_size=12)
_opt_text = st.none() | _text
_opt_bool = st.none() | st.booleans()
_class = st.sampled_from(tuple(CLASSES))

_columns = st.builds(
    ClassifiedColumn,
    name=_text,
    classification=st.sampled_from(("pii", "email", "phone", "national_id", "phi", "pci", "pan")),
    data_class=_class,
    classified_by=st.sampled_from(("comment", "sample", "name", "none")),
    detector=_opt_text,
    confidence=st.none() | st.floats(0, 1, allow_nan=False),
    matched=st.none() | st.integers(0, 10_000),
    sampled=st.none() | st.integers(0, 10_000),
    encrypted=_opt_bool,
)
_stores = st.builds(
    DataStore,
    address=_text,
    type=_text,
    kind=_text,
    name=_text,
    system=_text,
    data_classes=st.lists(_class, unique=True).map(tuple),
    account=_opt_text,
    region=_opt_text,
    region_allowed=_opt_bool,
    owner=_opt_text,
    environment=_opt_text,
    columns=st.lists(_columns, max_size=3).map(tuple),
    protection=st.builds(
        Protection,
        encrypted_at_rest=_opt_bool,
        at_rest_key=st.none() | st.sampled_from(("customer", "aws")),
        encrypted_in_transit=_opt_bool,
        backup=_opt_bool,
        backup_detail=_text,
    ),
    reach=st.builds(
        Reach,
        public=_opt_bool,
        internet_exposed=_opt_bool,
        public_grants=st.lists(_text, max_size=3).map(tuple),
        roles=st.lists(_text, max_size=3).map(tuple),
    ),
    open_findings=st.lists(st.tuples(_text, _text), max_size=3).map(tuple),
    cde=st.booleans(),
)
_maps = st.builds(
    DataMap,
    stores=st.lists(_stores, max_size=3).map(tuple),
    cde=st.lists(st.builds(Connected, _text, _text, _text, _text), max_size=3).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(_maps)
def test_round_trip_through_json_text(data_map: DataMap) -> None:
    text = json.dumps(as_dict(data_map))
    assert from_dict(json.loads(text)) == data_map


def _sample() -> DataMap:
    return DataMap(
        stores=(
            DataStore(
                address="postgresql://db:5432/shop/public/cards",
                type="postgresql_table",
                kind="table",
                name="shop.public.cards",
                system="postgresql://db:5432",
                data_classes=("pii", "pci"),
                columns=(
                    ClassifiedColumn(
                        "pan", "pan", "pci", "sample", "card_number", 0.9, 9, 10, False
                    ),
                ),
                protection=Protection(encrypted_in_transit=True),
                reach=Reach(public_grants=("SELECT",), roles=("app",)),
                open_findings=(("PG-TBL-001", "high"),),
                cde=True,
            ),
        ),
        cde=(
            Connected(
                "postgresql://db:5432?role=app",
                "postgresql_role",
                "role with access to",
                "postgresql://db:5432/shop/public/cards",
            ),
        ),
    )


def test_nulls_stay_null_and_nothing_else_is_written() -> None:
    d = as_dict(_sample())
    store = d["stores"][0]
    assert store["region_allowed"] is None
    assert store["protection"]["encrypted_at_rest"] is None
    assert set(store["columns"][0]) == {
        "name", "classification", "data_class", "classified_by", "detector", "confidence",
        "matched", "sampled", "encrypted",
    }  # fmt: skip
    assert d["cde"][0]["relation"] == "role with access to"


def test_codec_keeps_the_map_with_the_scan() -> None:
    report = replace(rb.report({"X-1": ["a"]}), data_map=_sample())
    loaded = report_codec.loads(report_codec.dumps(report))
    assert loaded.data_map == _sample()


def test_scan_stored_before_the_map_loads_with_an_empty_one() -> None:
    report = rb.report({"X-1": ["a"]})
    stored = json.loads(report_codec.dumps(report))
    assert stored["data_map"] == {"stores": [], "cde": []}  # kept even when empty
    del stored["data_map"]  # as a scan stored before data maps
    assert report_codec.loads(json.dumps(stored)).data_map == DataMap()


def test_codec_refuses_a_broken_map_in_one_line() -> None:
    stored = json.loads(report_codec.dumps(replace(rb.report({}), data_map=_sample())))
    del stored["data_map"]["stores"][0]["system"]
    with pytest.raises(EngineError, match="stored scan cannot be read") as caught:
        report_codec.loads(json.dumps(stored))
    assert "\n" not in str(caught.value)
