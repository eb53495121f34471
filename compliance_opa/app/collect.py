"""The collect service (`opa-comply collect aws|postgres`): a live source into a snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from compliance_opa.app.events import Events
from compliance_opa.app.outputs import check_writable_file
from compliance_opa.collect.base import CollectSummary
from compliance_opa.collect.registry import collector
from compliance_opa.config.load import Config, load_config


def collect_snapshot(
    name: str,
    flags: Any,
    output: Path,
    config: Path | None,
    environ: Mapping[str, str],
    events: Events,
    quiet: bool = False,
) -> CollectSummary:
    check_writable_file(output, "--output")
    loaded = load_config(config) if config is not None else Config()
    source = collector(name)
    options = source.options(getattr(loaded, name), flags, environ)
    for warning in source.warnings(flags):
        events.warning(warning)
    with events.collecting(source) as progress:
        summary = source.collect(options, output, progress)
    if not quiet:
        events.collected(source, summary)
    return summary
