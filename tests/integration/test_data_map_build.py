"""The data map of real scans, exactly (golden files under tests/golden/data-map/).

1. The bundled examples (examples/*.json and examples/library/*.json) scanned with the
   project's policies on the real OPA.
2. A real PostgreSQL cluster with planted personal, health and card columns (labelled by
   comment, by name, and by sampled values), collected by the real collector with
   sample_rows, then scanned: the port is normalised, nothing sampled appears.

After an intended change, review the difference and refresh with `UPDATE_GOLDEN=1`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collectors.postgres.collect import collect_postgres
from collectors.postgres.options import PostgresOptions
from compliance_opa.app.evaluate import run_scan
from compliance_opa.domain.data_map_json import as_dict, from_dict
from compliance_opa.domain.report import ScanReport
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.inventory.load import inventory_from_bytes, load_inventories
from tests.conftest import EXAMPLES, REPO
from tests.pg_support import Cluster, start_cluster

GOLDEN = REPO / "tests" / "golden" / "data-map"
INPUTS = sorted(EXAMPLES.glob("*.json")) + sorted((EXAMPLES / "library").glob("*.json"))

# Planted values sampling reads: none may reach the map.
CARDS = ["4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009", "6011000000000004"]
EMAILS = ["ana@example.org", "li.wei@example.com", "sam+news@example.net", "jo@example.de"]
PASSWORD = "billing-pw-41c2"

HBA = """\
local all postgres peer
hostssl all all 127.0.0.1/32 scram-sha-256
hostssl records all 0.0.0.0/0 scram-sha-256
"""
ROLES_SQL = f"""
CREATE ROLE billing NOLOGIN;
CREATE ROLE billing_batch LOGIN PASSWORD '{PASSWORD}' IN ROLE billing;
CREATE ROLE analyst LOGIN PASSWORD '{PASSWORD}';
"""
cards = ", ".join(f"({i}, '{c}', {i * 10})" for i, c in enumerate(CARDS, start=1))
emails = ", ".join(f"({i}, '{e}')" for i, e in enumerate(EMAILS, start=1))
RECORDS_SQL = f"""
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE TABLE patients (id bigint PRIMARY KEY, full_name text, diagnosis text, visit_count int);
COMMENT ON COLUMN patients.diagnosis IS 'ICD-10 code; classification=phi';
GRANT SELECT ON patients TO analyst;
CREATE TABLE cards (id bigint PRIMARY KEY, pan_token bytea, legacy_ref text, amount numeric);
COMMENT ON COLUMN cards.pan_token IS 'ciphertext; classification=pan; encrypted=true';
INSERT INTO cards (id, legacy_ref, amount) VALUES {cards};
GRANT SELECT, INSERT ON cards TO billing;
CREATE TABLE contacts (id bigint PRIMARY KEY, reach text);
INSERT INTO contacts VALUES {emails};
GRANT SELECT ON contacts TO PUBLIC;
CREATE TABLE rooms (id bigint PRIMARY KEY, label text);
"""  # noqa: S608 - the test's own constants


def _golden(name: str, actual: dict[str, Any]) -> dict[str, Any]:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n")
    expected: dict[str, Any] = json.loads(path.read_text())
    return expected


def _scan(inventories: list[Any]) -> ScanReport:
    with open_engine(EngineSettings(policies=REPO / "policies")) as client:
        return run_scan(inventories, client, summarize=False)


def test_the_examples_give_the_expected_map_exactly() -> None:
    report = _scan(load_inventories(INPUTS))
    actual = as_dict(report.data_map)
    assert actual == _golden("examples.json", actual)
    assert from_dict(actual) == report.data_map
    # Read whole rather than streamed, the inventories give the same map.
    whole = [inventory_from_bytes(p, p.read_bytes()) for p in INPUTS]
    assert _scan(whole).data_map == report.data_map
    # Every class and the cardholder data environment are represented.
    classes = {c for s in report.data_map.stores for c in s.data_classes}
    assert classes == {"pii", "phi", "pci", "confidential"}
    assert any(s.open_findings for s in report.data_map.stores)
    assert report.data_map.cde


@pytest.fixture(scope="module")
def records() -> Iterator[Cluster]:
    cluster = start_cluster("datamap", {"password_encryption": "'scram-sha-256'"}, HBA, tls=True)
    try:
        cluster.execute(ROLES_SQL)
        cluster.execute("CREATE DATABASE records")
        cluster.execute(RECORDS_SQL, database="records")
        yield cluster
    finally:
        cluster.stop()


def test_a_real_postgres_gives_the_expected_map_exactly(records: Cluster) -> None:
    options = PostgresOptions(
        dsns=(records.dsn("postgres", sslmode="require"),),
        databases=("records",),
        sample_rows=10,
    )
    raw = json.dumps(collect_postgres(options)).encode()
    report = _scan([inventory_from_bytes(Path("records.json"), raw)])
    text = json.dumps(as_dict(report.data_map), indent=1)
    for value in [*CARDS, *EMAILS, PASSWORD]:
        assert value not in text
    actual = json.loads(text.replace(f"127.0.0.1:{records.port}", "127.0.0.1:PORT"))
    assert actual == _golden("postgres.json", actual)
    stores = {s.name: s for s in report.data_map.stores}
    assert set(stores) == {"records.public.patients", "records.public.cards",
                           "records.public.contacts"}  # fmt: skip
    by_column = {(s.name, c.name): c for s in stores.values() for c in s.columns}
    assert by_column[("records.public.cards", "pan_token")].classified_by == "comment"
    legacy = by_column[("records.public.cards", "legacy_ref")]
    assert (legacy.classified_by, legacy.detector, legacy.matched) == ("sample", "card_number", 4)
    assert by_column[("records.public.patients", "full_name")].classified_by == "name"
    assert stores["records.public.cards"].cde
    assert stores["records.public.contacts"].reach.public_grants == ("SELECT",)
    relations = {(c.address.rsplit("=", 1)[-1], c.relation) for c in report.data_map.cde}
    assert ("billing", "role with access to") in relations
    assert ("billing_batch", "member of a role with access to") in relations
