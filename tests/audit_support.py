"""Audit-log summary resources for the report tests: one of each type in the shape of
their schemas (inventory_schemas/resources/), with hostile estate text in the fields reports
print, and the summary examples under examples/library/."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema

from compliance_opa.domain.audit import AUDIT_TYPES, audit_of
from compliance_opa.domain.report import ScanReport
from tests import report_builder as rb
from tests.conftest import REPO

# Markup, a Markdown link and image, a mention, a table cell break and a control character.
EVIL = (
    "<img src=x onerror=\"document.title='pwned'\">[x](http://e.test)"
    " ![i](http://e.test/p.png) @admin | \x1b[31m"
)
SHA_A = "a" * 64
SHA_B = "b" * 64
SHA_C = "c" * 64


def _event(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "time": "2026-11-03T10:00:00Z",
        "event_name": name,
        "event_source": "iam.amazonaws.com",
        "region": "eu-west-1",
        "principal_arn": "arn:aws:iam::123456789012:user/alice",
        "principal_type": "IAMUser",
        "source_ip": "198.51.100.7",
        "error_code": None,
        **extra,
    }


def postgresql_summary() -> dict[str, Any]:
    grant = {
        "time": "2026-11-02T09:00:00Z",
        "database": "clinic",
        "user": EVIL,
        "client": "10.0.0.5",
        "class": "ROLE",
        "command": "GRANT",
        "object_type": "TABLE",
        "object_name": "public.patients",
        "privileges": ["SELECT"],
        "object_kind": "TABLE",
        "objects": ["public.patients"],
        "grantees": [{"name": "PUBLIC", "public": True, "login": None}],
        "data_classes": ["phi"],
    }
    ddl = {
        "time": "2026-11-04T09:00:00Z",
        "database": "clinic",
        "user": "migrator",
        "client": "10.0.0.6",
        "class": "DDL",
        "command": "CREATE TABLE",
        "object_type": "TABLE",
        "object_name": "public.visits",
    }
    return {
        "address": "postgresql-audit://clinic-primary",
        "type": "postgresql_audit_summary",
        "provider": "postgresql",
        "account": None,
        "region": None,
        "name": "clinic-primary",
        "tags": {},
        "data_classes": ["phi"],
        "attributes": {
            "server": "clinic-primary",
            "period_start": "2026-11-01T00:00:00Z",
            "period_end": "2026-12-01T00:00:00Z",
            "sources": [
                {
                    "path": "/var/log/postgresql/clinic.csv",
                    "format": "csvlog",
                    "sha256": SHA_A,
                    "bytes": 100,
                    "lines": 10,
                    "records": 10,
                },
            ],
            "pgaudit_configured": True,
            "total_operations": 1234,
            "by_database": {"clinic": 1234},
            "by_user": {"app": 1200, "migrator": 34},
            "by_class": {"READ": 1000, "WRITE": 200, "ROLE": 1, "DDL": 33},
            "by_command": {"SELECT": 1000},
            "sensitive_operations": {
                "total": 57,
                "reads": 50,
                "writes": 7,
                "tables": [
                    {
                        "table": "clinic.public.patients",
                        "data_classes": ["phi"],
                        "reads": 50,
                        "writes": 7,
                    },
                ],
            },
            "role_statements": [grant],
            "role_statements_total": 1,
            "ddl_statements": [ddl],
            "ddl_statements_total": 33,
            "classified_grants": [grant],
            "classified_grants_total": 1,
            "access_violations": [{"user": "intern", "client": "10.0.0.9", "count": 3}],
            "access_violations_total": 3,
            "failed_logins": [
                {"user": "admin", "client": "203.0.113.4", "sqlstate": "28P01", "count": 12}
            ],
            "failed_logins_total": 12,
        },
        "unknown": [],
        "sensitive": [],
    }


def cloudtrail_summary() -> dict[str, Any]:
    def capped(*events: dict[str, Any], total: int | None = None) -> dict[str, Any]:
        return {"total": len(events) if total is None else total, "events": list(events),
                "truncated": total is not None and total > len(events)}  # fmt: skip

    def category(*events: dict[str, Any]) -> dict[str, Any]:
        return {**capped(*events), "failed": 0, "by_event_name": {}}

    integrity: dict[str, list[dict[str, Any]]] = {
        "missing_digests": [{"region": "eu-west-1", "trail": "main", "from": "2026-11-05T00:00:00Z",
                             "to": "2026-11-05T01:00:00Z"}],
        "hash_mismatches": [{"object": "s3://trail-logs/AWSLogs/123456789012/x.json.gz",
                             "digest": "s3://trail-logs/d.json.gz", "detail": EVIL}],
        "missing_log_files": [],
        "logs_not_in_digest": [],
        "unreadable_files": [],
        "broken_chain": [],
        "bad_signatures": [],
    }  # fmt: skip
    return {
        "address": "s3://trail-logs/org#123456789012",
        "type": "aws_cloudtrail_summary",
        "provider": "aws",
        "account": "123456789012",
        "region": None,
        "name": "trail-logs/org 123456789012",
        "tags": {},
        "data_classes": [],
        "attributes": {
            "location": "s3://trail-logs/org",
            "organization_id": None,
            "period_start": "2026-11-01T00:00:00Z",
            "period_end": "2026-12-01T00:00:00Z",
            "sources": [
                {
                    "uri": "s3://trail-logs/org/AWSLogs/123456789012/CloudTrail/eu-west-1/",
                    "kind": "cloudtrail_log_files",
                    "objects": 720,
                    "bytes": 1000,
                    "sha256": SHA_B,
                },
                {
                    "uri": "s3://trail-logs/org/AWSLogs/123456789012/CloudTrail-Digest/eu-west-1/",
                    "kind": "cloudtrail_digest_files",
                    "objects": 720,
                    "bytes": 100,
                    "sha256": SHA_C,
                },
            ],
            "log_files_read": 720,
            "digest_files_read": 720,
            "trails": ["main"],
            "regions": {"eu-west-1": {"events": 5000, "log_files": 720, "digest_files": 720}},
            "signatures_unverified": False,
            **integrity,
            "integrity_totals": {k: len(v) for k, v in integrity.items()},
            "total_events": 5000,
            "events_outside_period": 4,
            "tracked_event_names": ["StopLogging"],
            "sensitive_events": {
                "trail_changes": category(
                    _event("StopLogging", event_source="cloudtrail.amazonaws.com", target="main")
                ),
                "iam_changes": category(_event("CreateUser", target=EVIL), _event("DeleteUser")),
                "kms_key_disabling": category(),
                "bucket_policy_acl_changes": category(),
                "security_group_changes": category(),
            },
            "root_activity": capped(_event("ListBuckets", principal_type="Root"), total=600),
            "console_logins_without_mfa": capped(_event("ConsoleLogin")),
            "failed_console_logins": capped(),
            "security_group_ingress_opened": capped(),
            "access_denied": {
                "total": 9,
                "by_principal": [
                    {
                        "principal_arn": "arn:aws:iam::123456789012:user/bob",
                        "principal_type": "IAMUser",
                        "count": 9,
                    }
                ],
                "truncated": False,
            },
        },
        "unknown": [],
        "sensitive": [],
    }


def schema_errors(resource: dict[str, Any]) -> list[str]:
    path = REPO / "inventory_schemas" / "resources" / f"{resource['type']}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(resource)]


def example_summaries() -> list[dict[str, Any]]:
    """The audit-log summary resources of examples/library/*audit-summary.json."""
    found = []
    for path in sorted((REPO / "examples" / "library").glob("*audit-summary.json")):
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        found += [r for r in document["resources"] if r["type"] in AUDIT_TYPES]
    return found


def audit_report(*resources: dict[str, Any]) -> ScanReport:
    """A small report whose inputs held these summaries (default: one of each type)."""
    chosen = [copy.deepcopy(r) for r in resources] or [postgresql_summary(), cloudtrail_summary()]
    return replace(rb.report({"PG-AUD-001": [chosen[0]["address"]]}), audit=audit_of(chosen))
