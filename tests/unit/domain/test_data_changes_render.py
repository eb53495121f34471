"""A data change as every channel and the drift sections show it: the Slack message,
the e-mail, the webhook body, the PagerDuty event, a ticket, the Markdown and JSON drift
sections, with estate text escaped."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from compliance_opa.alerts.email import body, subject
from compliance_opa.alerts.pagerduty import pagerduty_event
from compliance_opa.alerts.planning import data_change_event
from compliance_opa.alerts.slack import slack_message
from compliance_opa.alerts.tickets import Found, handle
from compliance_opa.alerts.webhook import webhook_body
from compliance_opa.domain.changes import Drift
from compliance_opa.domain.data_changes import DataChange, changes
from compliance_opa.domain.data_map import ClassifiedColumn, DataMap, DataStore
from compliance_opa.reports import json_report, markdown
from compliance_opa.state.store import open_store
from tests.report_builder import report
from tests.unit.alerts.test_tickets import FakeTracker

HOSTILE_NAME = "cards|*x*<b>`[a](javascript:1)`"


def change(name: str = "cards") -> DataChange:
    pan = ClassifiedColumn("card_number", "pan", "pci", "name")
    store = DataStore(
        address=f"postgresql://db:5432/shop/public/{name}",
        type="postgresql_table",
        kind="table",
        name=name,
        system="postgresql://db:5432",
        data_classes=("pii", "pci"),
        columns=(pan,),
    )
    before = DataMap(stores=(replace(store, data_classes=("pii",), columns=()),))
    (found,) = changes(before, DataMap(stores=(store,)), lambda address: False)
    return found


def test_slack_lists_data_changes_with_their_own_headline() -> None:
    event = data_change_event("prod", "s2", "2026-12-07T00:00:00Z", change(HOSTILE_NAME), ())
    message = slack_message([event])
    assert message["text"] == "opa-comply: 1 data store change in scope prod"
    text = json.dumps(message["blocks"])
    assert "DATA-CLASSIFIED" in text
    assert "<b>" not in text  # mrkdwn control characters escaped
    assert "&lt;b&gt;" in text


def test_email_has_a_data_changes_section() -> None:
    event = data_change_event("prod", "s2", "t", change(), ())
    assert subject([event]) == "opa-comply: 1 data store change (highest: high) in prod"
    text = body([event])
    assert "Data store changes (1)" in text
    assert "card (pci) data appeared on data store" in text
    assert "card_number (name)" in text


def test_webhook_and_pagerduty() -> None:
    event = data_change_event("prod", "s2", "t", change(), ("pci_dss",))
    sent = json.loads(webhook_body(event))
    assert sent["event"] == "data_store.changed"
    assert sent["finding"]["controls"] == {"pci_dss": ["12.5.2"]}
    page = pagerduty_event(event, "key")
    assert page["event_action"] == "trigger"
    assert page["dedup_key"] == event.dedup_key
    assert page["payload"]["class"] == "DATA-CLASSIFIED"


def test_a_ticket_channel_opens_a_ticket_for_a_data_change(tmp_path: Path) -> None:
    event = data_change_event("prod", "s2", "t", change(), ())
    with open_store(str(tmp_path / "state.db")) as store:
        tracker = FakeTracker()
        handle(tracker, store, "t", event)
        handle(tracker, store, "t", event)  # a redelivery: the store knows the ticket
        assert [c for c, _ in tracker.calls] == ["find", "create"]
        closed = FakeTracker(Found("SEC-4", open=False))  # the same change again, later
        handle(closed, store, "u", replace(event, scan_id="s5"))
        assert [c for c, _ in closed.calls] == ["find", "reopen", "comment"]


def test_markdown_and_json_drift_sections_escape_estate_text() -> None:
    drift = Drift("scan-1", (), (), (), (), (), data_changes=(change(HOSTILE_NAME),))
    shown = replace(report({}, []), drift=drift, scope="prod")
    text = markdown.render(shown)
    assert "Data stores that became classified, moved region or lost encryption (1):" in text
    line = next(x for x in text.splitlines() if "DATA-CLASSIFIED" in x)
    assert "<b>" not in line
    assert "|*x*" not in line
    assert "[a](javascript" not in line  # the brackets are escaped: no link
    document = json.loads(json_report.render(shown))
    (entry,) = document["drift"]["data_changes"]
    assert entry["name"] == HOSTILE_NAME
    assert entry["columns"] == ["card_number (name)"]


def test_no_data_changes_leaves_the_drift_sections_as_they_were() -> None:
    drift = Drift("scan-1", (), (), (), (), ())
    shown = replace(report({}, []), drift=drift, scope="prod")
    assert "Data stores that became" not in markdown.render(shown)
    assert "data_changes" not in json.loads(json_report.render(shown))["drift"]
