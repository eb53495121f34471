"""`opa-comply remediate` end to end on a real PostgreSQL: the collector (its own user)
records PUBLIC's privileges on a classified table and on a schema, the remediation role of
remediators/postgres/role.sql revokes them after approval, the database is collected again
and judged by the real OPA, and a rollback grants back exactly what PUBLIC held."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CliResult, assert_one_line_error, run_cli
from tests.pg_support import Cluster
from tests.remediator_pg_support import (
    COLLECTOR_PASSWORD,
    DATABASE,
    REMEDIATOR_PASSWORD,
    remediator_environ,
    server,
    start_estate,
)

RUN_TIMEOUT = 180
PATIENT_PRIVILEGES = """
SELECT privilege_type, grantor FROM (
  SELECT (aclexplode(relacl)).* FROM pg_class WHERE relname = 'patients'
) acl WHERE grantee = 0 ORDER BY 1, 2
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    made = start_estate()
    try:
        yield made
    finally:
        made.stop()


def _public_on_patients(cluster: Cluster) -> list[tuple[str, ...]]:
    rows = cluster.query(PATIENT_PRIVILEGES, database=DATABASE)
    return [tuple(str(v) for v in row) for row in rows]


@pytest.fixture
def setup(cluster: Cluster, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "drift": {"collect": ["postgres"], "scope": "pg-remediation"},
                "postgres": {"databases": [DATABASE]},
                "evidence": {"store": str(tmp_path / "evidence")},
                "remediation": {
                    "verify_wait_seconds": 0,
                    "postgres": {"dsn_env": "OPA_COMPLY_REMEDIATION_PG_DSN"},
                },
            }
        )
    )
    env = {
        # The collector reads as the superuser: only superusers read pg_authid.
        "OPA_COMPLY_POSTGRES_DSN": cluster.dsn(DATABASE),
        **remediator_environ(cluster),
    }
    return config, env


def _cli(config: Path, env: dict[str, str], *args: str, expect: int | None = 0) -> CliResult:
    result = run_cli(
        *args, "--config", config, "--state", config.parent / "state.db",
        env=env, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    if expect is not None:
        assert result.code == expect, result.stdout + result.stderr
    return result


def _proposals(config: Path, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    listed = json.loads(_cli(config, env, "remediate", "list", "--format", "json").stdout)
    return {p["resource"]: p for p in listed}


def test_revoke_public_on_a_classified_table_verify_and_roll_back(
    cluster: Cluster, setup: tuple[Path, dict[str, str]]
) -> None:
    config, env = setup
    before = _public_on_patients(cluster)
    assert before  # PUBLIC holds privileges from two grantors
    drift = run_cli(
        "drift", "--config", config, "--state", config.parent / "state.db",
        "--format", "json", "--fail-on", "none", env=env, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert drift.code == 0, drift.stderr
    patients = f"{server(cluster)}/{DATABASE}/public/patients"
    planned = _cli(
        config, env, "remediate", "plan", "--check", "PG-PRIV-002",
        "--resource", patients, "--requested-by", "dba-alice",
    )  # fmt: skip
    assert "1 new proposal(s)" in planned.stdout, planned.stdout
    proposal = _proposals(config, env)[patients]
    assert proposal["decision"] == "approve"  # critical, classified
    # The live database names the login roles that reach the table only through PUBLIC.
    assert any(
        "only through PUBLIC" in line and "app_reader" in line
        for line in proposal["change"]["blast_radius"]
    )
    pid = proposal["proposal_id"]
    assert _public_on_patients(cluster) == before  # nothing written before approval

    # An untagged server counts as production: classified data there needs two people,
    # and a name is the same person whatever its case.
    assert proposal["approvals_needed"] == 2
    own = _cli(config, env, "remediate", "approve", pid, "--by", "DBA-Alice", expect=None)
    assert_one_line_error(own, 2, "requested this fix and cannot approve it")
    _cli(config, env, "remediate", "approve", pid, "--by", "dba-bob")
    _cli(config, env, "remediate", "approve", pid, "--by", "dba-carol")
    applied = _cli(config, env, "remediate", "apply", pid, "--by", "dba-bob")
    assert ": verified:" in applied.stdout, applied.stdout
    assert _public_on_patients(cluster) == []

    _cli(config, env, "remediate", "rollback", pid, "--by", "dba-bob")
    assert _public_on_patients(cluster) == before  # the same privileges, the same grantors

    # The remediation role's and the collector's passwords reach no output or record.
    shown = _cli(config, env, "remediate", "show", pid).stdout
    kept = "".join(p.read_text() for p in (config.parent / "evidence").rglob("*.json"))
    for secret in (REMEDIATOR_PASSWORD, COLLECTOR_PASSWORD):
        assert secret not in shown + applied.stdout + applied.stderr + kept


def test_the_collectors_user_is_refused_for_writes(
    cluster: Cluster, setup: tuple[Path, dict[str, str]]
) -> None:
    config, env = setup
    drift = run_cli(
        "drift", "--config", config, "--state", config.parent / "state.db",
        "--format", "json", "--fail-on", "none", env=env, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert drift.code == 0, drift.stderr
    # The remediation DSN names the collector's own (superuser) login.
    wrong = {**env, "OPA_COMPLY_REMEDIATION_PG_DSN": cluster.dsn(DATABASE)}
    result = _cli(config, wrong, "remediate", "plan", "--check", "PG-PRIV-00*", expect=None)
    assert_one_line_error(result, 2, "is the collector's", "remediation needs its own role")
    assert _proposals(config, env) == {}


def test_a_login_role_gets_an_expiry_and_loses_it_on_rollback(
    cluster: Cluster, setup: tuple[Path, dict[str, str]]
) -> None:
    """Roles are the server's own objects (source postgresql://host:port/roles): fixed
    through the collector DSN's database."""
    config, env = setup
    drift = run_cli(
        "drift", "--config", config, "--state", config.parent / "state.db",
        "--format", "json", "--fail-on", "none", env=env, timeout=RUN_TIMEOUT,
    )  # fmt: skip
    assert drift.code == 0, drift.stderr
    role = f"{server(cluster)}?role=app_reader"
    planned = _cli(
        config, env, "remediate", "plan", "--check", "PG-ROLE-002", "--resource", role,
        "--requested-by", "dba-alice",
    )  # fmt: skip
    assert "1 new proposal(s)" in planned.stdout, planned.stdout
    proposal = _proposals(config, env)[role]
    # An untagged server counts as production: one approver.
    assert (proposal["decision"], proposal["approvals_needed"]) == ("approve", 1)
    assert proposal["change"]["current"] is None
    _cli(config, env, "remediate", "approve", proposal["proposal_id"], "--by", "DBA-Bob")
    applied = _cli(config, env, "remediate", "apply", proposal["proposal_id"], "--by", "ops")
    assert ": verified:" in applied.stdout, applied.stdout
    (until,) = cluster.query(
        "SELECT rolvaliduntil IS NOT NULL AND rolvaliduntil < 'infinity'"
        " FROM pg_roles WHERE rolname = 'app_reader'"
    )
    assert until == (True,)
    _cli(config, env, "remediate", "rollback", proposal["proposal_id"], "--by", "ops")
    (back,) = cluster.query("SELECT rolvaliduntil::text FROM pg_roles WHERE rolname = 'app_reader'")
    assert str(back[0]) == "infinity"  # NULL cannot be written again; it means the same
    assert _proposals(config, env)[role]["state"] == "rolled_back"
