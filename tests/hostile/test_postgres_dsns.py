"""DSNs as people write them: one per database, and passwords kept out of `ps`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error, run_cli
from tests.pg_estate import COLLECTOR_PASSWORD, start_weak
from tests.pg_support import Cluster


@pytest.fixture(scope="module")
def weak() -> Iterator[Cluster]:
    cluster = start_weak()
    try:
        yield cluster
    finally:
        cluster.stop()


def collector_dsn(cluster: Cluster, database: str, user: str = "collector") -> str:
    return cluster.dsn(database, user=user, password=COLLECTOR_PASSWORD, sslmode="disable")


def test_one_dsn_per_database_collects_the_server_once_with_those_databases(
    weak: Cluster, tmp_path: Path
) -> None:
    out = tmp_path / "pg.json"
    env = {"SHOP_DSN": collector_dsn(weak, "shop"), "ZOO_DSN": collector_dsn(weak, "zoo")}
    result = run_cli(
        "collect", "postgres", "--dsn-env", "SHOP_DSN", "--dsn-env", "ZOO_DSN",
        "--output", out, env=env,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    scopes = [s["scope"] for s in json.loads(out.read_text())["sources"]]
    server = f"postgresql://127.0.0.1:{weak.port}"
    assert scopes.count(server) == 1
    assert f"{server}/shop" in scopes
    assert f"{server}/zoo" in scopes
    assert f"{server}/postgres" not in scopes  # only the databases the DSNs name
    assert "`ps`" not in result.stderr  # no password on the command line: no warning


def test_two_dsns_of_one_server_with_other_credentials_are_refused(
    weak: Cluster, tmp_path: Path
) -> None:
    env = {"SHOP_DSN": collector_dsn(weak, "shop"), "ZOO_DSN": collector_dsn(weak, "zoo", "bare")}
    result = run_cli(
        "collect", "postgres", "--output", tmp_path / "pg.json",
        "--dsn-env", "SHOP_DSN", "--dsn-env", "ZOO_DSN", env=env,
    )  # fmt: skip
    assert_one_line_error(result, 2, "given twice with other credentials", "--database")
    assert COLLECTOR_PASSWORD not in result.stderr


def test_a_password_on_the_command_line_is_warned_about(weak: Cluster, tmp_path: Path) -> None:
    out = tmp_path / "pg.json"
    result = run_cli("collect", "postgres", "--dsn", collector_dsn(weak, "zoo"), "--output", out)
    assert result.code == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1
    assert "`ps`" in warning[0]
    assert "--dsn-env" in warning[0]
    assert COLLECTOR_PASSWORD not in result.stderr


def test_a_dsn_variable_that_is_not_set_is_exit_2(tmp_path: Path) -> None:
    result = run_cli(
        "collect", "postgres", "--dsn-env", "NOT_SET_ANYWHERE", "--output", tmp_path / "pg.json"
    )
    assert_one_line_error(result, 2, "--dsn-env NOT_SET_ANYWHERE", "not set")
