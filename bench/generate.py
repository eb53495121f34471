"""Seeded generators of realistic `opa-comply scan` inputs, for benchmarks.

    python -m bench.generate inventory N SEED OUT.json   # an inventory snapshot of N resources
    python -m bench.generate plan N SEED OUT.json        # a Terraform plan of N resource changes
    python -m bench.generate plan N SEED OUT.json --no-planned-values  # half the size
    python -m bench.generate --selftest                  # both load with load_inventory

The shapes follow examples/*.json, examples/library/*.json (inventory) and
tests/plan_builder.py (plan). The same (n, seed) always gives the same document.
About `BAD_RATIO` of the resources break one or two rules (unencrypted, public,
no rotation, ...); the rest are compliant.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from collectors.aws import model as aws_model
from collectors.aws.model import DATA_CLASSES
from collectors.aws.options import TagKeys
from collectors.postgres import model as postgres_model

Resource = dict[str, Any]

BAD_RATIO = 0.3  # share of resources with at least one violation
COLLECTED_AT = "2026-11-23T09:00:00Z"

ACCOUNTS = ("111122223333", "444455556666", "777788889999")
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1")  # us-east-1: outside EU residency
REGION_WEIGHTS = (55, 35, 10)
APPS = (
    "orders", "payments", "billing", "identity", "search", "catalog", "analytics",
    "reporting", "ledger", "inventory", "shipping", "notifications", "checkout", "clinic",
)  # fmt: skip
TEAMS = ("payments", "platform", "identity", "data", "clinical", "shop", "growth", "sre")
ENVIRONMENTS = ("production", "staging", "development", "sandbox")
ENV_WEIGHTS = (50, 25, 15, 10)
# DataClassification tag values of data stores ("" = untagged); some name two classes.
CLASSIFICATIONS = ("pii", "phi", "pci", "confidential", "public", "pii,pci", "")
CLASS_WEIGHTS = (30, 8, 10, 20, 7, 5, 20)

# inventory type -> (relative weight, AWS service of its source scope); postgresql_table
# brings its server, pg_hba.conf rules and roles with it.
AWS_MIX: dict[str, tuple[int, str]] = {
    "aws_s3_bucket": (12, "s3"),
    "aws_db_instance": (6, "rds"),
    "aws_rds_cluster": (2, "rds"),
    "aws_security_group": (10, "ec2"),
    "aws_kms_key": (5, "kms"),
    "aws_cloudwatch_log_group": (9, "logs"),
    "aws_iam_user": (5, "iam"),
    "aws_dynamodb_table": (5, "dynamodb"),
}
GLOBAL_SERVICES = ("s3", "iam")  # collected once per account: scope region "global"
PG_TABLE_WEIGHT = 30
TABLES_PER_SERVER = (10, 40)


class _Gen:
    """Shared state of one generation: the random source, counters and key pools."""

    def __init__(self, seed: int, bad_ratio: float) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
        self.bad_ratio = bad_ratio
        self.serial = 0
        self.keys: dict[tuple[str, str], list[str]] = {}

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def bad(self) -> bool:
        return self.rng.random() < self.bad_ratio

    def hexid(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"

    def uuid(self) -> str:
        h = self.hexid(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:]}"

    def kms_arn(self, account: str, region: str) -> str:
        """A customer key of the account/region (a small pool, as real estates reuse keys)."""
        pool = self.keys.setdefault((account, region), [])
        if len(pool) < 6:
            pool.append(f"arn:aws:kms:{region}:{account}:key/{self.uuid()}")
            return pool[-1]
        return self.rng.choice(pool)

    def name(self, app: str, kind: str) -> str:
        return f"{app}-{kind}-{self.next_serial():06d}"

    def tags(self, app: str, data_store: bool) -> dict[str, str]:
        rng = self.rng
        if rng.random() < 0.12:  # untagged: no owner, no environment
            return {}
        tags = {
            "Environment": rng.choices(ENVIRONMENTS, ENV_WEIGHTS)[0],
            "Application": app,
        }
        if rng.random() < 0.85:
            tags["Owner"] = rng.choice(TEAMS)
        if data_store:
            classification = rng.choices(CLASSIFICATIONS, CLASS_WEIGHTS)[0]
            if classification:
                tags["DataClassification"] = classification
        if rng.random() < 0.3:
            tags["CostCenter"] = f"cc-{rng.randint(1000, 9999)}"
        return tags


def _aws(
    g: _Gen, kind: str, address: str, account: str, region: str | None, scope: str,
    name: str, tags: dict[str, str], attributes: dict[str, Any],
) -> Resource:  # fmt: skip
    """A resource as the AWS collector builds it (tags read the same way), with its source."""
    built = aws_model.resource(
        resource_type=kind, address=address, account=account, region=region, name=name,
        tags=tags, attributes=attributes, keys=TagKeys(),
    )  # fmt: skip
    return {**built, "source": scope}


def _faults(g: _Gen, options: tuple[str, ...]) -> set[str]:
    """One or two violations out of `options` for a bad resource, none otherwise."""
    if not g.bad():
        return set()
    return set(g.rng.sample(options, k=min(len(options), g.rng.choice((1, 1, 2)))))


# --- AWS resources (inventory) --------------------------------------------------------


def _db_instance(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = g.name(app, "db")
    bad = _faults(g, ("unencrypted", "public", "backup", "single_az", "no_protection", "iam"))
    engine, version, family = rng.choice(
        (("postgres", "16.4", "postgres16"), ("postgres", "15.8", "postgres15"),
         ("mysql", "8.0.39", "mysql8.0"))
    )  # fmt: skip
    tls = "rds.force_ssl" if engine == "postgres" else "require_secure_transport"
    encrypted = "unencrypted" not in bad
    attributes = {
        "engine": engine,
        "engine_version": version,
        "instance_class": rng.choice(("db.r6g.large", "db.m6g.large", "db.t4g.medium")),
        "storage_encrypted": encrypted,
        "kms_key_id": g.kms_arn(account, region) if encrypted else None,
        "publicly_accessible": "public" in bad,
        "backup_retention_period": 1 if "backup" in bad else rng.choice((7, 14, 35)),
        "multi_az": "single_az" not in bad,
        "deletion_protection": "no_protection" not in bad,
        "iam_database_authentication_enabled": "iam" not in bad,
        "vpc_security_group_ids": [f"sg-{g.hexid(17)}"],
        "enabled_cloudwatch_logs_exports": (
            ["postgresql", "upgrade"] if engine == "postgres" else ["error", "audit"]
        ),
        "auto_minor_version_upgrade": True,
        "copy_tags_to_snapshot": rng.random() < 0.8,
        "parameter_group": {
            "name": f"{app}-{family.replace('.', '')}-tls",
            "family": family,
            "parameters": {tls: "0" if "public" in bad else "1"},
        },
    }
    return f"arn:aws:rds:{region}:{account}:db:{name}", name, attributes


def _rds_cluster(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = g.name(app, "cluster")
    bad = _faults(g, ("unencrypted", "backup", "no_protection", "iam"))
    encrypted = "unencrypted" not in bad
    attributes = {
        "engine": rng.choice(("aurora-postgresql", "aurora-mysql")),
        "engine_version": "16.4",
        "storage_encrypted": encrypted,
        "kms_key_id": g.kms_arn(account, region) if encrypted else None,
        "backup_retention_period": 1 if "backup" in bad else rng.choice((7, 14, 35)),
        "deletion_protection": "no_protection" not in bad,
        "iam_database_authentication_enabled": "iam" not in bad,
        "vpc_security_group_ids": [f"sg-{g.hexid(17)}"],
        "enabled_cloudwatch_logs_exports": ["postgresql"],
        "copy_tags_to_snapshot": True,
    }
    return f"arn:aws:rds:{region}:{account}:cluster:{name}", name, attributes


def _s3_bucket(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = g.name(f"acme-{app}", "bucket")
    bad = _faults(g, ("unencrypted", "sse_s3", "public", "versioning", "logging", "tls"))
    block = "public" not in bad
    encryption = None
    if "unencrypted" not in bad:
        kms = "sse_s3" not in bad
        encryption = {
            "sse_algorithm": "aws:kms" if kms else "AES256",
            "kms_master_key_id": g.kms_arn(account, region) if kms else None,
            "bucket_key_enabled": kms,
        }
    arn = f"arn:aws:s3:::{name}"
    statement: dict[str, Any] = {
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }  # fmt: skip
    attributes = {
        "bucket": name,
        "public_access_block": {
            "block_public_acls": True,
            "block_public_policy": block,
            "ignore_public_acls": True,
            "restrict_public_buckets": block,
        }
        if block or rng.random() < 0.5
        else None,
        "server_side_encryption": encryption,
        "versioning": None if "versioning" in bad else {"status": "Enabled"},
        "logging": None
        if "logging" in bad
        else {"target_bucket": f"acme-access-logs-{account}", "target_prefix": f"{name}/"},
        "policy": None if "tls" in bad else {"Version": "2012-10-17", "Statement": [statement]},
        "object_lock_configuration": None,
    }
    return arn, name, attributes


def _rule(port: int, cidr: str, description: str | None = None) -> dict[str, Any]:
    return {
        "protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": [cidr],
        "ipv6_cidr_blocks": [], "description": description, "self": False, "security_groups": [],
    }  # fmt: skip


def _security_group(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = g.name(app, "sg")
    group_id = f"sg-{g.hexid(17)}"
    bad = _faults(g, ("ssh", "db"))
    ingress = [_rule(443, "0.0.0.0/0", "https")] if rng.random() < 0.4 else []
    ingress.append(_rule(rng.choice((5432, 3306, 8080)), "10.0.0.0/8", "internal"))
    if "ssh" in bad:
        ingress.append(_rule(22, "0.0.0.0/0", "ssh"))
    if "db" in bad:
        ingress.append(_rule(5432, "0.0.0.0/0", None))
    attributes = {
        "group_id": group_id,
        "name": name,
        "vpc_id": f"vpc-{g.hexid(17)}",
        "description": f"{app} tier",
        "ingress": ingress,
        "egress": [
            {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"],
             "ipv6_cidr_blocks": [], "description": None, "self": False, "security_groups": []}
        ],
    }  # fmt: skip
    return f"arn:aws:ec2:{region}:{account}:security-group/{group_id}", name, attributes


def _kms_key(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    name = g.name(app, "key")
    key_id = g.uuid()
    bad = _faults(g, ("rotation", "open_policy"))
    statements: list[dict[str, Any]] = [
        {"Sid": "EnableRootPermissions", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"}
    ]  # fmt: skip
    if "open_policy" in bad:
        statements.append(
            {"Sid": "AnyoneMayDecrypt", "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}
        )  # fmt: skip
    arn = f"arn:aws:kms:{region}:{account}:key/{key_id}"
    attributes = {
        "key_id": key_id,
        "arn": arn,
        "description": f"{app} data key",
        "key_manager": "CUSTOMER",
        "key_usage": "ENCRYPT_DECRYPT",
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "enable_key_rotation": "rotation" not in bad,
        "rotation_period_in_days": None if "rotation" in bad else 365,
        "is_enabled": True,
        "multi_region": False,
        "policy": {"Version": "2012-10-17", "Statement": statements},
    }
    return arn, name, attributes


def _log_group(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = f"/{rng.choice(('aws/lambda', 'ecs', 'app'))}/{g.name(app, 'logs')}"
    bad = _faults(g, ("retention", "unencrypted"))
    retention = rng.choice((0, 7, 14)) if "retention" in bad else rng.choice((365, 400, 731))
    arn = f"arn:aws:logs:{region}:{account}:log-group:{name}"
    attributes: dict[str, Any] = {
        "name": name,
        "arn": arn,
        "retention_in_days": retention,
        "kms_key_id": None if "unencrypted" in bad else g.kms_arn(account, region),
    }
    return arn, name, attributes


def _iam_user(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = g.name(rng.choice(("svc", "ci", "user")), app)
    bad = _faults(g, ("mfa", "old_key"))
    console = rng.random() < 0.5
    keys = []
    if not console or rng.random() < 0.3:
        age = rng.randint(120, 900) if "old_key" in bad else rng.randint(1, 80)
        keys.append({
            "access_key_id": f"AKIA{g.hexid(16).upper()}",
            "status": "Active",
            "age_days": age,
            "create_date": "2026-01-01T09:00:00Z",
        })  # fmt: skip
    arn = f"arn:aws:iam::{account}:user/{name}"
    attributes = {
        "name": name,
        "arn": arn,
        "path": "/",
        "password_enabled": console,
        "mfa_enabled": console and "mfa" not in bad,
        "access_keys": keys,
    }
    return arn, name, attributes


def _dynamodb_table(g: _Gen, account: str, region: str, app: str) -> tuple[str, str, Any]:
    rng = g.rng
    name = g.name(app, "table")
    bad = _faults(g, ("pitr", "unencrypted"))
    attributes = {
        "name": name,
        "billing_mode": rng.choice(("PAY_PER_REQUEST", "PROVISIONED")),
        "point_in_time_recovery": None if "pitr" in bad else {"enabled": True},
        "server_side_encryption": None
        if "unencrypted" in bad
        else {"enabled": True, "kms_key_arn": g.kms_arn(account, region)},
    }
    return f"arn:aws:dynamodb:{region}:{account}:table/{name}", name, attributes


Builder = Callable[[_Gen, str, str, str], tuple[str, str, Any]]
AWS_BUILDERS: dict[str, Builder] = {
    "aws_s3_bucket": _s3_bucket,
    "aws_db_instance": _db_instance,
    "aws_rds_cluster": _rds_cluster,
    "aws_security_group": _security_group,
    "aws_kms_key": _kms_key,
    "aws_cloudwatch_log_group": _log_group,
    "aws_iam_user": _iam_user,
    "aws_dynamodb_table": _dynamodb_table,
}
DATA_STORES = {"aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table"}


def _aws_resource(g: _Gen, kind: str) -> Resource:
    account = g.rng.choice(ACCOUNTS)
    region = g.rng.choices(REGIONS, REGION_WEIGHTS)[0]
    app = g.rng.choice(APPS)
    service = AWS_MIX[kind][1]
    address, name, attributes = AWS_BUILDERS[kind](g, account, region, app)
    scope_region = "global" if service in GLOBAL_SERVICES else region
    return _aws(
        g,
        kind,
        address,
        account,
        None if kind == "aws_iam_user" else region,
        f"{account}/{service}/{scope_region}",
        name,
        g.tags(app, kind in DATA_STORES),
        attributes,
    )


# --- PostgreSQL resources (inventory) ---------------------------------------------------

# table archetype -> columns (name, data_type, classification)
TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "customers": (("email", "text", "email"), ("phone", "text", "phone"),
                  ("full_name", "text", "pii"), ("country", "text", "none")),
    "patients": (("full_name", "text", "pii"), ("diagnosis", "text", "phi"),
                 ("national_id", "text", "national_id"), ("ward", "text", "none")),
    "payment_cards": (("pan", "bytea", "pan"), ("expiry", "text", "pci"),
                      ("cardholder", "text", "pii")),
    "orders": (("customer_id", "bigint", "none"), ("total", "numeric", "none"),
               ("status", "text", "none"), ("shipping_address", "text", "pii")),
    "events": (("kind", "text", "none"), ("payload", "jsonb", "none"),
               ("occurred_at", "timestamp with time zone", "none")),
    "daily_revenue": (("day", "date", "none"), ("revenue", "numeric", "none")),
}  # fmt: skip
TABLE_WEIGHTS = (20, 8, 7, 25, 25, 15)
FILLER = (("created_at", "timestamp with time zone"), ("updated_at", "timestamp with time zone"),
          ("version", "integer"), ("notes", "text"), ("tenant_id", "bigint"),
          ("deleted", "boolean"))  # fmt: skip
CLASS_OF_COLUMN = {"pii": "pii", "email": "pii", "phone": "pii", "national_id": "pii",
                   "phi": "phi", "pci": "pci", "pan": "pci"}  # fmt: skip
SCHEMAS = ("public", "app", "billing", "clinic", "analytics")
DATABASES = ("orders", "crm", "clinic", "billing", "warehouse")


class _Server:
    def __init__(self, g: _Gen, number: int) -> None:
        rng = g.rng
        self.environment = rng.choices(ENVIRONMENTS, ENV_WEIGHTS)[0]
        self.owner = rng.choice(TEAMS)
        self.address = f"postgresql://pg-{number:04d}.{self.environment}.internal:5432"
        self.databases = rng.sample(DATABASES, k=rng.choice((1, 1, 2, 3)))
        self.tables_left = rng.randint(*TABLES_PER_SERVER)
        self.roles = ["postgres", "app_owner", "app_rw", "reporting"]


def _pg(
    server: _Server, kind: str, address: str, name: str, scope: str,
    attributes: dict[str, Any], data_classes: list[str] | None = None,
) -> Resource:  # fmt: skip
    """A resource as the PostgreSQL collector builds it, with the server's owner and
    environment (which the collector does not set) and its source."""
    built = postgres_model.resource(kind, address, name, attributes, data_classes)
    return {**built, "owner": server.owner, "environment": server.environment, "source": scope}


def _pg_server(g: _Gen, server: _Server) -> list[Resource]:
    rng = g.rng
    bad = _faults(g, ("ssl", "md5", "logging"))
    host = server.address.removeprefix("postgresql://")
    out = [
        _pg(server, "postgresql_server", server.address, host, server.address, {
            "server_version": rng.choice(("16.4", "17.2", "15.8")),
            "settings": {
                "ssl": "off" if "ssl" in bad else "on",
                "ssl_min_protocol_version": "TLSv1.2",
                "password_encryption": "md5" if "md5" in bad else "scram-sha-256",
                "log_connections": "off" if "logging" in bad else "on",
                "log_disconnections": "on",
                "log_statement": "ddl",
                "shared_preload_libraries": "pg_stat_statements,pgaudit",
            },
        }, ["pii"]),
    ]  # fmt: skip
    rules: list[tuple[str, list[str], list[str], str | None, str | None, str]] = [
        ("local", ["all"], ["postgres"], None, None, "peer"),
        ("hostssl", ["all"], ["all"], "10.0.0.0", "255.0.0.0", "scram-sha-256"),
    ]
    if g.bad():
        anywhere = ("host", ["all"], ["all"], "0.0.0.0", "0.0.0.0")  # noqa: S104 - a pg_hba line
        rules.append((*anywhere, rng.choice(("md5", "trust"))))
    rules.append(("hostssl", list(server.databases), ["app_rw"], "10.0.0.0", "255.0.0.0",
                  "scram-sha-256"))  # fmt: skip
    for line, (conn, dbs, users, ip, mask, method) in enumerate(rules, start=1):
        out.append(_pg(server, "postgresql_hba_rule", f"{server.address}/hba/{line}",
                       f"pg_hba.conf:{line}", f"{server.address}/hba", {
                           "line_number": line, "connection_type": conn, "databases": dbs,
                           "user_names": users, "address": ip, "netmask": mask,
                           "auth_method": method, "options": None}))  # fmt: skip
    for role in server.roles:
        fault = g.bad()  # app_owner: a superuser; the others: a password that never expires
        superuser = role == "postgres" or (role == "app_owner" and fault)
        expires = None if role == "postgres" or fault else "2027-06-30T00:00:00Z"
        out.append(_pg(server, "postgresql_role", f"{server.address}?role={role}", role,
                       f"{server.address}/roles", {
                           "rolname": role, "superuser": superuser, "can_login": True,
                           "create_role": superuser, "create_db": superuser,
                           "replication": role == "postgres", "bypass_rls": superuser,
                           "connection_limit": -1 if superuser else 50, "password_set": True,
                           "valid_until": expires, "member_of": []}))  # fmt: skip
    return out


def _pg_table(g: _Gen, server: _Server) -> Resource:
    rng = g.rng
    archetype = rng.choices(tuple(TABLES), TABLE_WEIGHTS)[0]
    database = rng.choice(server.databases)
    schema = rng.choice(SCHEMAS)
    table = f"{archetype}_{g.next_serial():06d}"
    bad = g.bad()
    columns: list[dict[str, Any]] = [
        {"name": "id", "data_type": "bigint", "classification": "none", "encrypted": False,
         "classified_by": "none"}
    ]  # fmt: skip
    for column, data_type, classification in TABLES[archetype]:
        sensitive = classification != "none"
        columns.append({
            "name": column, "data_type": data_type, "classification": classification,
            "encrypted": sensitive and classification in ("pan", "national_id") and not bad,
            "classified_by": "name" if sensitive else "none",
        })  # fmt: skip
    for column, data_type in rng.sample(FILLER, k=rng.randint(1, len(FILLER))):
        columns.append({"name": column, "data_type": data_type, "classification": "none",
                        "encrypted": False, "classified_by": "none"})  # fmt: skip
    classes = {CLASS_OF_COLUMN.get(c["classification"]) for c in columns} - {None}
    acl = [{"grantee": "app_owner", "grantor": "app_owner",
            "privileges": ["SELECT", "INSERT", "UPDATE", "DELETE"], "grantable": []},
           {"grantee": "app_rw", "grantor": "app_owner",
            "privileges": ["SELECT", "INSERT", "UPDATE"], "grantable": []}]  # fmt: skip
    if bad and rng.random() < 0.5:
        acl.append({"grantee": "PUBLIC", "grantor": "app_owner", "privileges": ["SELECT"],
                    "grantable": []})  # fmt: skip
    rls = bool(classes) and not bad
    attributes = {
        "database": database, "schema": schema, "name": table, "owner": "app_owner",
        "row_security": rls, "force_row_security": rls, "acl": acl, "columns": columns,
    }  # fmt: skip
    return _pg(
        server,
        "postgresql_table",
        f"{server.address}/{database}/{schema}/{table}",
        f"{database}.{schema}.{table}",
        f"{server.address}/{database}",
        attributes,
        [c for c in DATA_CLASSES if c in classes],
    )


# --- the inventory snapshot ---------------------------------------------------------------


def inventory(n: int, seed: int, bad_ratio: float = BAD_RATIO) -> dict[str, Any]:
    """An inventory snapshot of exactly n resources (AWS and PostgreSQL), sorted by address."""
    g = _Gen(seed, bad_ratio)
    kinds = [*AWS_MIX, "postgresql_table"]
    weights = [w for w, _ in AWS_MIX.values()] + [PG_TABLE_WEIGHT]
    resources: list[Resource] = []
    server: _Server | None = None
    servers = 0
    while len(resources) < n:
        kind = g.rng.choices(kinds, weights)[0]
        if kind != "postgresql_table":
            resources.append(_aws_resource(g, kind))
            continue
        if server is None or server.tables_left == 0:
            servers += 1
            server = _Server(g, servers)
            resources.extend(_pg_server(g, server))
        server.tables_left -= 1
        resources.append(_pg_table(g, server))
    del resources[n:]
    resources.sort(key=lambda r: str(r["address"]))
    scopes = sorted({(r["provider"], r["source"]) for r in resources})
    return {
        "schema_version": "1",
        "snapshot_id": f"bench-inventory-{n}-{seed}",
        "collected_at": COLLECTED_AT,
        "sources": [
            {"kind": "postgresql" if p == "postgresql" else "aws", "scope": s, "status": "complete"}
            for p, s in scopes
        ],
        "resources": resources,
    }


# --- the Terraform plan -------------------------------------------------------------------

PLAN_REGION = "eu-west-1"
PLAN_ACCOUNT = "111122223333"
S3_SPLITS = (
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_versioning",
)
# local name of each type inside one module; every module holds each with count = k
LOCAL = {
    "aws_kms_key": "main",
    "aws_s3_bucket": "data",
    "aws_db_instance": "db",
    "aws_security_group": "app",
    "aws_cloudwatch_log_group": "app",
}
_KEY_REF = "aws_kms_key.main[count.index].arn"


def _change(
    module: str, kind: str, index: int, after: dict[str, Any], unknown: dict[str, Any],
    sensitive: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    from tests.plan_builder import resource_change  # the tests' builder of valid changes

    name = LOCAL.get(kind, "data")
    prefix = f"{module}." if module else ""
    entry = resource_change(
        f"{prefix}{kind}.{name}[{index}]", kind, after, ["create"], unknown, sensitive, module
    )
    entry["index"] = index
    return entry


def _plan_tags(g: _Gen, app: str, data_store: bool) -> dict[str, str]:
    tags = g.tags(app, data_store)
    return tags or {"Application": app}  # Terraform modules tag everything they make


def _plan_unit(g: _Gen, module: str, index: int, app: str) -> list[dict[str, Any]]:
    """The changes of one count instance: a key, a bucket and its split settings, a
    database, a security group and a log group."""
    rng = g.rng
    changes: list[dict[str, Any]] = []
    tags = _plan_tags(g, app, False)
    bad = _faults(g, ("rotation",))
    key = {"description": f"{app} data key", "enable_key_rotation": not bad, "is_enabled": True,
           "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT",
           "multi_region": False, "deletion_window_in_days": 30,
           "bypass_policy_lockout_safety_check": False, "tags": tags, "tags_all": tags}  # fmt: skip
    changes.append(_change(module, "aws_kms_key", index, key,
                           {"arn": True, "id": True, "key_id": True, "policy": True}))  # fmt: skip

    bucket_tags = _plan_tags(g, app, True)
    bucket = {"bucket": g.name(f"acme-{app}", "bucket"), "force_destroy": False,
              "object_lock_enabled": False, "tags": bucket_tags,
              "tags_all": bucket_tags}  # fmt: skip
    changes.append(_change(module, "aws_s3_bucket", index, bucket, {
        "id": True, "arn": True, "bucket_domain_name": True, "bucket_regional_domain_name": True,
        "hosted_zone_id": True, "region": True, "versioning": True, "logging": True,
        "policy": True, "acl": True, "grant": True}))  # fmt: skip
    faults = _faults(g, ("unencrypted", "public", "versioning"))
    split_unknown = {"bucket": True, "id": True}
    if "unencrypted" not in faults:
        kms = rng.random() < 0.7  # a key of the same module: known only after apply
        default: dict[str, Any] = {"sse_algorithm": "aws:kms" if kms else "AES256"}
        unknown: dict[str, Any] = dict(split_unknown)
        if kms:
            unknown["rule"] = [{"apply_server_side_encryption_by_default": [
                {"kms_master_key_id": True}]}]  # fmt: skip
        else:
            default["kms_master_key_id"] = None
        sse = {"expected_bucket_owner": None,
               "rule": [{"apply_server_side_encryption_by_default": [default],
                         "bucket_key_enabled": kms}]}  # fmt: skip
        changes.append(_change(module, S3_SPLITS[0], index, sse, unknown))
    block = "public" not in faults
    changes.append(_change(module, S3_SPLITS[1], index, {
        "block_public_acls": True, "block_public_policy": block, "ignore_public_acls": True,
        "restrict_public_buckets": block}, split_unknown))  # fmt: skip
    status = "Suspended" if "versioning" in faults else "Enabled"
    changes.append(_change(module, S3_SPLITS[2], index, {
        "expected_bucket_owner": None, "mfa": None,
        "versioning_configuration": [{"status": status, "mfa_delete": None}]},
        split_unknown))  # fmt: skip

    db_tags = _plan_tags(g, app, True)
    faults = _faults(g, ("unencrypted", "public", "backup", "single_az"))
    encrypted = "unencrypted" not in faults
    database: dict[str, Any] = {
        "identifier": g.name(app, "db"), "engine": "postgres", "engine_version": "16.4",
        "instance_class": rng.choice(("db.r6g.large", "db.m6g.large", "db.t4g.medium")),
        "allocated_storage": rng.choice((20, 100, 500)), "storage_encrypted": encrypted,
        "publicly_accessible": "public" in faults,
        "backup_retention_period": 1 if "backup" in faults else rng.choice((7, 14, 35)),
        "multi_az": "single_az" not in faults, "deletion_protection": True,
        "iam_database_authentication_enabled": rng.random() < 0.6,
        "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"],
        "copy_tags_to_snapshot": True, "auto_minor_version_upgrade": True,
        "skip_final_snapshot": False, "username": "app_owner",
        "password": f"bench-password-{g.hexid(12)}", "tags": db_tags, "tags_all": db_tags,
    }  # fmt: skip
    db_unknown: dict[str, Any] = {"id": True, "arn": True, "address": True, "endpoint": True,
                                  "hosted_zone_id": True, "resource_id": True, "status": True,
                                  "vpc_security_group_ids": True}  # fmt: skip
    if encrypted:
        db_unknown["kms_key_id"] = True  # the module's own key, created in the same apply
    else:
        database["kms_key_id"] = None
    changes.append(_change(module, "aws_db_instance", index, database, db_unknown,
                           {"password": True}))  # fmt: skip

    faults = _faults(g, ("ssh", "db"))
    ingress = [_rule(443, "10.0.0.0/8", "internal https")]
    if "ssh" in faults:
        ingress.append(_rule(22, "0.0.0.0/0", "ssh"))
    if "db" in faults:
        ingress.append(_rule(5432, "0.0.0.0/0", None))
    group = {"name": g.name(app, "sg"), "description": f"{app} tier",
             "vpc_id": f"vpc-{g.hexid(17)}", "ingress": ingress, "egress": [],
             "revoke_rules_on_delete": False, "tags": tags, "tags_all": tags}  # fmt: skip
    changes.append(_change(module, "aws_security_group", index, group,
                           {"id": True, "arn": True, "owner_id": True}))  # fmt: skip

    faults = _faults(g, ("retention", "unencrypted"))
    logs: dict[str, Any] = {
        "name": f"/app/{g.name(app, 'logs')}", "log_group_class": "STANDARD",
        "retention_in_days": 14 if "retention" in faults else 400, "skip_destroy": False,
        "tags": tags, "tags_all": tags,
    }  # fmt: skip
    logs_unknown: dict[str, Any] = {"id": True, "arn": True}
    if "unencrypted" in faults:
        logs["kms_key_id"] = None
    else:
        logs_unknown["kms_key_id"] = True
    changes.append(_change(module, "aws_cloudwatch_log_group", index, logs, logs_unknown))
    return changes


def _module_configuration(count: int) -> dict[str, Any]:
    """One module's configuration: the references the fold follows (split -> bucket)."""

    def entry(kind: str, expressions: dict[str, Any]) -> dict[str, Any]:
        name = LOCAL.get(kind, "data")
        return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
                "provider_config_key": "aws", "expressions": expressions,
                "schema_version": 0, "count_expression": {"constant_value": count}}  # fmt: skip

    bucket = {"references": ["aws_s3_bucket.data[count.index].id",
                             "aws_s3_bucket.data[count.index]", "aws_s3_bucket.data"]}  # fmt: skip
    key = {"references": [_KEY_REF, "aws_kms_key.main[count.index]", "aws_kms_key.main"]}
    return {
        "resources": [
            entry("aws_kms_key", {"enable_key_rotation": {"constant_value": True}}),
            entry("aws_s3_bucket", {}),
            *(entry(split, {"bucket": bucket}) for split in S3_SPLITS),
            entry("aws_db_instance", {"kms_key_id": key, "engine": {"constant_value": "postgres"}}),
            entry("aws_security_group", {}),
            entry("aws_cloudwatch_log_group", {"kms_key_id": key}),
        ]
    }


def plan(
    n: int, seed: int, bad_ratio: float = BAD_RATIO, planned_values: bool = True
) -> dict[str, Any]:
    """A Terraform plan (format 1.2) of exactly n resource changes, all creates: the root
    module and modules app_1, app_2, ... each holding every type with count = 2..6.
    planned_values (as `terraform show -json` writes it) about doubles the size; the
    adapter reads resource_changes only."""
    g = _Gen(seed, bad_ratio)
    changes: list[dict[str, Any]] = []
    root: dict[str, Any] = {}
    calls: dict[str, Any] = {}
    number = 0
    while len(changes) < n:
        count = g.rng.randint(2, 6)
        app = g.rng.choice(APPS)
        module = f"module.app_{number}" if number else ""
        for index in range(count):
            changes.extend(_plan_unit(g, module, index, app))
        configuration = _module_configuration(count)
        if number:
            calls[f"app_{number}"] = {"source": "./modules/app", "module": configuration}
        else:
            root = configuration
        number += 1
    del changes[n:]
    planned: dict[str, list[dict[str, Any]]] = {}
    for change in changes if planned_values else ():  # Terraform's values after apply
        values = {k: v for k, v in change["change"]["after"].items()}
        planned.setdefault(change.get("module_address", ""), []).append({
            "address": change["address"], "mode": "managed", "type": change["type"],
            "name": change["name"], "index": change["index"],
            "provider_name": change["provider_name"], "schema_version": 0, "values": values,
            "sensitive_values": change["change"]["after_sensitive"],
        })  # fmt: skip
    document: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "timestamp": "2026-11-23T10:00:00Z",
    }
    if planned_values:
        document["planned_values"] = {
            "root_module": {
                "resources": planned.pop("", []),
                "child_modules": [
                    {"address": address, "resources": resources}
                    for address, resources in planned.items()
                ],
            }
        }
    return {
        **document,
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {"region": {"constant_value": PLAN_REGION}},
                }
            },
            "root_module": {**root, "module_calls": calls},
        },
    }


# --- self-test and command line -----------------------------------------------------------


def _load(document: dict[str, Any], directory: Path, name: str) -> list[Resource]:
    from compliance_opa.inventory.load import load_inventory

    path = directory / name
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded: list[Resource] = load_inventory(path).resources
    return loaded


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"self-test failed: {message}")


def _selftest() -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        document = inventory(200, 7)
        _check(inventory(200, 7) == document, "inventory is not deterministic")
        resources = _load(document, folder, "inventory.json")
        addresses = [r["address"] for r in resources]
        _check(len(set(addresses)) == len(resources) == 200, "addresses not unique")
        scopes = {s["scope"] for s in document["sources"]}
        _check(all(r["source"] in scopes for r in resources), "resource outside its sources")
        print(f"inventory(200, 7): valid; {dict(Counter(r['type'] for r in resources))}")

        document = plan(100, 7)
        _check(plan(100, 7) == document, "plan is not deterministic")
        _check(len(document["resource_changes"]) == 100, "not 100 changes")
        resources = _load(document, folder, "plan.json")
        adapted = _load_plan_source(folder / "plan.json")
        _check(adapted["status"] == "complete", str(adapted))
        buckets = [r for r in resources if r["type"] == "aws_s3_bucket"]
        folded = [r for r in buckets if r["attributes"].get("public_access_block") is not None]
        _check(bool(folded) and len(folded) == len(buckets), "split resources not folded")
        _check(any("kms_key_id" in r["unknown"] for r in resources), "nothing unknown")
        _check(any("module.app_" in r["address"] for r in resources), "no modules")
        print(f"plan(100, 7): valid, source {adapted['detail']!r}; "
              f"{dict(Counter(r['type'] for r in resources))}")  # fmt: skip


def _load_plan_source(path: Path) -> dict[str, Any]:
    from compliance_opa.inventory.load import load_inventory

    source: dict[str, Any] = load_inventory(path).document["sources"][0]
    return source


_BIG = 256  # a list longer than this is written item by item


def _big(value: Any, depth: int = 0) -> bool:
    if isinstance(value, list):
        return len(value) > _BIG
    if isinstance(value, dict) and depth < 3:
        return any(_big(v, depth + 1) for v in value.values())
    return False


def write_json(value: Any, write: Callable[[str], Any]) -> None:
    """Compact JSON, the long lists one item at a time: json.dumps (the C encoder) per
    item is several times faster than json.dump and never holds the whole text."""
    if isinstance(value, list) and len(value) > _BIG:
        write("[")
        for index, item in enumerate(value):
            if index:
                write(",")
            write_json(item, write)
        write("]")
    elif isinstance(value, dict) and _big(value):
        write("{")
        for index, (key, item) in enumerate(value.items()):
            write(("," if index else "") + json.dumps(key) + ":")
            write_json(item, write)
        write("}")
    else:
        write(json.dumps(value, separators=(",", ":")))


def main(argv: list[str]) -> int:
    if argv == ["--selftest"]:
        _selftest()
        return 0
    lean = argv[4:] == ["--no-planned-values"]
    if len(argv) - lean != 4 or argv[0] not in ("inventory", "plan"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, count, seed, out = argv[0], int(argv[1]), int(argv[2]), Path(argv[3])
    started = time.perf_counter()
    if kind == "inventory":
        document = inventory(count, seed)
    else:
        document = plan(count, seed, planned_values=not lean)
    built = time.perf_counter()
    with out.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        write_json(document, handle.write)
    done = time.perf_counter()
    print(
        f"{kind} n={count} seed={seed} -> {out} ({out.stat().st_size:,} bytes;"
        f" built {built - started:.2f}s, written {done - built:.2f}s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
