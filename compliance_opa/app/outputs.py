"""A scan's outputs: the report files, the text shown on standard output, the upload of
the reports, and the evidence record. Every path is checked before the scan runs."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from compliance_opa.app.events import Events
from compliance_opa.config.load import Config
from compliance_opa.domain.findings import FRAMEWORKS, findings_digest
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import InputError
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
from compliance_opa.evidence.record import SourceDigest
from compliance_opa.reports import BYTES_RENDERERS, FILE_NAMES, RENDERERS, table
from compliance_opa.reports.publish import (
    PublishOptions,
    publish_options,
    publish_reports,
    validate,
)
from compliance_opa.support.atomic import write_all_atomic
from compliance_opa.support.stdout import TextStream, write_stdout

Renderer = Callable[[ScanReport], str]


class Rendered:
    """Each format rendered once, however many places want it: as text, or (for files and
    evidence) as UTF-8 bytes, rendered straight to bytes where the format can be."""

    def __init__(self, report: ScanReport):
        self.report = report
        self._texts: dict[Renderer, str] = {}
        self._encoded: dict[Renderer, bytes | bytearray] = {}

    def of(self, render: Renderer) -> str:
        if render in self._encoded:  # decoded when asked, not kept twice
            return self._encoded[render].decode("utf-8")
        if render not in self._texts:
            self._texts[render] = render(self.report)
        return self._texts[render]

    def encoded(self, render: Renderer) -> bytes | bytearray | str:
        """The format's text as UTF-8 bytes where it is rendered to bytes, else as text
        (what a file or an artifact holds is the same either way)."""
        if render in self._texts:
            return self._texts[render]
        if render in BYTES_RENDERERS:
            if render not in self._encoded:
                self._encoded[render] = BYTES_RENDERERS[render](self.report)
            return self._encoded[render]
        return self.of(render)


@dataclass(frozen=True)
class Display:
    """Text shown on standard output: a renderer (chosen by the front end) and a stream."""

    render: Renderer
    stream: TextStream


@dataclass(frozen=True)
class Distribution:
    target: str
    options: PublishOptions


@dataclass(frozen=True)
class Evidence:
    ledger: Store
    signer: Signer | None


def renderer(output_format: str) -> Renderer:
    """The renderer of a format name (`table` or a RENDERERS key) for a file."""
    return table.render if output_format == "table" else RENDERERS[output_format]


def report_files(
    output_format: str, output: Path | None, report_dir: Path | None
) -> dict[Path, Renderer]:
    """The files a scan will write, each path checked now rather than after the scan."""
    files: dict[Path, Renderer] = {}
    if output is not None:
        check_writable_file(output, "--output")
        files[output] = renderer(output_format)
    if report_dir is not None:
        if report_dir.exists() and not report_dir.is_dir():
            raise InputError(f"--report-dir {report_dir}: exists and is not a directory")
        for name, render in RENDERERS.items():
            check_writable_file(report_dir / FILE_NAMES[name], "--report-dir")
            files.setdefault(report_dir / FILE_NAMES[name], render)
    return files


def check_writable_file(path: Path, option: str) -> None:
    """Refuse now what the write would refuse after the scan: a path that is not a file
    (the null device is allowed: nothing is kept), or a folder we cannot write in."""
    try:
        if _is_null_device(path):
            return
        if path.exists() and not path.is_file():
            raise InputError(f"{option} {path}: exists and is not a regular file")
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
    except OSError as exc:  # e.g. a file name longer than the filesystem allows
        raise InputError(f"{option} {path}: {exc.strerror or exc}") from exc
    if not parent.is_dir():
        raise InputError(f"{option} {path}: {parent} is not a directory")
    if not os.access(
        parent, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids
    ):
        raise InputError(f"{option} {path}: {parent} is not writable")


def _is_null_device(path: Path) -> bool:
    return os.path.realpath(path) == os.devnull


def refuse_overwriting_inputs(inputs: Sequence[Path], outputs: Mapping[Path, str]) -> None:
    """An output (path -> the option that names it) must not be one of the inputs, under
    any name (links included): the report would replace the inventory it is about."""
    read = {_identity(p) for p in _input_files(inputs)} - {None}
    for path, option in outputs.items():
        if _identity(path) in read:
            raise InputError(f"{option} {path}: is an input of this scan; write it elsewhere")


def _input_files(inputs: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in inputs:
        try:
            files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
        except OSError:
            continue  # reading the inputs words that error
    return files


def _identity(path: Path) -> tuple[int, int] | str | None:
    """The file a path names: (device, inode) when it exists, else its resolved path."""
    try:
        stat = path.stat()
        return (stat.st_dev, stat.st_ino)
    except FileNotFoundError:
        return os.path.realpath(path)
    except OSError:
        return None


def distribution(
    loaded: Config, target: str | None, profile: str | None, files: Mapping[Path, object]
) -> Distribution | None:
    """Where --publish (or the config's publish.target) sends the reports, checked now."""
    chosen, options = publish_options(loaded.publish, target=target, profile=profile)
    if chosen is None:
        return None
    if not files:
        raise InputError("--publish: write the reports with --report-dir or --output first")
    validate(chosen, options)
    return Distribution(chosen, options)


def evidence(loaded: Config, frameworks: Sequence[str], environ: Mapping[str, str]) -> Evidence:
    """The ledger and signing key, checked before any work."""
    signer = signer_from_config(loaded.evidence, environ)
    return Evidence(open_ledger(None, loaded.evidence, frameworks=frameworks or FRAMEWORKS), signer)


def write_report(
    report: ScanReport,
    files: Mapping[Path, Renderer],
    display: Display | None,
    upload: Distribution | None,
    events: Events,
) -> Rendered:
    """A report's files, then standard output, then the upload: in that order, so a
    failure leaves nothing published that was not written. The texts, for the caller."""
    texts = Rendered(report)
    write_files(texts, files)
    if display is not None:
        show(texts, display)
    if upload is not None:
        publish(upload, files, report.scan_id, events)
    return texts


def write_files(texts: Rendered, files: Mapping[Path, Renderer]) -> None:
    write_all_atomic({path: texts.encoded(render) for path, render in files.items()})


def show(texts: Rendered, display: Display) -> None:
    write_stdout(display.stream, texts.of(display.render))


def publish(
    chosen: Distribution, files: Mapping[Path, object], scan_id: str, events: Events
) -> None:
    folder = scan_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    published = publish_reports(
        {p.name: p for p in files}, chosen.target, chosen.options, folder=folder
    )
    for item in published:
        expires = item.expires_at.isoformat(timespec="seconds").replace("+00:00", "Z")
        events.note(f"published {item.name} (link expires {expires}): {item.url}")


def append_evidence(store: Evidence, texts: Rendered) -> dict[str, Any]:
    """The scan's record: its inputs, findings and every report format, kept as evidence."""
    report = texts.report
    entry = Entry(
        scan_id=report.scan_id,
        scope=report.scope,
        tool_version=report.tool_version,
        opa_version=report.opa_version,
        policy_digest=report.policy_digest,
        snapshot_digests=tuple(Digest(i.path, i.digest) for i in report.inputs),
        findings_digest=findings_digest(report.findings),
        artifacts=tuple(
            Artifact(FILE_NAMES[name], _utf8(texts.encoded(render)))
            for name, render in RENDERERS.items()
        ),
        audit_sources=tuple(
            SourceDigest(a.resource, s.name, s.sha256) for a in report.audit for s in a.digests
        ),
    )
    return append(store.ledger, entry, store.signer)


def _utf8(text: bytes | bytearray | str) -> bytes:
    return text.encode() if isinstance(text, str) else bytes(text)
