"""`scan`, `plan` and `drift`: one set of options, one service, three kinds."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer
from rich.console import Console

from compliance_opa.app import scan as scan_service
from compliance_opa.app.scan import ScanKind, ScanRequest
from compliance_opa.cli.collect import aws_flags, postgres_flags
from compliance_opa.cli.console import PrintedEvents, display, one_line_errors, stdout_console
from compliance_opa.cli.options import (
    AllRegionsOption,
    CaBundleOption,
    ConfigOption,
    DatabaseOption,
    DsnEnvOption,
    DsnOption,
    EndpointUrlOption,
    ExcludeSchemaOption,
    ExternalIdOption,
    FailOn,
    FrameworkOption,
    LiveSource,
    MaxAttemptsOption,
    MaxWorkersOption,
    OpaUrlOption,
    OutputFormat,
    PoliciesOption,
    ProfileOption,
    PublishOption,
    QuietOption,
    RegionOption,
    RetryModeOption,
    RoleArnOption,
    SampleRowsOption,
    ServicesOption,
    StateOption,
)
from compliance_opa.domain.findings import Severity
from compliance_opa.engine.client import MAX_WORKERS
from compliance_opa.engine.connect import EngineSettings, clean_token
from compliance_opa.engine.request_builder import DEFAULT_MAX_REQUEST_BYTES
from compliance_opa.errors import ExitCode
from compliance_opa.inventory.load import DEFAULT_MAX_BYTES


def scan(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[INPUT]...", help="Inventory JSON files or folders to scan."),
    ] = None,
    collect: Annotated[
        list[LiveSource] | None,
        typer.Option(help="Collect this live source first and scan it too (repeatable)."),
    ] = None,
    save_snapshot: Annotated[
        Path | None, typer.Option(help="Keep the collected snapshot here (atomically).")
    ] = None,
    framework: FrameworkOption = None,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 1 when a finding is at or above this severity.")
    ] = FailOn.low,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="Output format; table on a terminal, json otherwise."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the report here (atomically) instead of stdout.")
    ] = None,
    report_dir: Annotated[
        Path | None,
        typer.Option(
            help="Also write JSON, SARIF, JUnit, Markdown, HTML, CSV, OSCAL and PR-comment"
            " reports here."
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="An earlier JSON report: only new failures fail; fixed ones are listed."),
    ] = None,
    opa_url: OpaUrlOption = None,
    opa_ca_bundle: CaBundleOption = None,
    opa_timeout: Annotated[
        float,
        typer.Option(envvar="OPA_TIMEOUT", min=0.1, help="Seconds to wait for each OPA answer."),
    ] = 60.0,
    opa_max_request_bytes: Annotated[
        int,
        typer.Option(
            envvar="OPA_MAX_REQUEST_BYTES",
            min=1024,
            help="Split the input into OPA requests no larger than this (OPA refuses bodies"
            " over 128 MiB unless configured otherwise).",
        ),
    ] = DEFAULT_MAX_REQUEST_BYTES,
    opa_workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            help="OPA requests evaluated at once on inputs over 1 MiB (default: one per CPU).",
        ),
    ] = None,
    policies: PoliciesOption = None,
    config: ConfigOption = None,
    max_input_bytes: Annotated[
        int, typer.Option(min=1, help="Refuse inputs larger than this in total.")
    ] = DEFAULT_MAX_BYTES,
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
    dsn: DsnOption = None,
    dsn_env: DsnEnvOption = None,
    database: DatabaseOption = None,
    sample_rows: SampleRowsOption = None,
    exclude_schema: ExcludeSchemaOption = None,
    quiet: QuietOption = False,
    waivers: Annotated[
        Path | None,
        typer.Option(help="YAML file of expiring waivers (default: the config's waivers.file)."),
    ] = None,
    state: StateOption = None,
    no_state: Annotated[
        bool, typer.Option("--no-state", help="Do not record this scan in the state store.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Evaluate every resource, not only those changed since the scope's last"
            " recorded scan (the verdict cache is refreshed).",
        ),
    ] = False,
    scope: Annotated[
        str | None,
        typer.Option(help="Name of what is scanned, for history and drift (default: derived)."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Compare with the state store, but record nothing and send nothing."
        ),
    ] = False,
    publish_to: PublishOption = None,
) -> int:
    """Evaluate inventory snapshots (and live collections) against the compliance checks."""

    return _run(ScanKind.SCAN, locals())


def _run(kind: ScanKind, options: dict[str, Any]) -> int:
    o = SimpleNamespace(**options)
    console = stdout_console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=140)  # CI logs: wide enough for addresses and messages
    chosen = o.output_format or (OutputFormat.table if console.is_terminal else OutputFormat.json)
    request = ScanRequest(
        kind=kind,
        engine=EngineSettings(
            opa_url=o.opa_url,
            token=clean_token(os.environ.get("OPA_TOKEN")),  # env only: tokens stay out of `ps`
            ca_bundle=o.opa_ca_bundle,
            timeout=o.opa_timeout,
            policies=o.policies,
        ),
        inputs=tuple(o.inputs or ()),
        collect=tuple(s.value for s in o.collect or ()),
        collector_flags={
            "aws": aws_flags(o),
            "postgres": postgres_flags(o),
        },
        save_snapshot=o.save_snapshot,
        frameworks=tuple(dict.fromkeys(f.value for f in o.framework or [])),
        fail_on=None if o.fail_on is FailOn.none else Severity(o.fail_on.value),
        output_format=chosen.value,
        output=o.output,
        report_dir=o.report_dir,
        display=display(chosen.value, console) if o.output is None else None,
        baseline=o.baseline,
        max_request_bytes=o.opa_max_request_bytes,
        opa_workers=o.opa_workers or 0,
        config=o.config,
        max_input_bytes=o.max_input_bytes,
        quiet=o.quiet,
        waivers=o.waivers,
        state=o.state,
        no_state=o.no_state,
        no_cache=o.no_cache,
        scope=o.scope,
        dry_run=o.dry_run,
        publish_to=o.publish_to,
        profile=o.profile,
        environ=os.environ,
    )
    outcome = scan_service.run(request, PrintedEvents(o.quiet))
    return ExitCode.FINDINGS if outcome.breached else ExitCode.OK


def command(kind: ScanKind) -> Callable[..., None]:
    """The `scan`, `plan` or `drift` command: the same options, one kind each."""

    @wraps(scan)
    def run(**options: Any) -> int:
        return _run(kind, options)

    return one_line_errors(run)
