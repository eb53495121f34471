"""The collect service: run a collector, check its snapshot against the schema, write it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectors.aws.options import AwsOptions
from collectors.postgres.options import PostgresOptions
from collectors.snapshot import Source
from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory.schema import validate_document
from compliance_opa.support.atomic import write_all_atomic

if TYPE_CHECKING:
    from collectors.aws.accounts import CallObserver


@dataclass(frozen=True)
class CollectProgress:
    """Hooks the CLI uses to show progress; the service itself prints nothing."""

    planned: Callable[[int], None] | None = None
    done: Callable[[Source, int], None] | None = None


@dataclass(frozen=True)
class CollectSummary:
    path: Path
    resources: int
    accounts: int
    gaps: tuple[dict[str, str], ...]


def collect_aws_snapshot(
    options: AwsOptions,
    output: Path,
    progress: CollectProgress | None = None,
    observer: CallObserver | None = None,
) -> CollectSummary:
    progress = progress or CollectProgress()
    from collectors.aws.collect import collect_aws  # boto3 loads only when collecting

    snapshot = collect_aws(options, progress.planned, progress.done, observer)
    return _write(snapshot, output, "AWS")


def collect_postgres_snapshot(
    options: PostgresOptions, output: Path, progress: CollectProgress | None = None
) -> CollectSummary:
    progress = progress or CollectProgress()
    from collectors.postgres.collect import collect_postgres  # psycopg2 likewise

    return _write(collect_postgres(options, progress.done), output, "PostgreSQL")


def _write(snapshot: dict[str, Any], output: Path, what: str) -> CollectSummary:
    try:
        validate_document(f"collected {what} snapshot", snapshot)
    except InputError as exc:  # our collector wrote something the schema refuses: a bug
        raise EngineError(f"internal error (please report it): {exc}") from exc
    write_all_atomic({output: json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n"})
    return summarize(output, snapshot)


def summarize(path: Path, snapshot: dict[str, Any]) -> CollectSummary:
    return CollectSummary(
        path=path,
        resources=len(snapshot["resources"]),
        accounts=len({r["account"] for r in snapshot["resources"] if r["account"]}),
        gaps=tuple(s for s in snapshot["sources"] if s["status"] != "complete"),
    )
