"""The scan service: `scan`, `plan` and `drift` as one service with a kind.

The steps, in order (`run`):

1. Check everything that can be checked before any work: the config, secrets of the
   alert channels, waivers, the engine settings, every output path, the upload target,
   the inputs, the baseline, the evidence ledger and the state store.
2. Collect the live sources, evaluate everything on OPA, then apply the report
   threshold, the waivers and the baseline.
3. Without a state store: write the outputs. With one:
   record (history, alert episodes, outbox: one transaction), write the outputs,
   mark the scan complete, deliver the alerts.

One rule is visible here and nowhere else: a scan whose recording, outputs or completion
failed stays incomplete (the next comparison starts from the scan before it), but the
alerts already queued are real and still go out.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.outbox import Sender
from compliance_opa.alerts.settings import (
    AlertSettings,
    alert_settings,
    channel_recipients,
    resolve_channels,
    tells_changes,
)
from compliance_opa.app import incremental, outputs
from compliance_opa.app.alerts import deliver_queued
from compliance_opa.app.evaluate import run_scan
from compliance_opa.app.events import Events
from compliance_opa.app.events import Recorded as RecordedEvents
from compliance_opa.app.incremental import CacheUse
from compliance_opa.app.outputs import Display
from compliance_opa.app.record import Recorded, complete, preview, record, release
from compliance_opa.app.scope import default_scope
from compliance_opa.app.stores import open_configured_store
from compliance_opa.collect.registry import collector, names
from compliance_opa.config.load import Config, load_config
from compliance_opa.config.waivers_file import load_waivers
from compliance_opa.domain.apply_waivers import waive
from compliance_opa.domain.baseline import compare
from compliance_opa.domain.findings import Severity
from compliance_opa.domain.report import ScanReport, breaches
from compliance_opa.domain.waivers import WaiverOutcome, WaiverPolicy
from compliance_opa.engine.catalogue import input_types
from compliance_opa.engine.connect import EngineSettings, PendingEngine
from compliance_opa.engine.request_builder import DEFAULT_MAX_REQUEST_BYTES, ChunkSettings
from compliance_opa.errors import ComplianceError, InputError
from compliance_opa.inventory.load import (
    DEFAULT_MAX_BYTES,
    Inventory,
    check_unique_addresses,
    load_inventories,
    load_inventory,
)
from compliance_opa.reports.baseline_file import load_baseline
from compliance_opa.state import report_codec
from compliance_opa.state.history import last_started
from compliance_opa.state.store import StateStore
from compliance_opa.state.verdicts import VerdictCache
from compliance_opa.support.bundled import policies_dir


class ScanKind(StrEnum):
    SCAN = "scan"  # inventory files (and live collections) in CI
    PLAN = "plan"  # Terraform plans before merge: every input must be a plan
    DRIFT = "drift"  # compared with the scope's last scan, with alerts


@dataclass(frozen=True)
class ScanRequest:
    kind: ScanKind
    engine: EngineSettings
    inputs: tuple[Path, ...] = ()
    collect: tuple[str, ...] = ()  # collector names
    collector_flags: Mapping[str, Any] = field(default_factory=dict)  # name -> its flags
    save_snapshot: Path | None = None
    frameworks: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.LOW
    output_format: str = "json"  # of --output: `table` or a report format
    output: Path | None = None
    report_dir: Path | None = None
    display: Display | None = None  # what to show on standard output
    baseline: Path | None = None
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    opa_workers: int = 0  # 0: one per CPU
    config: Path | None = None
    max_input_bytes: int = DEFAULT_MAX_BYTES
    quiet: bool = False
    waivers: Path | None = None
    state: str | None = None
    no_state: bool = False
    no_cache: bool = False  # evaluate every resource (the verdict cache is still refreshed)
    scope: str | None = None
    dry_run: bool = False
    publish_to: str | None = None
    profile: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass(frozen=True)
class ScanOutcome:
    report: ScanReport
    breached: bool  # a finding at or above fail_on gates the run
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def run(request: ScanRequest, events: Events | None = None) -> ScanOutcome:
    """Run one scan, plan or drift to the end (see the module docstring for the steps)."""
    listener = events if events is not None else RecordedEvents()
    report = _Scan(request, listener).run()
    return ScanOutcome(
        report=report,
        breached=breaches(report, request.fail_on),
        notes=tuple(listener.notes) if isinstance(listener, RecordedEvents) else (),
        warnings=tuple(listener.warnings) if isinstance(listener, RecordedEvents) else (),
    )


class _Scan:
    def __init__(self, request: ScanRequest, events: Events):
        self.request = request
        self.events = events
        self.kind = request.kind

    def run(self) -> ScanReport:
        request, kind = self.request, self.kind
        # 1. What can be checked before any work, in the order users meet it.
        if kind is ScanKind.PLAN and (request.collect or not request.inputs):
            raise InputError("plan: give Terraform plan JSON files (terraform show -json plan.out)")
        loaded = load_config(request.config) if request.config is not None else Config()
        sources = request.collect
        if kind is ScanKind.DRIFT and not sources:
            sources = tuple(loaded.drift.get("collect", []))
        if not request.inputs and not sources:
            raise InputError(
                f"nothing to scan: give inventory files or --collect {'|'.join(names())}"
            )
        if request.no_state and (request.dry_run or kind is ScanKind.DRIFT):
            what = "drift" if kind is ScanKind.DRIFT else "--dry-run"
            raise InputError(f"--no-state: {what} needs the state store")
        alerting = (
            alert_settings(str(request.config), loaded.alerts)
            if kind is ScanKind.DRIFT
            else AlertSettings()
        )
        # Secrets are read now: a missing one fails before anything is collected or recorded.
        senders = {} if request.dry_run else resolve_channels(alerting.channels, request.environ)
        waiver_file = request.waivers or (
            Path(loaded.waivers["file"]) if "file" in loaded.waivers else None
        )
        policy = WaiverPolicy.from_config(loaded.waivers)
        today = datetime.now(UTC).date()
        accepted = load_waivers(waiver_file, policy, today) if waiver_file else None
        state_url = request.state or loaded.state.get("url")
        # `drift` keeps history in the default store; `scan` and `plan` only in a named one.
        keep_history = not request.no_state and (
            kind is ScanKind.DRIFT or request.dry_run or state_url is not None
        )
        request.engine.check()
        files = outputs.report_files(request.output_format, request.output, request.report_dir)
        outputs.refuse_overwriting_inputs(request.inputs, self._written(files))
        upload = outputs.distribution(loaded, request.publish_to, request.profile, files)
        engine = PendingEngine(request.engine)  # OPA starts now or once the inputs are read
        store: StateStore | None = None
        try:
            inventories = self._load_inputs()
            prior = load_baseline(request.baseline) if request.baseline is not None else None
            sources = tuple(dict.fromkeys(sources))
            if request.save_snapshot is not None:
                if len(sources) > 1:
                    raise InputError(
                        "--save-snapshot keeps one collection: collect one source per scan"
                    )
                outputs.check_writable_file(request.save_snapshot, "--save-snapshot")
            # Every recorded scan leaves a record in the evidence ledger; its store and
            # signing key are checked now, before any work.
            evidence = (
                outputs.evidence(loaded, request.frameworks, request.environ)
                if keep_history and not request.dry_run
                else None
            )
            # The store is opened (and a corrupt or locked one refused) before any collection.
            # Messages name where the URL came from: --state, or the config's state.url.
            store = (
                open_configured_store(request.state, loaded, request.config)
                if keep_history
                else None
            )
        except BaseException:
            engine.close()
            raise
        try:
            # 2. Collect, evaluate, judge.
            previous_run = self._previous_run(store, loaded)
            for name in sources:
                budget = request.max_input_bytes - sum(i.size for i in inventories)
                inventories.append(self._collect(name, loaded, budget, previous_run))
                check_unique_addresses(inventories)
            chunking = ChunkSettings(request.max_request_bytes, request.opa_workers)
            cache = self._cache(store, loaded, inventories)
            # Stopped after: what follows needs no OPA. Given the input's types, a managed
            # OPA loads only the checks that can judge them (engine/catalogue.py).
            with engine.running(input_types(inventories)) as client:
                report = run_scan(
                    inventories, client, request.frameworks, loaded.parameters, chunking,
                    cache=cache, on_cache=self._cache_used,
                )  # fmt: skip
            report = self._judged(report, loaded, accepted, policy, today, prior)
            # 3. Record, write outputs, complete, deliver.
            writer = _Outputs(request, files, upload, evidence, self.events)
            if store is None:
                writer.write(report)
                return report
            return self._recorded(store, report, inventories, loaded, alerting, senders, writer)
        finally:
            try:
                engine.close()
            finally:
                if store is not None:
                    store.close()  # releases the scope lock whatever happened to OPA

    def _cache(
        self, store: StateStore | None, loaded: Config, inventories: Sequence[Inventory]
    ) -> CacheUse | None:
        """The verdict cache of a scan or drift recorded in a state store, for its scope
        (read-only in a dry run; not read with --no-cache). Plans are judged whole."""
        request = self.request
        if store is None or self.kind is ScanKind.PLAN:
            return None
        scope = request.scope or loaded.drift.get("scope") or default_scope(inventories)
        return CacheUse(
            VerdictCache(store, str(scope), writable=not request.dry_run),
            request.engine.policies or policies_dir(),
            read=not request.no_cache,
        )

    def _cache_used(self, outcome: incremental.Outcome) -> None:
        if self.request.quiet:
            return
        if not outcome.used:
            self.events.note("verdict cache not used: the OPA's policy data is not known here")
        elif outcome.hits:
            self.events.note(
                f"verdict cache: {outcome.hits:,} resources unchanged, {outcome.evaluated:,}"
                " evaluated"
            )

    def _written(self, files: Mapping[Path, outputs.Renderer]) -> dict[Path, str]:
        """Every file this scan writes, with the option that names it."""
        request = self.request
        written = {p: "--output" if p == request.output else "--report-dir" for p in files}
        if request.save_snapshot is not None:
            written[request.save_snapshot] = "--save-snapshot"
        return written

    def _load_inputs(self) -> list[Inventory]:
        request = self.request
        if not request.inputs:
            return []
        inventories = load_inventories(list(request.inputs), request.max_input_bytes)
        if self.kind is ScanKind.PLAN:
            for inventory in inventories:
                if not any(s["kind"] == "terraform_plan" for s in inventory.document["sources"]):
                    raise InputError(
                        f"{inventory.path}: not a Terraform plan (use `scan` for snapshots)"
                    )
        return inventories

    def _previous_run(self, store: StateStore | None, loaded: Config) -> datetime | None:
        """When the named scope's last complete drift run started: a scheduled drift
        summarises audit logs from there. None for a scan, a first run or a scope derived
        from the inputs (not known before they are collected)."""
        scope = self.request.scope or loaded.drift.get("scope")
        if store is None or self.kind is not ScanKind.DRIFT or not scope:
            return None
        with store.reading() as tx:
            started = last_started(tx, scope, self.kind.value)
        return datetime.fromisoformat(started) if started else None

    def _collect(
        self, name: str, loaded: Config, budget: int, previous_run: datetime | None = None
    ) -> Inventory:
        """Collect, then load the snapshot back through the same checks as any input."""
        request = self.request
        source = collector(name)
        options = source.options(
            getattr(loaded, name), request.collector_flags.get(name), request.environ
        )
        options = source.resume(options, previous_run)
        for warning in source.warnings(request.collector_flags.get(name)):
            self.events.warning(warning)

        def collect_into(path: Path) -> None:
            with self.events.collecting(source) as progress:
                summary = source.collect(options, path, progress)
            if not request.quiet:
                self.events.collected(source, summary)

        if request.save_snapshot is not None:
            collect_into(request.save_snapshot)
            return load_inventory(request.save_snapshot, budget)
        with tempfile.TemporaryDirectory(prefix="opa-comply-") as scratch:
            path = Path(scratch) / f"{name}-snapshot.json"
            collect_into(path)
            # Held whole: the file is gone before the scan reads its resources again.
            inventory = load_inventory(path, budget, stream=False)
        return replace(inventory, path=Path(f"live {name} collection"))

    def _judged(
        self,
        report: ScanReport,
        loaded: Config,
        accepted: Sequence[Any] | None,
        policy: WaiverPolicy,
        today: date,
        prior: Any,
    ) -> ScanReport:
        """The report threshold, then the waivers, then the baseline."""
        if "threshold" in loaded.report:
            report = replace(report, threshold=float(loaded.report["threshold"]))
        if accepted is not None:
            report = waive(report, accepted, today, policy)
            if report.waivers is not None:  # always, once waived
                _refuse_undeclared_broad(report.waivers, policy)
                self._warn_broad(report.waivers)  # even with --quiet: it changes what gates
                if not self.request.quiet:
                    self._warn_waivers(report.waivers)
        if prior is not None:
            report = replace(report, comparison=compare(report, prior))
        return report

    def _warn_broad(self, outcome: WaiverOutcome) -> None:
        for w in outcome.broad:
            waived = outcome.applied[w.id]
            self.events.warning(
                f"waiver {w.id} is broad: it waived {waived} of {outcome.candidates} failing"
                " or indeterminate findings"
            )

    def _warn_waivers(self, outcome: WaiverOutcome) -> None:
        for w in outcome.expired:
            self.events.warning(f"waiver {w.id} expired on {w.expires}: its findings count again")
        for w in outcome.expiring:
            self.events.warning(f"waiver {w.id} expires on {w.expires}")
        for w in outcome.stale:
            self.events.warning(f"waiver {w.id} matches no finding (stale)")

    def _recorded(
        self,
        store: StateStore,
        report: ScanReport,
        inventories: Sequence[Inventory],
        loaded: Config,
        alerting: AlertSettings,
        senders: Mapping[str, Sender],
        writer: _Outputs,
    ) -> ScanReport:
        request, kind = self.request, self.kind
        named = request.scope or loaded.drift.get("scope")
        scope = named or default_scope(inventories)
        if kind is ScanKind.DRIFT and not named and not request.quiet:
            self.events.note(
                f"drift scope {scope!r} derived from the inputs (set drift.scope to name it)"
            )

        def recipients(channel: str, event: AlertEvent) -> Sequence[str]:
            return channel_recipients(alerting.channels[channel], event)

        def follows_changes(channel: str) -> bool:
            return tells_changes(alerting.channels[channel])

        rules = alerting.rules if kind is ScanKind.DRIFT else ()
        if request.dry_run:
            recorded = preview(store, report, scope, kind.value, rules, recipients, follows_changes)
            writer.write(recorded.report)
            if kind is ScanKind.DRIFT:
                self._would_send(recorded)
            return recorded.report
        try:
            recorded = record(
                store, report, scope, kind.value, report_codec.dumps, rules, recipients,
                follows_changes,
            )  # fmt: skip
            writer.write(recorded.report)
            complete(store, recorded.report.scan_id)
        except ComplianceError:
            # Recording, the outputs or completing failed: the scan stays incomplete, but
            # whatever is queued (by this scan or earlier ones) is real and still goes out.
            # The next run of the scope need not wait for that delivery.
            release(store)
            if kind is ScanKind.DRIFT and senders:
                deliver_queued(store, senders, alerting.delivery, scope, request.quiet, self.events)
            raise
        if kind is ScanKind.DRIFT and senders:
            queued = f"{len(recorded.plan.deliveries)} queued by this scan, "
            deliver_queued(
                store, senders, alerting.delivery, scope, request.quiet, self.events, queued
            )
        return recorded.report

    def _would_send(self, recorded: Recorded) -> None:
        for d in recorded.plan.deliveries:
            to = f" to {d.recipient}" if d.recipient else ""
            self.events.note(
                f"would send {d.event.kind} to {d.channel}{to}:"
                f" {d.event.check_id} {d.event.resource} (risk {d.event.risk})"
            )


def _refuse_undeclared_broad(outcome: WaiverOutcome, policy: WaiverPolicy) -> None:
    """A wildcard waiver that waives much must say so (`broad: true`): a typo in a glob
    must not turn the gate green."""
    for w in outcome.undeclared_broad:
        raise InputError(
            f"{w.id}: waives {outcome.applied[w.id]} of {outcome.candidates} failing or"
            f" indeterminate findings, more than waivers.broad_share ({policy.broad_share:g}):"
            " narrow it, or say `broad: true` if that is meant"
        )


class _Outputs:
    """Step 3's "write the outputs": files, standard output, upload, evidence record."""

    def __init__(
        self,
        request: ScanRequest,
        files: Mapping[Path, outputs.Renderer],
        upload: outputs.Distribution | None,
        evidence: outputs.Evidence | None,
        events: Events,
    ):
        self.request = request
        self.files = files
        self.upload = upload
        self.evidence = evidence
        self.events = events

    def write(self, report: ScanReport) -> None:
        upload = None if self.request.dry_run else self.upload
        texts = outputs.write_report(report, self.files, self.request.display, upload, self.events)
        if self.evidence is not None:
            entry = outputs.append_evidence(self.evidence, texts)
            if not self.request.quiet:
                where = self.evidence.ledger.location
                self.events.note(f"evidence record {entry['sequence']} appended to {where}")
