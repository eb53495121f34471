"""What every collector shares: the Collector protocol, progress hooks, the summary of a
collection, and writing a snapshot (checked against the inventory schema first).

A collector turns its config section and command-line flags into options, collects,
checks the snapshot and writes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from collectors.snapshot import Source
from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory.schema import validate_document
from compliance_opa.support.atomic import write_all_atomic


@dataclass(frozen=True)
class CollectProgress:
    """Hooks a front end uses to show progress; collectors themselves print nothing."""

    planned: Callable[[int], None] | None = None
    done: Callable[[Source, int], None] | None = None


@dataclass(frozen=True)
class CollectSummary:
    path: Path
    resources: int
    accounts: int
    gaps: tuple[dict[str, str], ...]


class Collector(Protocol):
    @property
    def name(self) -> str:
        """The source's name on the command line and in the config's drift.collect."""

    @property
    def live_gaps(self) -> bool:
        """Whether coverage gaps are shown as they happen (else listed at the end)."""

    def options(self, section: dict[str, Any], flags: Any, environ: Mapping[str, str]) -> Any:
        """The collector's options: its config section with the flags given on top."""

    def warnings(self, flags: Any) -> list[str]:
        """What the user should know about how the flags were given (a password in `ps`)."""

    def resume(self, options: Any, previous_run: datetime | None) -> Any:
        """The options for a scheduled run that follows one started at `previous_run`
        (None: the first run); a source of events reads from there."""

    def collect(self, options: Any, output: Path, progress: CollectProgress) -> CollectSummary:
        """Collect into a snapshot file at `output` (written atomically)."""

    def describe(self, summary: CollectSummary) -> str:
        """One line saying what was collected."""


def write_snapshot(snapshot: dict[str, Any], output: Path, what: str) -> CollectSummary:
    """Check a collector's snapshot against the schema and write it atomically."""
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


def gaps_note(summary: CollectSummary) -> str:
    return f"; {len(summary.gaps)} coverage gaps (see sources)" if summary.gaps else ""
