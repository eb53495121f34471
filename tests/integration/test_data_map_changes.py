"""Data store changes between `drift` runs (issue 23), end to end: the real CLI and OPA,
a real SQLite store, a signed webhook on loopback. An example inventory is edited between
runs: a health database gains card data and loses encryption at rest; an alert rule on
`data_class: [pci]` hears of both once, and an identical run sends nothing new."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import yaml

from compliance_opa.alerts.webhook import verify_signature
from tests.conftest import EXAMPLES, CliResult, run_cli
from tests.receivers import HttpReceiver

SECRET = "webhook-secret-for-data-changes"
PATIENTS = "arn:aws:rds:eu-west-1:123456789012:db:patients"
INVOICES = "arn:aws:s3:::acme-invoices"


class Estate:
    def __init__(self, folder: Path, hook: HttpReceiver) -> None:
        self.folder = folder
        self.document: dict[str, Any] = json.loads((EXAMPLES / "aws-production.json").read_text())
        self.config = folder / "opa-comply.yaml"
        self.state = folder / "state.db"
        self.config.write_text(
            yaml.safe_dump(
                {
                    "drift": {"scope": "production"},
                    "alerts": {
                        "channels": {
                            "cards": {
                                "type": "webhook",
                                "url": f"{hook.url}/hook",
                                "secret_env": "HOOK_KEY",
                            }
                        },
                        "rules": [
                            {
                                "name": "card data",
                                "match": {"data_class": ["pci"], "check": ["DATA-*"]},
                                "channels": ["cards"],
                            }
                        ],
                        "delivery": {"backoff_seconds": 0.2, "max_wait_seconds": 10},
                    },
                }
            )
        )
        self.write()

    @property
    def snapshot(self) -> Path:
        return self.folder / "estate.json"

    def write(self) -> None:
        self.snapshot.write_text(json.dumps(self.document))

    def resource(self, address: str) -> dict[str, Any]:
        return next(r for r in self.document["resources"] if r["address"] == address)

    def drift(self, *extra: str) -> CliResult:
        result = run_cli(
            "drift", self.snapshot, "--config", self.config, "--state", self.state,
            "--format", "json", "--fail-on", "none", *extra,
            env={"HOOK_KEY": SECRET},
        )  # fmt: skip
        assert result.code == 0, result.stderr
        return result

    def outbox_kinds(self) -> list[str]:
        with sqlite3.connect(self.state) as db:
            return [str(k) for (k,) in db.execute("SELECT kind FROM outbox ORDER BY seq")]


def data_changes(result: CliResult) -> list[dict[str, Any]]:
    return list(result.json()["drift"].get("data_changes", []))


def test_a_store_gaining_card_data_and_losing_encryption_alerts_once(tmp_path: Path) -> None:
    with HttpReceiver() as hook:
        estate = Estate(tmp_path, hook)
        first = estate.drift()
        assert data_changes(first) == []  # the first scan of a scope is the starting point
        assert hook.requests == []  # the rule takes data changes only (check DATA-*)

        patients = estate.resource(PATIENTS)
        patients["data_classes"] = ["phi", "pci"]
        patients["attributes"]["storage_encrypted"] = False
        patients["attributes"]["kms_key_id"] = None
        estate.write()
        second = estate.drift()
        found = {(c["kind"], c["address"]): c for c in data_changes(second)}
        assert set(found) == {("classified", PATIENTS), ("encryption_at_rest", PATIENTS)}
        assert found[("classified", PATIENTS)]["data_classes"] == ["pci"]
        assert found[("encryption_at_rest", PATIENTS)]["before"] == "encrypted"
        assert found[("encryption_at_rest", PATIENTS)]["after"] == "not encrypted"

        requests = hook.requests
        assert len(requests) == 2
        for request in requests:
            stamp = request.headers["x-opa-comply-timestamp"]
            signature = request.headers["x-opa-comply-signature"]
            assert verify_signature(SECRET, stamp, request.body, signature)
            assert request.json["event"] == "data_store.changed"
            assert request.json["finding"]["kind"] == "data_change"
            assert request.json["finding"]["resource"] == PATIENTS
        events = {r.json["finding"]["check_id"]: r.json["finding"] for r in requests}
        assert set(events) == {"DATA-CLASSIFIED", "DATA-ENCRYPTION-AT-REST-LOST"}
        assert events["DATA-CLASSIFIED"]["data_classes"] == ["pci"]
        assert "card (pci) data appeared" in events["DATA-CLASSIFIED"]["message"]
        assert "no longer encrypted at rest" in events["DATA-ENCRYPTION-AT-REST-LOST"]["message"]
        assert estate.outbox_kinds() == ["data_change", "data_change"]

        third = estate.drift()  # the same estate again: nothing changed, nothing sent
        assert data_changes(third) == []
        assert len(hook.requests) == 2
        assert estate.outbox_kinds() == ["data_change", "data_change"]


def test_unknown_encryption_fails_closed_and_a_gap_moves_nothing(tmp_path: Path) -> None:
    with HttpReceiver() as hook:
        estate = Estate(tmp_path, hook)
        estate.drift()
        # The invoices bucket no longer says how it is encrypted: treated as lost.
        del estate.resource(INVOICES)["attributes"]["server_side_encryption"]
        # The RDS source failed this time and its databases are missing: not gone, so
        # neither moved nor declassified.
        estate.document["resources"] = [
            r for r in estate.document["resources"] if r["type"] != "aws_db_instance"
        ]
        for source in estate.document["sources"]:
            if source["scope"].endswith("/rds"):
                source["status"] = "failed"
                source["detail"] = "AccessDenied"
        estate.write()
        second = estate.drift()
        assert [(c["kind"], c["address"], c["after"]) for c in data_changes(second)] == [
            ("encryption_at_rest", INVOICES, "unknown")
        ]
        (request,) = hook.requests
        assert request.json["finding"]["check_id"] == "DATA-ENCRYPTION-AT-REST-LOST"
        assert "treated as lost" in request.json["finding"]["message"]
