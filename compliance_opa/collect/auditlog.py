"""Audit logs behind the Collector protocol: `evidence audit-logs`, and `drift` with
`audit_logs` in `drift.collect` (boto3 loaded only when CloudTrail is read)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from collectors.auditlog.options import AuditLogOptions, options_from
from compliance_opa.collect.base import CollectProgress, CollectSummary, gaps_note, write_snapshot
from compliance_opa.errors import InputError
from compliance_opa.inventory.load import load_inventory


@dataclass(frozen=True)
class AuditLogFlags:
    start: datetime | None = None
    end: datetime | None = None
    postgres_logs: tuple[str, ...] = ()
    postgres_server: str | None = None
    log_format: str | None = None
    log_line_prefix: str | None = None
    classification: str | None = None
    cloudtrail: tuple[str, ...] = ()
    public_keys: dict[str, str] = field(default_factory=dict)
    endpoint_url: str | None = None
    profile: str | None = None
    region: str | None = None


class AuditLogCollector:
    name = "audit_logs"
    live_gaps = False

    def options(
        self, section: dict[str, Any], flags: Any, environ: Mapping[str, str]
    ) -> AuditLogOptions:
        given = flags if isinstance(flags, AuditLogFlags) else AuditLogFlags()
        options = options_from(section, **given.__dict__)
        if options.start is not None and options.end is not None and options.end <= options.start:
            raise InputError("--to must be after --from")
        return options

    def resume(self, options: Any, previous_run: datetime | None) -> Any:
        """A scheduled run summarises the period since the scope's previous run, unless a
        start was given."""
        if previous_run is None or options.start is not None:
            return options
        return replace(options, start=previous_run)

    def warnings(self, flags: Any) -> list[str]:
        return []

    def collect(self, options: Any, output: Path, progress: CollectProgress) -> CollectSummary:
        from collectors.auditlog.collect import collect_audit_logs

        estate = known_estate(options.classification)
        if options.pgaudit_configured is None and estate.pgaudit_configured is not None:
            options = replace(options, pgaudit_configured=estate.pgaudit_configured)
        now = datetime.now(UTC)
        snapshot = collect_audit_logs(
            options, now, estate.classified, estate.login_roles, progress.done
        )
        return write_snapshot(snapshot, output, "audit-log")

    def describe(self, summary: CollectSummary) -> str:
        return f"summarised audit logs into {summary.path}{gaps_note(summary)}"


@dataclass(frozen=True)
class KnownEstate:
    """What a `collect postgres` snapshot tells the summary: the classified tables
    (database.schema.table -> data classes), the roles that can log in, and whether a
    server preloads pgaudit with something to log (None: the snapshot does not say)."""

    classified: dict[str, list[str]] = field(default_factory=dict)
    login_roles: frozenset[str] | None = None
    pgaudit_configured: bool | None = None


def known_estate(path: str | None) -> KnownEstate:
    """The snapshot's facts, read through every input check; nothing without one."""
    if path is None:
        return KnownEstate()
    classified: dict[str, list[str]] = {}
    roles: set[str] = set()
    configured: bool | None = None
    for resource in load_inventory(Path(path)).resources:
        attributes = resource.get("attributes") or {}
        kind = resource.get("type")
        if kind == "postgresql_table" and resource.get("data_classes"):
            name = ".".join(str(attributes.get(k, "")) for k in ("database", "schema", "name"))
            classified[name] = sorted(str(c) for c in resource["data_classes"])
        elif kind == "postgresql_role" and attributes.get("can_login") is True:
            roles.add(str(attributes.get("rolname", "")))
        elif kind == "postgresql_server":
            settings = attributes.get("settings") or {}
            preload = str(settings.get("shared_preload_libraries", ""))
            logged = str(settings.get("pgaudit.log", "none")).strip().lower()
            here = "pgaudit" in [s.strip() for s in preload.split(",")] and logged != "none"
            configured = bool(configured) or here
    return KnownEstate(classified, frozenset(roles), configured)
