"""The service on a PostgreSQL state store (the config's state.url, so its password is
never on a command line): the decision log is written there, without the resource."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import load_example
from tests.pg_support import SUPERUSER_PASSWORD, Cluster, start_cluster
from tests.serve_support import running_service

HBA = "host all all 127.0.0.1/32 scram-sha-256\n"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    cluster = start_cluster("serve", {}, HBA, tls=False)
    try:
        yield cluster
    finally:
        cluster.stop()


def test_decisions_are_logged_in_postgres(postgres: Cluster, tmp_path: Path) -> None:
    postgres.execute("CREATE DATABASE serve_state")
    url = postgres.uri("serve_state")
    resource = load_example(Path("examples/aws-production.json"))["resources"][0]
    resource["attributes"]["master_password"] = "planted-Secret-4711"
    with running_service(
        tmp_path,
        state="",
        serve={"decision_log": True},
        sections={"state": {"url": url}},
    ) as svc:
        answer = requests.post(
            svc.url + "/v1/validate",
            json={"resources": [resource]},
            headers=svc.auth("validator"),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        decision = answer.json()["decision_id"]
        log = svc.log_text()
    rows = postgres.query(
        "SELECT decision_id, caller, endpoint, resource_type, verdict, policy_digest"
        " FROM decisions",
        database="serve_state",
    )
    digest = answer.json()["policy_digest"]
    assert rows == [(decision, "validator", "validate", "aws_db_instance", "NON_COMPLIANT", digest)]
    dump = postgres.query("SELECT decisions::text FROM decisions", database="serve_state")
    assert "planted-Secret-4711" not in str(dump)
    assert resource["address"] not in str(dump)  # only its digest
    assert SUPERUSER_PASSWORD not in log
