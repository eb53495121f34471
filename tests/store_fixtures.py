"""A `store` fixture run once on SQLite and once on a real PostgreSQL (a cluster of the
test module's own, started once per module), for tests of what the state store keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.state.store import StateStore, open_store
from tests.pg_support import Cluster, start_cluster

HBA = "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n"


def both_stores(name: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """(postgres, store) fixtures; assign both in the test module under those names."""

    @pytest.fixture(scope="module")
    def postgres() -> Iterator[Cluster]:
        cluster = start_cluster(name, {}, HBA, tls=False)
        try:
            yield cluster
        finally:
            cluster.stop()

    @pytest.fixture(params=["sqlite", "postgresql"])
    def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
        if request.param == "sqlite":
            url = str(tmp_path / "state.db")
        else:
            cluster: Cluster = request.getfixturevalue("postgres")
            database = f"{name}_{abs(hash(tmp_path)) % 10**8}"
            cluster.execute(f"CREATE DATABASE {database}")
            url = cluster.uri(database)
        opened = open_store(url)
        try:
            yield opened
        finally:
            opened.close()

    return postgres, store
