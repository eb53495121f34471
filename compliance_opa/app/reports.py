"""Reports of recorded scans (`opa-comply report`), in any format, as the scan made them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from compliance_opa.app import outputs
from compliance_opa.app.events import Events
from compliance_opa.app.outputs import Display
from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import Config, load_config
from compliance_opa.domain.report import ScanReport
from compliance_opa.state import report_codec
from compliance_opa.state.history import stored_report


@dataclass(frozen=True)
class ReportRequest:
    scan: str = "latest"  # `latest` or a scan id
    scope: str | None = None
    output_format: str = "json"
    output: Path | None = None
    report_dir: Path | None = None
    display: Display | None = None
    state: str | None = None
    config: Path | None = None
    publish_to: str | None = None
    profile: str | None = None


def render_stored(request: ReportRequest, events: Events) -> ScanReport:
    loaded = load_config(request.config) if request.config is not None else Config()
    files = outputs.report_files(request.output_format, request.output, request.report_dir)
    upload = outputs.distribution(loaded, request.publish_to, request.profile, files)
    with (
        open_configured_store(request.state, loaded, request.config) as store,
        store.transaction() as tx,
    ):
        _, text = stored_report(tx, request.scan, request.scope)
    report = report_codec.loads(text)
    if "threshold" in loaded.report:  # judged again against today's threshold
        report = replace(report, threshold=float(loaded.report["threshold"]))
    outputs.write_report(report, files, request.display, upload, events)
    return report
