"""Collect PostgreSQL servers into one snapshot; what cannot be read becomes a source entry.

Per DSN: one connection for the server-wide catalog (settings, hba rules, roles,
the list of databases), then one connection per database. Every connection is
read-only with statement and lock timeouts, and closed when its part is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import psycopg2

from collectors.postgres import queries
from collectors.postgres.database import collect_database
from collectors.postgres.dsn import Target, parse_target
from collectors.postgres.options import PostgresOptions
from collectors.postgres.server import collect_server
from collectors.postgres.session import ConnectionLost, connect, describe, is_connection_lost, rows
from collectors.snapshot import Source, build_snapshot
from compliance_opa.errors import EngineError, InputError

ProgressCallback = Callable[[Source, int], None]


def check_options(options: PostgresOptions) -> list[Target]:
    if not options.dsns:
        raise InputError(
            "no database to collect: give --dsn (or OPA_COMPLY_POSTGRES_DSN, or postgres.dsns)"
        )
    if options.sample_rows < 0:
        raise InputError("--sample-rows: must be 0 (off) or more")
    targets = [parse_target(dsn, index) for index, dsn in enumerate(options.dsns, start=1)]
    return _one_per_server(targets)


def _one_per_server(targets: list[Target]) -> list[Target]:
    """Several DSNs for one server (one per database, as people write them) make one
    target that collects the databases they name; they must agree on everything else."""
    by_server: dict[str, list[Target]] = {}
    for target in targets:
        by_server.setdefault(target.server, []).append(target)
    merged: list[Target] = []
    for server, group in by_server.items():
        first = group[0]
        for other in group[1:]:
            if other.connection_params != first.connection_params:
                raise InputError(
                    f"--dsn {other.display}: {server} is given twice with other credentials or"
                    " options; give one DSN per server, and the databases with --database"
                )
        if len(group) == 1:
            merged.append(first)
        else:
            named = tuple(dict.fromkeys(t.params.get("dbname", "") for t in group))
            merged.append(replace(first, databases=tuple(n for n in named if n)))
    return merged


def collect_postgres(
    options: PostgresOptions, on_done: ProgressCallback | None = None
) -> dict[str, Any]:
    targets = check_options(options)
    collected_at = datetime.now(UTC).replace(microsecond=0)
    sources: list[Source] = []
    resources: list[dict[str, Any]] = []
    for target in targets:
        for source, found in _collect_target(target, options):
            sources.append(source)
            resources += found
            if on_done:
                on_done(source, len(found))
    if not resources:
        gaps = "; ".join(f"{s.scope}: {s.detail}" for s in sources if s.status != "complete")
        raise EngineError(f"nothing could be collected from PostgreSQL: {gaps}")
    return build_snapshot(collected_at, sources, resources)


def _collect_target(
    target: Target, options: PostgresOptions
) -> list[tuple[Source, list[dict[str, Any]]]]:
    """(source, resources) for the server and for each of its databases."""
    try:
        connection = connect(target.dsn, options, limits=False)
    except psycopg2.Error as exc:
        return [(Source("postgresql", target.server, "failed", target.redact(describe(exc))), [])]
    try:
        part = collect_server(connection, target, options)
        databases = [str(name) for (name,) in rows(connection, queries.DATABASES)]
        connection.rollback()
    except Exception as exc:  # any failure is this server's gap; the other servers go on
        return [(Source("postgresql", target.server, "failed", _failure(target, exc)), [])]
    finally:
        connection.close()
    for resource in part.resources:  # so a change scan knows which source vouches for it
        part_of = {"postgresql_hba_rule": "hba", "postgresql_role": "roles"}.get(resource["type"])
        resource["source"] = f"{target.server}/{part_of}" if part_of else target.server
    results: list[tuple[Source, list[dict[str, Any]]]] = [
        (Source("postgresql", target.server, "complete"), part.resources)
    ]
    results += [(source, []) for source in part.sources]
    wanted = list(options.databases) or list(target.databases) or databases
    for database in wanted:
        scope = f"{target.server}/{database}"
        if database not in databases:
            results.append(
                (
                    Source(
                        "postgresql", scope, "failed", "no such database, or it refuses connections"
                    ),
                    [],
                )
            )
            continue
        results.append(_collect_database(target, database, options))
    return results


def _collect_database(
    target: Target, database: str, options: PostgresOptions
) -> tuple[Source, list[dict[str, Any]]]:
    scope = f"{target.server}/{database}"
    try:
        connection = connect(target.for_database(database), options)
    except psycopg2.Error as exc:
        return Source("postgresql", scope, "failed", target.redact(describe(exc))), []
    try:
        part = collect_database(connection, target.server, database, options)
        connection.rollback()
    except Exception as exc:  # any failure is this database's gap; the others go on
        # Nothing half-read is kept: a database's objects are judged together or not at all.
        return Source("postgresql", scope, "failed", _failure(target, exc)), []
    finally:
        connection.close()
    for resource in part.resources:
        resource["source"] = scope
    if part.problems:
        shown, more = part.problems[:3], len(part.problems) - 3
        detail = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        return Source("postgresql", scope, "partial", detail), part.resources
    return Source("postgresql", scope, "complete"), part.resources


def _failure(target: Target, exc: BaseException) -> str:
    if isinstance(exc, ConnectionLost) or (
        isinstance(exc, psycopg2.Error) and is_connection_lost(exc)
    ):
        return target.redact(f"connection lost during collection: {describe(exc)}")
    if isinstance(exc, psycopg2.Error):
        return target.redact(describe(exc))
    # Not the server's words (say, text the client cannot decode): the message could hold
    # data, so only the kind of failure is recorded.
    return f"could not read the catalog: {type(exc).__name__}"
