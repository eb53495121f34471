"""AWS behind the Collector protocol (read-only, boto3 loaded only when collecting)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectors.aws.options import AwsOptions, options_from
from compliance_opa.collect.base import CollectProgress, CollectSummary, gaps_note, write_snapshot
from compliance_opa.errors import InputError

if TYPE_CHECKING:
    from collectors.aws.accounts import CallObserver


@dataclass(frozen=True)
class AwsFlags:
    """Command-line values; None (or False) leaves the config's value."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    role_arns: tuple[str, ...] = ()
    external_id: str | None = None
    endpoint_url: str | None = None
    services: str | None = None  # comma-separated, as typed
    retry_mode: str | None = None
    max_attempts: int | None = None
    max_workers: int | None = None


class AwsCollector:
    name = "aws"
    live_gaps = True

    def options(
        self, section: dict[str, Any], flags: Any, environ: Mapping[str, str]
    ) -> AwsOptions:
        given = flags if isinstance(flags, AwsFlags) else AwsFlags()
        chosen: tuple[str, ...] | None = None
        if given.services is not None:
            chosen = tuple(s.strip() for s in given.services.split(",") if s.strip())
            if not chosen:
                raise InputError("--services: name at least one service")
        return options_from(
            section,
            profile=given.profile,
            regions=given.regions or None,
            all_regions=True if given.all_regions else None,
            role_arns=given.role_arns or None,
            external_id=given.external_id,
            endpoint_url=given.endpoint_url,
            services=chosen,
            retry_mode=given.retry_mode,
            max_attempts=given.max_attempts,
            max_workers=given.max_workers,
        )

    def collect(
        self,
        options: Any,
        output: Path,
        progress: CollectProgress,
        observer: CallObserver | None = None,
    ) -> CollectSummary:
        from collectors.aws.collect import collect_aws  # boto3 loads only when collecting

        snapshot = collect_aws(options, progress.planned, progress.done, observer)
        return write_snapshot(snapshot, output, "AWS")

    def resume(self, options: Any, previous_run: datetime | None) -> Any:
        return options  # the estate as it is now, whenever the previous run was

    def warnings(self, flags: Any) -> list[str]:
        return []

    def describe(self, summary: CollectSummary) -> str:
        return (
            f"collected {summary.resources} resources from {summary.accounts} accounts"
            f" into {summary.path}{gaps_note(summary)}"
        )
