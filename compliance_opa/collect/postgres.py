"""PostgreSQL behind the Collector protocol (read-only, psycopg2 loaded only when collecting)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.postgres.options import PostgresOptions, options_from
from compliance_opa.collect.base import CollectProgress, CollectSummary, gaps_note, write_snapshot

DSN_VARIABLE = "OPA_COMPLY_POSTGRES_DSN"


@dataclass(frozen=True)
class PostgresFlags:
    dsns: tuple[str, ...] = ()
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
        dsns = given.dsns
        if not dsns and not section.get("dsns") and environ.get(DSN_VARIABLE):
            dsns = (environ[DSN_VARIABLE],)  # one DSN, read whole: key=value has spaces
        return options_from(
            section,
            dsns=dsns or None,
            databases=given.databases or None,
            sample_rows=given.sample_rows,
            exclude_schemas=given.exclude_schemas or None,
        )

    def collect(self, options: Any, output: Path, progress: CollectProgress) -> CollectSummary:
        from collectors.postgres.collect import collect_postgres  # psycopg2 likewise

        return write_snapshot(collect_postgres(options, progress.done), output, "PostgreSQL")

    def describe(self, summary: CollectSummary) -> str:
        return f"collected {summary.resources} resources into {summary.path}{gaps_note(summary)}"
