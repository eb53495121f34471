"""The registry of live sources: services look collectors up by name, so a new source is
one more entry in COLLECTORS and no `if` elsewhere."""

from __future__ import annotations

from compliance_opa.collect.auditlog import AuditLogCollector
from compliance_opa.collect.aws import AwsCollector
from compliance_opa.collect.base import Collector
from compliance_opa.collect.postgres import PostgresCollector
from compliance_opa.errors import InputError

# boto3 and psycopg2 load only when a collection runs, not when this is imported.
COLLECTORS: dict[str, Collector] = {
    c.name: c for c in (AwsCollector(), PostgresCollector(), AuditLogCollector())
}


def collector(name: str) -> Collector:
    try:
        return COLLECTORS[name]
    except KeyError:
        raise InputError(f"unknown source {name!r} (expected {', '.join(names())})") from None


def names() -> list[str]:
    return list(COLLECTORS)
