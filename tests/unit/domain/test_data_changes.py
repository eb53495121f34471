"""Data store changes between two drift scans, and the alerts they become."""

from __future__ import annotations

from dataclasses import replace

from compliance_opa.alerts.planning import data_change_event, plan_alerts
from compliance_opa.alerts.rules import Rule
from compliance_opa.domain.data_changes import (
    DataChange,
    as_dict,
    changes,
    from_dict,
    gone_from,
)
from compliance_opa.domain.data_map import ClassifiedColumn, DataMap, DataStore, Protection
from tests.report_builder import report

BUCKET = "arn:aws:s3:::cards"


def store(
    address: str = BUCKET,
    classes: tuple[str, ...] = ("pci",),
    region: str | None = "eu-west-1",
    at_rest: bool | None = True,
    in_transit: bool | None = True,
    name: str = "cards",
    type_: str = "aws_s3_bucket",
    columns: tuple[ClassifiedColumn, ...] = (),
) -> DataStore:
    return DataStore(
        address=address,
        type=type_,
        kind="bucket",
        name=name,
        system="aws:111111111111",
        data_classes=classes,
        account="111111111111",
        region=region,
        columns=columns,
        protection=Protection(encrypted_at_rest=at_rest, encrypted_in_transit=in_transit),
    )


def never_gone(address: str) -> bool:
    return False


def always_gone(address: str) -> bool:
    return True


def test_same_map_no_changes() -> None:
    m = DataMap(stores=(store(),))
    assert changes(m, m, always_gone) == ()


def test_a_new_store_holding_a_class_is_classified() -> None:
    now = DataMap(stores=(store(classes=("pii", "pci")),))
    (change,) = changes(DataMap(), now, never_gone)
    assert change.kind == "classified"
    assert change.new_store
    assert change.data_classes == ("pii", "pci")
    assert change.check_id == "DATA-CLASSIFIED"
    assert "a new data store" in change.describe()


def test_a_class_appearing_on_a_table_names_the_column_never_a_value() -> None:
    pan = ClassifiedColumn("card_no", "pan", "pci", "name")
    before = DataMap(stores=(store("pg://t", classes=("pii",), type_="postgresql_table"),))
    now = DataMap(
        stores=(store("pg://t", classes=("pii", "pci"), type_="postgresql_table", columns=(pan,)),)
    )
    (change,) = changes(before, now, never_gone)
    assert (change.kind, change.data_classes, change.before) == ("classified", ("pci",), "pii")
    assert change.columns == ("card_no (name)",)
    assert "card_no (name)" in change.describe()


def test_losing_a_class_is_not_a_change() -> None:
    before = DataMap(stores=(store(classes=("pii", "pci")),))
    assert changes(before, DataMap(stores=(store(classes=("pci",)),)), always_gone) == ()


def test_same_address_in_another_region_moved() -> None:
    before = DataMap(stores=(store(),))
    (change,) = changes(before, DataMap(stores=(store(region="us-east-1"),)), never_gone)
    assert (change.kind, change.before, change.after) == ("region", "eu-west-1", "us-east-1")
    assert change.data_classes == ("pci",)


def test_a_regional_address_gone_from_a_complete_source_reappearing_elsewhere_moved() -> None:
    old, new = "arn:aws:rds:eu-west-1:111:db:cards", "arn:aws:rds:us-east-1:111:db:cards"
    before = DataMap(stores=(store(old, type_="aws_db_instance"),))
    now = DataMap(stores=(store(new, type_="aws_db_instance", region="us-east-1"),))
    (change,) = changes(before, now, always_gone)
    assert (change.kind, change.previous_address, change.address) == ("region", old, new)


def test_an_uncollected_store_is_never_moved() -> None:
    # The old database's source was not collected completely: it may still be there, so
    # the new one is a new card-data store, not a move.
    old, new = "arn:aws:rds:eu-west-1:111:db:cards", "arn:aws:rds:us-east-1:111:db:cards"
    before = DataMap(stores=(store(old, type_="aws_db_instance"),))
    now = DataMap(stores=(store(new, type_="aws_db_instance", region="us-east-1"),))
    (change,) = changes(before, now, never_gone)
    assert change.kind == "classified"
    assert change.new_store


def test_encryption_lost_and_unknown_fails_closed() -> None:
    before = DataMap(stores=(store(),))
    now = DataMap(stores=(store(at_rest=False, in_transit=None),))
    found = changes(before, now, never_gone)
    assert [(c.kind, c.before, c.after) for c in found] == [
        ("encryption_at_rest", "encrypted", "not encrypted"),
        ("encryption_in_transit", "encrypted", "unknown"),
    ]
    assert "treated as lost" in found[1].describe()


def test_unknown_before_is_not_a_loss() -> None:
    before = DataMap(stores=(store(at_rest=None),))
    assert changes(before, DataMap(stores=(store(at_rest=False),)), never_gone) == ()


def test_gone_from_follows_the_recheck_rule() -> None:
    gone = gone_from(["here"], ["111/rds/eu-west-1"], {"a": "111/rds/eu-west-1", "b": "x"}, True)
    assert gone("a")
    assert not gone("b")
    assert not gone("here")
    assert not gone("unknown")
    assert gone_from([], [], {}, False)("unknown")  # no source known: only with no gap


def test_json_round_trip() -> None:
    pan = ClassifiedColumn("card_no", "pan", "pci", "comment")
    before = DataMap(stores=(store(classes=("pii",)),))
    now = DataMap(stores=(store(classes=("pii", "pci"), region="us-east-1", at_rest=None,
                                columns=(pan,)),))  # fmt: skip
    found = changes(before, now, never_gone)
    assert len(found) == 3
    assert tuple(from_dict(as_dict(c)) for c in found) == found


def _change(classes: tuple[str, ...]) -> DataChange:
    return changes(DataMap(), DataMap(stores=(store(classes=classes),)), never_gone)[0]


def test_a_pci_rule_matches_card_data_appearing_and_nothing_else() -> None:
    pci_rule = Rule("cards", ("hook",), {"data_class": ["pci"]})
    rep = replace(report({}, []), frameworks=("pci_dss", "gdpr"))
    plan = plan_alerts(
        "prod", "scan-2", "2026-01-01T00:00:00Z", rep, [pci_rule],
        lambda channel, event: (), {}, None, [_change(("pci",)), _change(("pii",))],
    )  # fmt: skip
    (delivery,) = plan.deliveries
    event = delivery.event
    assert (delivery.channel, event.kind, event.check_id) == (
        "hook",
        "data_change",
        "DATA-CLASSIFIED",
    )
    assert event.data_classes == ["pci"]
    assert event.controls == {"pci_dss": ["12.5.2"]}
    assert event.severity == "high"
    assert plan.opened == ()  # a notice, no episode


def test_the_dedup_key_names_the_store_and_its_new_value() -> None:
    moved = changes(DataMap(stores=(store(),)), DataMap(stores=(store(region="us-east-1"),)),
                    never_gone)[0]  # fmt: skip
    back = changes(DataMap(stores=(store(region="us-east-1"),)), DataMap(stores=(store(),)),
                   never_gone)[0]  # fmt: skip
    a = data_change_event("prod", "s1", "t", moved, ())
    assert a.dedup_key == data_change_event("prod", "s2", "t", moved, ()).dedup_key
    assert a.dedup_key != data_change_event("prod", "s1", "t", back, ()).dedup_key
    assert a.dedup_key != data_change_event("other", "s1", "t", moved, ()).dedup_key


def test_a_severity_rule_and_a_check_glob_match_data_changes() -> None:
    event = data_change_event("prod", "s1", "t", _change(("pii",)), ())
    assert event.severity == "medium"
    assert Rule("r", ("c",), {"check": ["DATA-*"]}).matches_event(event, None)
    assert not Rule("r", ("c",), {"severity": ["high"]}).matches_event(event, None)
    assert Rule("r", ("c",), {}).matches_event(event, None)
