"""A PostgreSQL cluster for the remediation tests: objects owned by an ordinary owner
role, each failing one check the fixers fix, the remediation role of
remediators/postgres/role.sql with the grants it documents, the collector's own user,
and objects with hostile names. Also collect + evaluate with the real collector and OPA."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from collectors.postgres.collect import collect_postgres
from collectors.postgres.options import PostgresOptions
from compliance_opa.app import scan
from compliance_opa.app.scan import ScanKind, ScanRequest
from compliance_opa.domain.findings import Status
from compliance_opa.engine.connect import EngineSettings
from tests.pg_support import Cluster, start_cluster

ROLE_SQL = Path(__file__).parents[1] / "remediators" / "postgres" / "role.sql"
REMEDIATOR = "opa_comply_remediator"
REMEDIATOR_PASSWORD = "remediator-pw-71c2"
COLLECTOR_PASSWORD = "collector-pw-0d4e"
USER_PASSWORD = "user-pw-a9f3"
DATABASE = "shop"
# The users of the collector's DSNs, which remediation must refuse.
COLLECTOR_USERS = {"postgres", "collector"}
HOSTILE_TABLE = 'x"; DROP TABLE y; --'
HOSTILE_SCHEMA = 's"; DROP SCHEMA public CASCADE; --'
HOSTILE_ROLE = "r'\"; DROP ROLE intern; --"

HBA = """\
local all postgres peer
host all all 127.0.0.1/32 scram-sha-256
"""

ROLES_SQL = f"""
ALTER ROLE postgres VALID UNTIL '2099-12-31';
CREATE ROLE shop_owner NOLOGIN;
CREATE ROLE team_lead NOLOGIN;
CREATE ROLE collector LOGIN PASSWORD '{COLLECTOR_PASSWORD}' VALID UNTIL '2099-12-31'
  IN ROLE pg_monitor, pg_read_all_settings;
CREATE ROLE analyst LOGIN PASSWORD '{USER_PASSWORD}' VALID UNTIL '2099-12-31';
CREATE ROLE intern LOGIN PASSWORD '{USER_PASSWORD}' VALID UNTIL '2099-12-31';
CREATE ROLE app_reader LOGIN PASSWORD '{USER_PASSWORD}';
CREATE ROLE "{HOSTILE_ROLE.replace('"', '""')}" LOGIN PASSWORD '{USER_PASSWORD}';
CREATE ROLE sneaky LOGIN PASSWORD '{USER_PASSWORD}' VALID UNTIL '2099-12-31' IN ROLE postgres;
"""

# What role.sql's comments tell the operator to run after it.
OPERATOR_SQL = f"""
ALTER ROLE {REMEDIATOR} PASSWORD '{REMEDIATOR_PASSWORD}' VALID UNTIL '2099-12-31';
GRANT shop_owner, team_lead TO {REMEDIATOR};
"""

# Run in shop as postgres; objects are made as their owner.
SHOP_SQL = f"""
SET ROLE shop_owner;
GRANT CREATE ON SCHEMA public TO PUBLIC;
CREATE SCHEMA sales;
GRANT CREATE ON SCHEMA sales TO PUBLIC;
GRANT CREATE, USAGE ON SCHEMA sales TO analyst;
CREATE TABLE patients (id bigint PRIMARY KEY, first_name text, diagnosis text, notes text);
COMMENT ON COLUMN patients.notes IS 'free text from clinicians; classification=phi';
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone ON patients USING (true);
GRANT SELECT, INSERT ON patients TO PUBLIC;
GRANT UPDATE (notes), REFERENCES (id) ON patients TO PUBLIC;
GRANT SELECT ON patients TO analyst;
GRANT SELECT ON patients TO team_lead WITH GRANT OPTION;
SET ROLE team_lead;
GRANT SELECT ON patients TO PUBLIC;
SET ROLE shop_owner;
CREATE TABLE y (id bigint);
CREATE TABLE "{HOSTILE_TABLE.replace('"', '""')}" (id bigint, "e""mail" text);
COMMENT ON COLUMN "{HOSTILE_TABLE.replace('"', '""')}"."e""mail" IS 'classification=email';
GRANT SELECT ON "{HOSTILE_TABLE.replace('"', '""')}" TO PUBLIC;
GRANT UPDATE ("e""mail") ON "{HOSTILE_TABLE.replace('"', '""')}" TO PUBLIC;
CREATE SCHEMA "{HOSTILE_SCHEMA.replace('"', '""')}";
GRANT CREATE ON SCHEMA "{HOSTILE_SCHEMA.replace('"', '""')}" TO PUBLIC;
RESET ROLE;
CREATE TABLE super_owned (id bigint, ssn text);
COMMENT ON COLUMN super_owned.ssn IS 'classification=national_id';
GRANT SELECT ON super_owned TO PUBLIC;
"""  # noqa: S608 - the test's own constants


def start_estate() -> Cluster:
    cluster = start_cluster("remediate", {}, HBA, tls=False)
    try:
        cluster.execute(ROLES_SQL)
        cluster.execute(ROLE_SQL.read_text())
        cluster.execute(OPERATOR_SQL)
        cluster.execute("CREATE DATABASE shop OWNER shop_owner")
        cluster.execute(SHOP_SQL, database=DATABASE)
    except Exception:
        cluster.stop()
        raise
    return cluster


def remediator_environ(
    cluster: Cluster, user: str = REMEDIATOR, password: str = ""
) -> dict[str, str]:
    dsn = cluster.dsn(DATABASE, user=user, password=password or REMEDIATOR_PASSWORD)
    return {"OPA_COMPLY_REMEDIATION_PG_DSN": dsn}


def server(cluster: Cluster) -> str:
    return f"postgresql://127.0.0.1:{cluster.port}"


def collect(cluster: Cluster, folder: Path) -> tuple[Path, dict[str, Any]]:
    """A snapshot of the cluster by the real collector, as the collector's user: the
    superuser here, as only superusers read pg_authid, which PG-ROLE-002 needs."""
    dsn = cluster.dsn(DATABASE)
    snapshot = collect_postgres(PostgresOptions(dsns=(dsn,), databases=(DATABASE,)))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"snapshot-{len(list(folder.iterdir()))}.json"
    path.write_text(json.dumps(snapshot))
    return path, snapshot


def resource_of(snapshot: Mapping[str, Any], address: str) -> dict[str, Any]:
    [found] = [r for r in snapshot["resources"] if r["address"] == address]
    return dict(found)


def failing(cluster: Cluster, folder: Path) -> tuple[dict[str, set[str]], dict[str, Any]]:
    """Collect, ask the real OPA, and return the failing check ids by resource address."""
    path, snapshot = collect(cluster, folder)
    outcome = scan.run(
        ScanRequest(kind=ScanKind.SCAN, engine=EngineSettings(), inputs=(path,), environ={})
    )
    found: dict[str, set[str]] = {}
    for finding in outcome.report.findings:
        if finding.status is Status.FAIL:
            found.setdefault(finding.resource, set()).add(finding.check.check_id)
    return found, snapshot
