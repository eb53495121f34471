"""Command line: the only module that prints. Errors become one line and an exit code."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum, StrEnum
from functools import partial, wraps
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, ParamSpec

import typer
from rich.console import Console

from collectors.aws.options import RETRY_MODES, AwsOptions, options_from
from collectors.postgres.options import PostgresOptions
from collectors.postgres.options import options_from as postgres_options_from
from collectors.snapshot import Source as SnapshotSource
from compliance_opa import __version__
from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.outbox import (
    DeliveryResult,
    DeliverySettings,
    Sender,
    deliver,
    list_rows,
    make_due,
    requeue_dead,
)
from compliance_opa.alerts.settings import (
    AlertSettings,
    alert_settings,
    channel_recipients,
    resolve_channels,
)
from compliance_opa.app.evaluate import run_scan
from compliance_opa.app.policies import as_json, as_markdown, loaded_checks, print_table
from compliance_opa.app.record import Recorded, preview, record
from compliance_opa.cli.evidence import evidence_app
from compliance_opa.cli.views.outbox import outbox_json, print_outbox
from compliance_opa.cli.views.progress import collect_progress, gap_line
from compliance_opa.cli.views.report_table import print_report
from compliance_opa.collect.snapshot import (
    CollectSummary,
    collect_aws_snapshot,
    collect_postgres_snapshot,
)
from compliance_opa.config.load import Config, load_config
from compliance_opa.config.waivers_file import load_waivers
from compliance_opa.domain.apply_waivers import apply_waivers
from compliance_opa.domain.baseline import compare
from compliance_opa.domain.findings import FRAMEWORKS, Severity, findings_digest
from compliance_opa.domain.report import ScanReport, breaches
from compliance_opa.domain.waivers import WaiverOutcome, WaiverPolicy
from compliance_opa.engine.binary import PINNED_OPA_VERSION
from compliance_opa.engine.client import MAX_WORKERS
from compliance_opa.engine.connect import EngineSettings, PendingEngine, clean_token, open_engine
from compliance_opa.engine.request_builder import DEFAULT_MAX_REQUEST_BYTES, ChunkSettings
from compliance_opa.errors import ComplianceError, EngineError, ExitCode, InputError
from compliance_opa.evidence import (
    Artifact,
    Digest,
    Entry,
    Signer,
    Store,
    append,
    open_ledger,
    signer_from_config,
)
from compliance_opa.inventory.load import (
    DEFAULT_MAX_BYTES,
    Inventory,
    check_unique_addresses,
    load_inventories,
    load_inventory,
)
from compliance_opa.reports import FILE_NAMES, RENDERERS
from compliance_opa.reports.baseline_file import load_baseline
from compliance_opa.reports.publish import (
    PublishOptions,
    publish_options,
    publish_reports,
    validate,
)
from compliance_opa.state import report_codec as stored_scan
from compliance_opa.state.history import stored_report
from compliance_opa.state.store import DEFAULT_LOCK_TIMEOUT, StateStore, open_store
from compliance_opa.support.atomic import write_all_atomic
from compliance_opa.support.memory import return_large_blocks

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Policy-as-code compliance checks (GDPR, HIPAA, PCI DSS, SOC 2) on Open Policy Agent.",
)

Framework = Enum("Framework", {f: f for f in FRAMEWORKS}, type=str)  # type: ignore[misc]


class FailOn(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    none = "none"


class Source(StrEnum):
    aws = "aws"
    postgres = "postgres"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    html = "html"
    csv = "csv"
    oscal = "oscal"
    pr_comment = "pr-comment"


P = ParamSpec("P")

# Options shared by `scan` and `policies list`.
FrameworkOption = Annotated[
    list[Framework] | None,
    typer.Option("--framework", help="Only checks mapped to this framework (repeatable)."),
]
OpaUrlOption = Annotated[
    str | None,
    typer.Option(envvar="OPA_URL", help="Use this OPA server instead of the managed sidecar."),
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option(envvar="OPA_CA_BUNDLE", help="CA bundle to verify a remote OPA's TLS."),
]
PoliciesOption = Annotated[
    Path | None,
    typer.Option(help="Policy directory for the managed sidecar (default: bundled policies)."),
]


# Options shared by `collect aws` and `scan --collect aws`; they override the config's `aws:`.
ProfileOption = Annotated[str | None, typer.Option(help="AWS profile (default: AWS_PROFILE).")]
RegionOption = Annotated[
    list[str] | None,
    typer.Option("--region", help="Region to collect (repeatable; default: the profile's)."),
]
AllRegionsOption = Annotated[
    bool, typer.Option("--all-regions", help="Collect every region the account has enabled.")
]
RoleArnOption = Annotated[
    list[str] | None,
    typer.Option("--role-arn", help="Assume this role and collect its account (repeatable)."),
]
ExternalIdOption = Annotated[
    str | None,
    typer.Option(envvar="OPA_COMPLY_AWS_EXTERNAL_ID", help="External id for --role-arn."),
]
EndpointUrlOption = Annotated[
    str | None, typer.Option(help="Send every AWS call to this endpoint (proxies, emulators).")
]
ServicesOption = Annotated[
    str | None, typer.Option(help="Comma-separated services to collect (default: all).")
]
RetryMode = StrEnum("RetryMode", {m: m for m in RETRY_MODES})  # type: ignore[misc]
RetryModeOption = Annotated[
    RetryMode | None, typer.Option(help="botocore retry mode (default: standard).")
]
MaxAttemptsOption = Annotated[
    int | None, typer.Option(min=1, max=20, help="Attempts per AWS call (default: 5).")
]
MaxWorkersOption = Annotated[
    int | None, typer.Option(min=1, max=64, help="Concurrent AWS collections (default: 8).")
]
# Options shared by `collect postgres` and `scan --collect postgres`.
DsnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--dsn",
        help="Server to collect: postgresql:// URI or key=value string (repeatable; never"
        " echoed). Default: OPA_COMPLY_POSTGRES_DSN, then the config's postgres.dsns.",
    ),
]
DatabaseOption = Annotated[
    list[str] | None,
    typer.Option("--database", help="Only this database (repeatable; default: all)."),
]
SampleRowsOption = Annotated[
    int | None,
    typer.Option(min=0, max=100_000, help="Sample this many rows per table to classify columns."),
]
ExcludeSchemaOption = Annotated[
    list[str] | None, typer.Option("--exclude-schema", help="Skip this schema (repeatable).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress or gap lines.")]
StateOption = Annotated[
    str | None,
    typer.Option(
        envvar="OPA_COMPLY_STATE",
        help="State store: a SQLite path or sqlite:///path, or postgresql://... (default:"
        " $XDG_STATE_HOME/opa-comply/state.db).",
    ),
]
PublishOption = Annotated[
    str | None,
    typer.Option(
        "--publish",
        help="Upload the written reports to s3://bucket/prefix (SSE-KMS) and print presigned"
        " links (config publish: kms_key_id, expires_seconds, at most 7 days).",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(help="YAML config: `parameters:` for the checks, `aws:` for collection."),
]


def _one_line_errors(command: Callable[P, int]) -> Callable[P, None]:
    """Turn our errors and interrupts into one line on stderr and the documented exit code."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        try:
            code = command(*args, **kwargs)
        except ComplianceError as exc:
            err.print(f"opa-comply: error: {_one_line(str(exc))}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("opa-comply: interrupted", markup=False)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Exception as exc:  # a bug of ours: still one line, and never exit 1
            detail = _one_line(f"{type(exc).__name__}: {exc}")
            err.print(f"opa-comply: internal error: {detail} (please report it)", markup=False)
            raise typer.Exit(ExitCode.ENGINE) from None
        raise typer.Exit(code)

    return run


def scan(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[INPUT]...", help="Inventory JSON files or folders to scan."),
    ] = None,
    collect: Annotated[
        list[Source] | None,
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
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=140)  # CI logs: wide enough for addresses and messages
    chosen = output_format or (OutputFormat.table if console.is_terminal else OutputFormat.json)
    mode = _MODE.get()
    plans_only = mode == "plan"
    if plans_only and (collect or not inputs):
        raise InputError("plan: give Terraform plan JSON files (terraform show -json plan.out)")
    loaded = load_config(config) if config is not None else Config()
    if mode == "drift" and not collect:
        collect = [Source(c) for c in loaded.drift.get("collect", [])]
    if not inputs and not collect:
        raise InputError("nothing to scan: give inventory files or --collect aws|postgres")
    if no_state and (dry_run or mode == "drift"):
        raise InputError(
            f"--no-state: {mode if mode == 'drift' else '--dry-run'} needs the state store"
        )
    alerting = alert_settings(str(config), loaded.alerts) if mode == "drift" else AlertSettings()
    # Secrets are read now: a missing one fails before anything is collected or recorded.
    senders = resolve_channels(alerting.channels, os.environ) if not dry_run else {}
    waiver_file = waivers or (Path(loaded.waivers["file"]) if "file" in loaded.waivers else None)
    policy = WaiverPolicy.from_config(loaded.waivers)
    today = datetime.now(UTC).date()
    accepted = load_waivers(waiver_file, policy, today) if waiver_file else None
    state_url = state or loaded.state.get("url")
    lock_timeout = float(loaded.state.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
    # `drift` keeps history in the default store; `scan` and `plan` only in a named one.
    keep_history = not no_state and (mode == "drift" or dry_run or state_url is not None)
    settings = EngineSettings(
        opa_url=opa_url,
        token=clean_token(os.environ.get("OPA_TOKEN")),  # env only: tokens stay out of `ps`
        ca_bundle=opa_ca_bundle,
        timeout=opa_timeout,
        policies=policies,
    )
    settings.check()
    files = _report_files(chosen, output, report_dir)  # checked before collection and OPA
    distribution = _distribution(loaded, publish_to, profile, files)
    selected = list(dict.fromkeys(f.value for f in framework or []))
    engine = PendingEngine(settings)  # OPA starts while the inputs are read
    try:
        inventories = load_inventories(list(inputs or []), max_input_bytes) if inputs else []
        if plans_only:
            for inventory in inventories:
                if not any(s["kind"] == "terraform_plan" for s in inventory.document["sources"]):
                    raise InputError(
                        f"{inventory.path}: not a Terraform plan (use `scan` for snapshots)"
                    )
        prior = load_baseline(baseline) if baseline is not None else None
        sources = list(dict.fromkeys(collect or []))
        if save_snapshot is not None:
            if len(sources) > 1:
                raise InputError(
                    "--save-snapshot keeps one collection: collect one source per scan"
                )
            _check_writable_file(save_snapshot, "--save-snapshot")
        # Every recorded scan leaves a record in the evidence ledger; its store and signing key
        # are checked now, before any work.
        evidence = _evidence(loaded, selected) if keep_history and not dry_run else None
        # The store is opened (and a corrupt or locked one refused) before any collection.
        store = open_store(state_url, lock_timeout) if keep_history else None
    except BaseException:
        engine.close()
        raise
    try:
        for source in sources:
            budget = max_input_bytes - sum(i.size for i in inventories)
            if source is Source.aws:
                aws = _aws_options(
                    loaded.aws, profile, region, all_regions, role_arn, external_id,
                    endpoint_url, services, retry_mode, max_attempts, max_workers,
                )  # fmt: skip
                collector: Callable[[Path], CollectSummary] = partial(_collect, aws, quiet=quiet)
            else:
                pg = _postgres_options(loaded.postgres, dsn, database, sample_rows, exclude_schema)
                collector = partial(_collect_postgres, pg, quiet=quiet)
            inventories.append(_collected_inventory(collector, source.value, save_snapshot, budget))
            check_unique_addresses(inventories)
        chunking = ChunkSettings(opa_max_request_bytes, opa_workers or 0)
        with engine.running() as client:  # stopped after: what follows needs no OPA
            report = run_scan(inventories, client, selected, loaded.parameters, chunking)
        if "threshold" in loaded.report:
            report = replace(report, threshold=float(loaded.report["threshold"]))
        if accepted is not None:
            results, outcome = apply_waivers(report.results, accepted, today, policy)
            report = replace(report, results=results, waivers=outcome)
            if not quiet:
                _warn_waivers(outcome)
        if prior is not None:
            report = replace(report, comparison=compare(report.findings, prior))

        def publish(shown: ScanReport) -> None:
            texts = _Rendered(shown)
            write_all_atomic({path: texts.of(render) for path, render in files.items()})
            if output is None:
                _print(texts, chosen, console)
            if distribution is not None and not dry_run:
                _publish(distribution, files, shown.scan_id)
            if evidence is not None:
                _append_evidence(evidence, shown, texts, quiet)

        if store is None:
            publish(report)
        else:
            named = scope or loaded.drift.get("scope")
            where = named or _default_scope(inventories)
            if mode == "drift" and not named and not quiet:
                _note(f"drift scope {where!r} derived from the inputs (set drift.scope to name it)")
            try:
                recorded = _record(store, report, where, mode, alerting, dry_run, publish)
            except ComplianceError:
                # Reports, publishing or the ledger failed: the scan stays incomplete, but
                # the alerts it queued are real and still go out.
                if mode == "drift" and senders:
                    _deliver(store, senders, alerting.delivery, where, quiet)
                raise
            report = recorded.report
            if mode == "drift":
                _alert(store, recorded, senders, alerting.delivery, dry_run, quiet)
    finally:
        engine.close()
        if store is not None:
            store.close()
    threshold = None if fail_on is FailOn.none else Severity(fail_on.value)
    return ExitCode.FINDINGS if breaches(report, threshold) else ExitCode.OK


class _Rendered:
    """Each format rendered once, however many places want it."""

    def __init__(self, report: ScanReport):
        self.report = report
        self._texts: dict[Callable[[ScanReport], str], str] = {}

    def of(self, render: Callable[[ScanReport], str]) -> str:
        if render not in self._texts:
            self._texts[render] = render(self.report)
        return self._texts[render]


def _evidence(loaded: Config, frameworks: Sequence[str]) -> tuple[Store, Signer | None]:
    signer = signer_from_config(loaded.evidence, os.environ)
    return open_ledger(None, loaded.evidence, frameworks=frameworks or FRAMEWORKS), signer


def _append_evidence(
    evidence: tuple[Store, Signer | None], report: ScanReport, texts: _Rendered, quiet: bool
) -> None:
    """The scan's record: its inputs, findings and every report format, kept as evidence."""
    ledger, signer = evidence
    entry = Entry(
        scan_id=report.scan_id,
        scope=report.scope,
        tool_version=report.tool_version,
        opa_version=report.opa_version,
        policy_digest=report.policy_digest,
        snapshot_digests=tuple(Digest(i.path, i.digest) for i in report.inputs),
        findings_digest=findings_digest(report.findings),
        artifacts=tuple(
            Artifact(FILE_NAMES[name], texts.of(render).encode())
            for name, render in RENDERERS.items()
        ),
    )
    record = append(ledger, entry, signer)
    if not quiet:
        _note(f"evidence record {record['sequence']} appended to {ledger.location}")


def _distribution(
    loaded: Config, target: str | None, profile: str | None, files: Mapping[Path, object]
) -> tuple[str, PublishOptions] | None:
    """Where --publish (or the config's publish.target) sends the reports, checked now."""
    chosen, options = publish_options(loaded.publish, target=target, profile=profile)
    if chosen is None:
        return None
    if not files:
        raise InputError("--publish: write the reports with --report-dir or --output first")
    validate(chosen, options)
    return chosen, options


def _publish(
    distribution: tuple[str, PublishOptions], files: Mapping[Path, object], scan_id: str
) -> None:
    target, options = distribution
    folder = scan_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    published = publish_reports({p.name: p for p in files}, target, options, folder=folder)
    for item in published:
        expires = item.expires_at.isoformat(timespec="seconds").replace("+00:00", "Z")
        _note(f"published {item.name} (link expires {expires}): {item.url}")


def _note(text: str) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"opa-comply: {_one_line(text)}", markup=False)


def _warn_waivers(outcome: WaiverOutcome) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    lines = [
        f"waiver {w.id} expired on {w.expires}: its findings count again" for w in outcome.expired
    ]
    lines += [f"waiver {w.id} expires on {w.expires}" for w in outcome.expiring]
    lines += [f"waiver {w.id} matches no finding (stale)" for w in outcome.stale]
    for line in lines:
        err.print(f"opa-comply: warning: {_one_line(line)}", markup=False)


def _record(
    store: StateStore,
    report: ScanReport,
    scope: str,
    mode: str,
    alerting: AlertSettings,
    dry_run: bool,
    publish: Callable[[ScanReport], None],
) -> Recorded:
    def recipients(channel: str, event: AlertEvent) -> Sequence[str]:
        return channel_recipients(alerting.channels[channel], event)

    rules = alerting.rules if mode == "drift" else ()
    if dry_run:
        return preview(store, report, scope, mode, publish, rules, recipients)
    return record(store, report, scope, mode, stored_scan.dumps, publish, rules, recipients)


def _alert(
    store: StateStore,
    recorded: Recorded,
    senders: Mapping[str, Sender],
    delivery: DeliverySettings,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Deliver what the scan queued (and anything left from earlier runs); say how it went."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if dry_run:
        for d in recorded.plan.deliveries:
            to = f" to {d.recipient}" if d.recipient else ""
            err.print(
                f"opa-comply: would send {d.event.kind} to {d.channel}{to}:"
                f" {d.event.check_id} {d.event.resource} (risk {d.event.risk})",
                markup=False,
            )
        return
    if senders:
        _deliver(store, senders, delivery, recorded.report.scope, quiet,
                 f"{len(recorded.plan.deliveries)} queued by this scan, ")  # fmt: skip


def _deliver(
    store: StateStore,
    senders: Mapping[str, Sender],
    delivery: DeliverySettings,
    scope: str,
    quiet: bool,
    queued: str = "",
) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        result = deliver(store, senders, delivery, scope)
    except ComplianceError as exc:  # the scan is recorded: what is queued goes out next run
        err.print(f"opa-comply: warning: alerts not delivered: {_one_line(str(exc))}", markup=False)
        return
    if not quiet:
        _say_delivered(result, queued)


def _say_delivered(result: DeliveryResult, before: str) -> None:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for line in result.errors:
        err.print(f"opa-comply: warning: {_one_line(line)}", markup=False)
    err.print(
        f"opa-comply: alerts: {before}{result.sent} sent, {result.retrying} waiting to retry,"
        f" {result.dead} dead (opa-comply alerts list)",
        markup=False,
    )


def _default_scope(inventories: Sequence[Inventory]) -> str:
    """What was scanned, as a name that stays the same across runs, machines and
    credentials: AWS accounts, PostgreSQL servers, plan files, else the input file names."""
    names: set[str] = set()
    for inventory in inventories:
        sources = inventory.document["sources"]
        for source in sources:
            kind, where = str(source["kind"]), str(source["scope"])
            if kind == "aws":
                names.add(f"aws:{where.split('/')[0]}")
            elif kind == "postgresql":
                names.add("/".join(where.split("/")[:3]))  # postgresql://host:port
            else:
                names.add(f"{kind}:{Path(where).name}")
        if not sources:
            names.add(f"file:{inventory.path.name}")
    return " + ".join(sorted(names))


# `plan` is `scan` for Terraform plans: the same options, every input must be a plan.
# `drift` is `scan` that compares with the scope's last scan and sends alerts.
_MODE: ContextVar[str] = ContextVar("mode", default="scan")


def _scan_command(mode: str) -> Callable[..., int]:
    @wraps(scan)
    def run(*args: Any, **kwargs: Any) -> int:
        token = _MODE.set(mode)
        try:
            return scan(*args, **kwargs)
        finally:
            _MODE.reset(token)

    return run


app.command("scan")(_one_line_errors(_scan_command("scan")))
app.command(
    "plan",
    help="Judge Terraform plans (terraform show -json) before merge; same options as scan.",
)(_one_line_errors(_scan_command("plan")))
app.command(
    "drift",
    help="Collect (the config's drift.collect), scan, compare with the last scan of the same"
    " scope, and send alerts for what is new and what was resolved; same options as scan.",
)(_one_line_errors(_scan_command("drift")))

collect_app = typer.Typer(no_args_is_help=True, help="Snapshot live inventory into JSON.")
app.add_typer(collect_app, name="collect")


@collect_app.command("aws")
@_one_line_errors
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
    _check_writable_file(output, "--output")
    loaded = load_config(config) if config is not None else Config()
    options = _aws_options(
        loaded.aws, profile, region, all_regions, role_arn, external_id, endpoint_url,
        services, retry_mode, max_attempts, max_workers,
    )  # fmt: skip
    _collect(options, output, quiet)
    return ExitCode.OK


def _aws_options(
    config: dict[str, Any],
    profile: str | None,
    regions: list[str] | None,
    all_regions: bool,
    role_arns: list[str] | None,
    external_id: str | None,
    endpoint_url: str | None,
    services: str | None,
    retry_mode: RetryMode | None,
    max_attempts: int | None,
    max_workers: int | None,
) -> AwsOptions:
    """Options from the AWS command-line options (shared by `collect aws` and `scan`) over
    the config's `aws:` section; an option not given leaves the config's value."""
    chosen: tuple[str, ...] | None = None
    if services is not None:
        chosen = tuple(s.strip() for s in services.split(",") if s.strip())
        if not chosen:
            raise InputError("--services: name at least one service")
    return options_from(
        config,
        profile=profile,
        regions=tuple(regions) if regions else None,
        all_regions=True if all_regions else None,
        role_arns=tuple(role_arns) if role_arns else None,
        external_id=external_id,
        endpoint_url=endpoint_url,
        services=chosen,
        retry_mode=retry_mode.value if retry_mode else None,
        max_attempts=max_attempts,
        max_workers=max_workers,
    )


def _collect(options: AwsOptions, output: Path, quiet: bool = False) -> CollectSummary:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with collect_progress(err, quiet) as progress:
        summary = collect_aws_snapshot(options, output, progress)
    if not quiet:
        gaps = f"; {len(summary.gaps)} coverage gaps (see sources)" if summary.gaps else ""
        err.print(
            f"opa-comply: collected {summary.resources} resources from"
            f" {summary.accounts} accounts into {summary.path}{gaps}",
            markup=False,
        )
    return summary


def _collected_inventory(
    collect: Callable[[Path], CollectSummary], name: str, save_snapshot: Path | None, budget: int
) -> Inventory:
    """Collect, then load the snapshot back through the same checks as any input."""
    if save_snapshot is not None:
        collect(save_snapshot)
        return load_inventory(save_snapshot, budget)
    with tempfile.TemporaryDirectory(prefix="opa-comply-") as scratch:
        path = Path(scratch) / f"{name}-snapshot.json"
        collect(path)
        # Held whole: the file is gone before the scan reads its resources again.
        inventory = load_inventory(path, budget, stream=False)
    return replace(inventory, path=Path(f"live {name} collection"))


@collect_app.command("postgres")
@_one_line_errors
def collect_postgres_command(
    output: Annotated[Path, typer.Option(help="Write the snapshot here (atomically).")],
    dsn: DsnOption = None,
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
    _check_writable_file(output, "--output")
    loaded = load_config(config) if config is not None else Config()
    options = _postgres_options(loaded.postgres, dsn, database, sample_rows, exclude_schema)
    _collect_postgres(options, output, quiet)
    return ExitCode.OK


def _postgres_options(
    config: dict[str, Any],
    dsns: list[str] | None,
    databases: list[str] | None,
    sample_rows: int | None,
    exclude_schemas: list[str] | None,
) -> PostgresOptions:
    if not dsns and not config.get("dsns") and os.environ.get("OPA_COMPLY_POSTGRES_DSN"):
        # One DSN, read whole: a key=value string has spaces in it.
        dsns = [os.environ["OPA_COMPLY_POSTGRES_DSN"]]
    return postgres_options_from(
        config,
        dsns=tuple(dsns) if dsns else None,
        databases=tuple(databases) if databases else None,
        sample_rows=sample_rows,
        exclude_schemas=tuple(exclude_schemas) if exclude_schemas else None,
    )


def _collect_postgres(
    options: PostgresOptions, output: Path, quiet: bool = False
) -> CollectSummary:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    # Gaps are listed after the collection: when nothing could be collected, the one
    # error line says it all.
    with collect_progress(err, quiet, live_gaps=False) as progress:
        summary = collect_postgres_snapshot(options, output, progress)
    if not quiet:
        for gap in summary.gaps:
            err.print(gap_line(SnapshotSource(**gap)), markup=False)
        gaps = f"; {len(summary.gaps)} coverage gaps (see sources)" if summary.gaps else ""
        err.print(
            f"opa-comply: collected {summary.resources} resources into {summary.path}{gaps}",
            markup=False,
        )
    return summary


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


@app.command("report")
@_one_line_errors
def report_command(
    scan_ref: Annotated[
        str, typer.Option("--scan", help="`latest`, or the id of a recorded scan.")
    ] = "latest",
    scope: Annotated[
        str | None, typer.Option(help="With --scan latest: the latest scan of this scope.")
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="Output format; table on a terminal, json otherwise."),
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Write the report here (atomically).")] = None,
    report_dir: Annotated[
        Path | None, typer.Option(help="Also write every report format into this folder.")
    ] = None,
    state: StateOption = None,
    config: ConfigOption = None,
    publish_to: PublishOption = None,
    profile: ProfileOption = None,
) -> int:
    """Render the report of a recorded scan, in any format, as the scan produced it."""
    console = Console()
    chosen = output_format or (OutputFormat.table if console.is_terminal else OutputFormat.json)
    loaded = load_config(config) if config is not None else Config()
    files = _report_files(chosen, output, report_dir)
    distribution = _distribution(loaded, publish_to, profile, files)
    with _open_configured_store(state, loaded) as store, store.transaction() as tx:
        _, text = stored_report(tx, scan_ref, scope)
    report = stored_scan.loads(text)
    if "threshold" in loaded.report:  # judged again against today's threshold
        report = replace(report, threshold=float(loaded.report["threshold"]))
    texts = _Rendered(report)
    write_all_atomic({path: texts.of(render) for path, render in files.items()})
    if output is None:
        _print(texts, chosen, console)
    if distribution is not None:
        _publish(distribution, files, report.scan_id)
    return ExitCode.OK


app.add_typer(evidence_app, name="evidence")

alerts_app = typer.Typer(no_args_is_help=True, help="Inspect and retry queued alerts.")
app.add_typer(alerts_app, name="alerts")


class AlertStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"


@alerts_app.command("list")
@_one_line_errors
def alerts_list(
    status: Annotated[
        list[AlertStatus] | None,
        typer.Option("--status", help="Only alerts in this state (repeatable; default: all)."),
    ] = None,
    list_format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
    state: StateOption = None,
    config: ConfigOption = None,
) -> int:
    """List the alerts in the outbox: pending, being sent, sent, and dead letters."""
    loaded = load_config(config) if config is not None else Config()
    with _open_configured_store(state, loaded) as store:
        rows = list_rows(store, [s.value for s in status or []])
    if list_format is ListFormat.json:
        text = json.dumps([outbox_json(r) for r in rows], indent=2, ensure_ascii=False) + "\n"
        _to_stdout(lambda: sys.stdout.write(text))
    else:
        _to_stdout(lambda: print_outbox(rows, Console()))
    return ExitCode.OK


@alerts_app.command("retry")
@_one_line_errors
def alerts_retry(
    seq: Annotated[
        list[int] | None,
        typer.Option("--id", help="Only this dead alert (repeatable; default: every dead one)."),
    ] = None,
    state: StateOption = None,
    config: ConfigOption = None,
    quiet: QuietOption = False,
) -> int:
    """Put dead alerts back in the queue and deliver everything pending now.

    Exit 0 when nothing is left undelivered, 3 when some alerts still fail.
    """
    loaded = load_config(config) if config is not None else Config()
    alerting = alert_settings(str(config), loaded.alerts)
    if not alerting.channels:
        raise InputError("alerts retry: give --config with the alerts.channels to send through")
    senders = resolve_channels(alerting.channels, os.environ)
    with _open_configured_store(state, loaded) as store:
        requeued = requeue_dead(store, seq or [])
        make_due(store)
        result = deliver(store, senders, alerting.delivery)
    if not quiet:
        _say_delivered(result, f"{requeued} requeued, ")
    return ExitCode.ENGINE if result.retrying or result.dead else ExitCode.OK


def _open_configured_store(state: str | None, loaded: Config) -> StateStore:
    lock_timeout = float(loaded.state.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
    return open_store(state or loaded.state.get("url"), lock_timeout)


policies_app = typer.Typer(no_args_is_help=True, help="Inspect the loaded checks.")
app.add_typer(policies_app, name="policies")


@policies_app.command("list")
@_one_line_errors
def policies_list(
    framework: FrameworkOption = None,
    list_format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
    opa_url: OpaUrlOption = None,
    opa_ca_bundle: CaBundleOption = None,
    policies: PoliciesOption = None,
) -> int:
    """List the checks with their severity, resource types and controls."""
    settings = EngineSettings(
        opa_url=opa_url,
        token=clean_token(os.environ.get("OPA_TOKEN")),
        ca_bundle=opa_ca_bundle,
        policies=policies,
    )
    selected = list(dict.fromkeys(f.value for f in framework or []))
    with open_engine(settings) as client:
        checks = loaded_checks(client, selected)
    if list_format is ListFormat.table:
        _to_stdout(lambda: print_table(checks, Console()))
    else:
        text = as_json(checks) if list_format is ListFormat.json else as_markdown(checks)
        _to_stdout(lambda: sys.stdout.write(text))
    return ExitCode.OK


@app.command()
@_one_line_errors
def version() -> int:
    """Print opa-comply's version and the OPA version it pins."""
    typer.echo(f"opa-comply {__version__} (OPA pinned: v{PINNED_OPA_VERSION})")
    return ExitCode.OK


def _report_files(
    chosen: OutputFormat, output: Path | None, report_dir: Path | None
) -> dict[Path, Callable[[ScanReport], str]]:
    """The files this scan will write, each path checked now rather than after the scan."""
    files: dict[Path, Callable[[ScanReport], str]] = {}
    if output is not None:
        _check_writable_file(output, "--output")
        files[output] = _table_text if chosen is OutputFormat.table else RENDERERS[chosen.value]
    if report_dir is not None:
        if report_dir.exists() and not report_dir.is_dir():
            raise InputError(f"--report-dir {report_dir}: exists and is not a directory")
        for name, renderer in RENDERERS.items():
            _check_writable_file(report_dir / FILE_NAMES[name], "--report-dir")
            files.setdefault(report_dir / FILE_NAMES[name], renderer)
    return files


def _check_writable_file(path: Path, option: str) -> None:
    try:
        if path.exists() and not path.is_file():
            raise InputError(f"{option} {path}: exists and is not a regular file")
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    except OSError as exc:  # e.g. a file name longer than the filesystem allows
        raise InputError(f"{option} {path}: {exc.strerror or exc}") from exc
    if not parent.is_dir():
        raise InputError(f"{option} {path}: {parent} is not a directory")


def _table_text(report: ScanReport) -> str:
    recorder = Console(record=True, file=io.StringIO(), width=160)
    print_report(report, recorder)
    return recorder.export_text()


def _print(texts: _Rendered, chosen: OutputFormat, console: Console) -> None:
    if chosen is OutputFormat.table:
        _to_stdout(lambda: print_report(texts.report, console))
    else:
        _to_stdout(lambda: sys.stdout.write(texts.of(RENDERERS[chosen.value])))


def _to_stdout(write: Callable[[], object]) -> None:
    """Run a write to standard output; a closed pipe is quiet, a failed write is exit 3."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as exc:
        raise EngineError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def _one_line(text: str) -> str:
    """Control characters from user input shown escaped, so an error stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C, so context managers stop the sidecar.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    return_large_blocks()
    try:
        app()
    except SystemExit as done:
        if done.code != ExitCode.INTERRUPTED:
            raise
        # Everything was unwound on the way here (sidecar stopped, store closed). Exit at
        # once: when the signal landed inside exec() (the compiled schema validators,
        # dataclasses), CPython would otherwise end the process with SIGINT, not 130.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(ExitCode.INTERRUPTED)
