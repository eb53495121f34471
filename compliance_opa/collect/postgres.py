"""PostgreSQL behind the Collector protocol (read-only, psycopg2 loaded only when collecting)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from collectors.postgres.options import PostgresOptions, options_from
from compliance_opa.collect.base import CollectProgress, CollectSummary, gaps_note, write_snapshot
from compliance_opa.errors import InputError

DSN_VARIABLE = "OPA_COMPLY_POSTGRES_DSN"


@dataclass(frozen=True)
class PostgresFlags:
    dsns: tuple[str, ...] = field(default=(), repr=False)  # may hold passwords
    dsn_envs: tuple[str, ...] = ()  # names of environment variables holding DSNs
    databases: tuple[str, ...] = ()
    sample_rows: int | None = None
    exclude_schemas: tuple[str, ...] = ()


class PostgresCollector:
    name = "postgres"
    # Gaps are listed after the collection: when nothing could be collected, the one
    # error line says it all.
    live_gaps = False

    def options(
        self, section: dict[str, Any], flags: Any, environ: Mapping[str, str]
    ) -> PostgresOptions:
        given = flags if isinstance(flags, PostgresFlags) else PostgresFlags()
        dsns = given.dsns + tuple(_from_environment(name, environ) for name in given.dsn_envs)
        if not dsns and not section.get("dsns") and environ.get(DSN_VARIABLE):
            dsns = (environ[DSN_VARIABLE],)  # one DSN, read whole: key=value has spaces
        return options_from(
            section,
            dsns=dsns or None,
            databases=given.databases or None,
            sample_rows=given.sample_rows,
            exclude_schemas=given.exclude_schemas or None,
        )

    def resume(self, options: Any, previous_run: datetime | None) -> Any:
        return options  # the estate as it is now, whenever the previous run was

    def warnings(self, flags: Any) -> list[str]:
        given = flags if isinstance(flags, PostgresFlags) else PostgresFlags()
        if not given.dsns:
            return []
        from collectors.postgres.dsn import has_password  # psycopg2: only when a DSN is given

        if any(has_password(dsn) for dsn in given.dsns):
            return [
                "--dsn holds a password, which other users of this machine can read in `ps`:"
                f" give it in an environment variable instead (--dsn-env NAME, or {DSN_VARIABLE})"
            ]
        return []

    def collect(self, options: Any, output: Path, progress: CollectProgress) -> CollectSummary:
        from collectors.postgres.collect import collect_postgres  # psycopg2 likewise

        return write_snapshot(collect_postgres(options, progress.done), output, "PostgreSQL")

    def describe(self, summary: CollectSummary) -> str:
        return f"collected {summary.resources} resources into {summary.path}{gaps_note(summary)}"


def _from_environment(name: str, environ: Mapping[str, str]) -> str:
    value = environ.get(name, "")
    if not value.strip():
        raise InputError(f"--dsn-env {name}: the environment variable is not set")
    return value
