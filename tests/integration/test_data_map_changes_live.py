"""Data store changes between `drift` runs over live sources (issue 23): a moto account
(moto in server mode on loopback) where a card-data bucket is deleted and created again
in another region, and a real PostgreSQL where a table gains a card-number column. Both
are data changes in the drift report, a rule on `data_class: [pci]` delivers them to a
signed webhook on loopback, and a second identical run sends nothing new."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from compliance_opa.alerts.webhook import verify_signature
from tests.aws_support import BASE_ENV, MotoServer, serve_moto
from tests.conftest import CliResult, run_cli
from tests.pg_support import Cluster, start_cluster
from tests.receivers import HttpReceiver, Request

SECRET = "webhook-secret-for-data-map-changes"
HOME, AWAY = "eu-west-1", "us-east-1"
BUCKET = "data-map-card-exports"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
PG_HBA = """\
local all postgres peer
host all all 127.0.0.1/32 scram-sha-256
"""
SHOP_SQL = "CREATE TABLE orders (id bigint PRIMARY KEY, email text, total numeric);"
RUN_TIMEOUT = 120


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    cluster = start_cluster("datachanges", {}, PG_HBA, tls=False)
    try:
        cluster.execute("CREATE DATABASE shop")
        cluster.execute(SHOP_SQL, database="shop")
        yield cluster
    finally:
        cluster.stop()


def drift_config(folder: Path, hook: HttpReceiver, collect: str, extra: dict[str, Any]) -> Path:
    config = folder / "opa-comply.yaml"
    settings = {
        "drift": {"collect": [collect], "scope": f"data-{collect}"},
        "alerts": {
            "channels": {
                "cards": {"type": "webhook", "url": f"{hook.url}/hook", "secret_env": "HOOK_KEY"}
            },
            "rules": [
                {"name": "card data", "match": {"data_class": ["pci"]}, "channels": ["cards"]}
            ],
            "delivery": {"backoff_seconds": 0.2, "max_wait_seconds": 10},
        },
        **extra,
    }
    config.write_text(yaml.safe_dump(settings))
    return config


def drift(config: Path, env: dict[str, str]) -> CliResult:
    result = run_cli(
        "drift", "--config", config, "--state", config.parent / "state.db",
        "--format", "json", "--fail-on", "none",
        env={**BASE_ENV, "HOOK_KEY": SECRET, **env}, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return result


def data_changes(result: CliResult) -> list[dict[str, Any]]:
    return list(result.json()["drift"].get("data_changes", []))


def changed_hooks(hook: HttpReceiver) -> list[Request]:
    found = [r for r in hook.requests if r.json["event"] == "data_store.changed"]
    for request in found:
        stamp = request.headers["x-opa-comply-timestamp"]
        signature = request.headers["x-opa-comply-signature"]
        assert verify_signature(SECRET, stamp, request.body, signature)
    return found


def outbox_kinds(config: Path) -> list[str]:
    with sqlite3.connect(config.parent / "state.db") as db:
        return [str(k) for (k,) in db.execute("SELECT kind FROM outbox ORDER BY seq")]


def s3(moto: MotoServer, region: str) -> Any:
    session = boto3.Session(
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
        region_name=region,
    )
    return session.client("s3", region_name=region, endpoint_url=moto.url)


def card_bucket(moto: MotoServer, region: str) -> None:
    client = s3(moto, region)
    where = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    client.create_bucket(Bucket=BUCKET, **where)
    client.put_bucket_tagging(
        Bucket=BUCKET, Tagging={"TagSet": [{"Key": "DataClassification", "Value": "pci"}]}
    )


def test_a_card_bucket_moving_region_is_a_change(moto: MotoServer, tmp_path: Path) -> None:
    moto.reset()
    card_bucket(moto, HOME)
    with HttpReceiver() as hook:
        aws = {"aws": {"endpoint_url": moto.url, "regions": [HOME, AWAY], "services": ["s3"]}}
        config = drift_config(tmp_path, hook, "aws", aws)
        first = drift(config, {})
        assert data_changes(first) == []
        assert changed_hooks(hook) == []

        s3(moto, HOME).delete_bucket(Bucket=BUCKET)
        card_bucket(moto, AWAY)
        second = drift(config, {})
        (change,) = data_changes(second)
        assert (change["kind"], change["address"]) == ("region", BUCKET_ARN)
        assert (change["before"], change["after"]) == (HOME, AWAY)
        assert change["data_classes"] == ["pci"]
        (request,) = changed_hooks(hook)
        event = request.json["finding"]
        assert (event["kind"], event["check_id"]) == ("data_change", "DATA-REGION-MOVED")
        assert event["resource"] == BUCKET_ARN
        assert f"moved from region {HOME} to {AWAY}" in event["message"]

        sent = len(hook.requests)
        third = drift(config, {})
        assert data_changes(third) == []
        assert len(hook.requests) == sent
        assert outbox_kinds(config).count("data_change") == 1


def test_a_table_gaining_a_card_number_column_is_a_change(
    postgres: Cluster, tmp_path: Path
) -> None:
    server = f"postgresql://127.0.0.1:{postgres.port}"
    orders = f"{server}/shop/public/orders"
    with HttpReceiver() as hook:
        config = drift_config(tmp_path, hook, "postgres", {})
        env = {"OPA_COMPLY_POSTGRES_DSN": postgres.dsn()}
        first = drift(config, env)
        assert data_changes(first) == []

        postgres.execute("ALTER TABLE orders ADD COLUMN card_number text", database="shop")
        try:
            second = drift(config, env)
        finally:
            postgres.execute("ALTER TABLE orders DROP COLUMN card_number", database="shop")
        (change,) = data_changes(second)
        assert (change["kind"], change["address"]) == ("classified", orders)
        assert change["data_classes"] == ["pci"]
        assert change["columns"] == ["card_number (name)"]
        (request,) = changed_hooks(hook)
        event = request.json["finding"]
        assert (event["check_id"], event["data_classes"]) == ("DATA-CLASSIFIED", ["pci"])
        assert "card (pci) data appeared" in event["message"]
        assert "card_number" in event["message"]

        postgres.execute("ALTER TABLE orders ADD COLUMN card_number text", database="shop")
        try:
            third = drift(config, env)  # the same table again: nothing new is sent
        finally:
            postgres.execute("ALTER TABLE orders DROP COLUMN card_number", database="shop")
        assert data_changes(third) == []
        assert len(changed_hooks(hook)) == 1
