"""`collect aws` and `collect postgres`: a live source into a snapshot file."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer

from compliance_opa.app.collect import collect_snapshot
from compliance_opa.cli.console import PrintedEvents, one_line_errors
from compliance_opa.cli.options import (
    AllRegionsOption,
    ConfigOption,
    DatabaseOption,
    DsnEnvOption,
    DsnOption,
    EndpointUrlOption,
    ExcludeSchemaOption,
    ExternalIdOption,
    MaxAttemptsOption,
    MaxWorkersOption,
    ProfileOption,
    QuietOption,
    RegionOption,
    RetryModeOption,
    RoleArnOption,
    SampleRowsOption,
    ServicesOption,
)
from compliance_opa.collect.aws import AwsFlags
from compliance_opa.collect.postgres import PostgresFlags
from compliance_opa.errors import ExitCode

collect_app = typer.Typer(no_args_is_help=True, help="Snapshot live inventory into JSON.")


def aws_flags(o: Any) -> AwsFlags:
    """The AWS options of a command (shared by `collect aws` and `scan --collect aws`)."""
    return AwsFlags(
        profile=o.profile,
        regions=tuple(o.region or ()),
        all_regions=o.all_regions,
        role_arns=tuple(o.role_arn or ()),
        external_id=o.external_id,
        endpoint_url=o.endpoint_url,
        services=o.services,
        retry_mode=o.retry_mode.value if o.retry_mode else None,
        max_attempts=o.max_attempts,
        max_workers=o.max_workers,
    )


def postgres_flags(o: Any) -> PostgresFlags:
    return PostgresFlags(
        dsns=tuple(o.dsn or ()),
        dsn_envs=tuple(o.dsn_env or ()),
        databases=tuple(o.database or ()),
        sample_rows=o.sample_rows,
        exclude_schemas=tuple(o.exclude_schema or ()),
    )


@collect_app.command("aws")
@one_line_errors
def collect_aws_command(
    output: Annotated[Path, typer.Option(help="Write the snapshot here (atomically).")],
    profile: ProfileOption = None,
    region: RegionOption = None,
    all_regions: AllRegionsOption = False,
    role_arn: RoleArnOption = None,
    external_id: ExternalIdOption = None,
    endpoint_url: EndpointUrlOption = None,
    services: ServicesOption = None,
    retry_mode: RetryModeOption = None,
    max_attempts: MaxAttemptsOption = None,
    max_workers: MaxWorkersOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> int:
    """Collect AWS accounts (read-only) into an inventory snapshot.

    What could not be read (denied, throttled, region disabled) is recorded in
    the snapshot's sources and shown here; the rest is still collected.
    """
    flags = aws_flags(SimpleNamespace(**locals()))
    collect_snapshot("aws", flags, output, config, os.environ, PrintedEvents(quiet), quiet)
    return ExitCode.OK


@collect_app.command("postgres")
@one_line_errors
def collect_postgres_command(
    output: Annotated[Path, typer.Option(help="Write the snapshot here (atomically).")],
    dsn: DsnOption = None,
    dsn_env: DsnEnvOption = None,
    database: DatabaseOption = None,
    sample_rows: SampleRowsOption = None,
    exclude_schema: ExcludeSchemaOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> int:
    """Collect PostgreSQL servers (read-only) into an inventory snapshot.

    Settings, pg_hba.conf rules, roles, schemas, tables with classified columns,
    privileges, extensions and languages. Sampled values are never stored.
    """
    flags = postgres_flags(SimpleNamespace(**locals()))
    collect_snapshot("postgres", flags, output, config, os.environ, PrintedEvents(quiet), quiet)
    return ExitCode.OK
