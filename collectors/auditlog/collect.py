"""Audit logs of a period into one inventory snapshot: a `postgresql_audit_summary` for the
PostgreSQL logs given and an `aws_cloudtrail_summary` per account of each CloudTrail
location. A location that cannot be read is a failed source (a coverage gap in the
snapshot), never an empty summary that would read as a quiet period."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from collectors.auditlog.options import AuditLogOptions
from collectors.auditlog.period import Period
from collectors.snapshot import Source, build_snapshot
from compliance_opa.errors import InputError

KIND = "audit_log"


def period_of(options: AuditLogOptions, now: datetime) -> Period:
    """The period the options name: [--from, --to), the end defaulting to now and the start
    to `period_days` before the end."""
    end = options.end or now
    start = options.start or end - timedelta(days=options.period_days)
    try:
        return Period(start, end)
    except ValueError as exc:
        raise InputError(f"audit-log period: {exc}") from None


def collect_audit_logs(
    options: AuditLogOptions,
    now: datetime,
    classified: dict[str, list[str]] | None = None,
    login_roles: frozenset[str] | None = None,
    done: Callable[[Source, int], None] | None = None,
) -> dict[str, Any]:
    """The snapshot of the period's audit logs. `classified`: database.schema.table -> the
    data classes `collect postgres` found, for the sensitive-operation counts;
    `login_roles`: the roles that can log in (None: not known), for GRANTs to them."""
    if not options.postgres_logs and not options.cloudtrail:
        raise InputError(
            "no audit logs to read: give --postgres-log or --cloudtrail (or the config's"
            " audit_logs.postgres.logs / audit_logs.cloudtrail.locations)"
        )
    period = period_of(options, now)
    resources: list[dict[str, Any]] = []
    sources: list[Source] = []
    if options.postgres_logs:
        source, found = _postgres(options, period, classified or {}, login_roles)
        sources.append(source)
        resources += found
        if done is not None:
            done(source, len(found))
    if options.cloudtrail:
        client = _s3_client(options)
        for location in options.cloudtrail:
            source, found = _cloudtrail(location, options, period, client)
            sources.append(source)
            resources += found
            if done is not None:
                done(source, len(found))
    return build_snapshot(now, sources, resources)


def _postgres(
    options: AuditLogOptions,
    period: Period,
    classified: dict[str, list[str]],
    login_roles: frozenset[str] | None,
) -> tuple[Source, list[dict[str, Any]]]:
    from collectors.auditlog.postgres import summarise_postgres_logs

    scope = f"postgresql:{options.postgres_server}"
    summary = summarise_postgres_logs(
        [Path(p) for p in options.postgres_logs],
        period=period,
        server=options.postgres_server,
        log_format=options.log_format,
        line_prefix=options.log_line_prefix,
        classified=classified,
        pgaudit_configured=options.pgaudit_configured,
        login_roles=login_roles,
    )
    files = len(summary["attributes"].get("sources") or [])
    return Source(KIND, scope, "complete", f"{files} log files read"), [summary]


def _cloudtrail(
    location: str, options: AuditLogOptions, period: Period, client: Any
) -> tuple[Source, list[dict[str, Any]]]:
    from botocore.exceptions import BotoCoreError, ClientError

    from collectors.auditlog.cloudtrail import summarise_cloudtrail
    from collectors.aws.failures import classify

    try:
        found = summarise_cloudtrail(
            location,
            period=period,
            s3=client,
            public_keys=_public_keys(options.public_keys),
            sensitive_events=options.sensitive_events,
        )
    except (ClientError, BotoCoreError) as exc:
        status, detail = classify(exc)
        return Source(KIND, location, status, detail), []
    return Source(KIND, location, "complete", f"{len(found)} accounts"), found


# Seconds to connect to S3 and to wait for each answer (each read of an object's body):
# botocore's default of 60 s per read, tried 5 times, let a silent endpoint hold a run
# for minutes per call.
S3_CONNECT_TIMEOUT = 10
S3_READ_TIMEOUT = 20


def _s3_client(options: AuditLogOptions) -> Any:
    import boto3
    from botocore.config import Config

    session = boto3.Session(profile_name=options.profile, region_name=options.region)
    # AWS_MAX_ATTEMPTS, when set, chooses the attempts (a fixed count here would override it).
    retries: dict[str, Any] = {"mode": "standard"}
    if not os.environ.get("AWS_MAX_ATTEMPTS"):
        retries["max_attempts"] = 5
    config = Config(
        retries=retries,
        connect_timeout=S3_CONNECT_TIMEOUT,
        read_timeout=S3_READ_TIMEOUT,
    )
    return session.client("s3", endpoint_url=options.endpoint_url, config=config)


def _public_keys(files: dict[str, str]) -> dict[str, bytes] | None:
    if not files:
        return None
    keys: dict[str, bytes] = {}
    for fingerprint, name in files.items():
        try:
            # Read at most a little over MAX_KEY_BYTES: a key file named /dev/zero (or a
            # huge file given by mistake) is refused, not read until memory runs out.
            with Path(name).open("rb") as handle:
                data = handle.read(MAX_KEY_BYTES + 1)
        except OSError as exc:
            raise InputError(
                f"CloudTrail public key {fingerprint}: cannot read {name}: {exc.strerror}"
            ) from None
        if len(data) > MAX_KEY_BYTES:
            raise InputError(
                f"CloudTrail public key {fingerprint}: {name} is over {MAX_KEY_BYTES >> 10} KiB,"
                " not a public key"
            )
        keys[fingerprint.lower()] = data
    return keys


MAX_KEY_BYTES = 64 * 1024  # an RSA public key in PEM is under 2 KiB even at 8192 bits
