"""Reading a baseline: an earlier opa-comply JSON report (report_version 1)."""

from __future__ import annotations

import json
from pathlib import Path

from compliance_opa.domain.changes import Baseline, BaselineFinding
from compliance_opa.errors import InputError
from compliance_opa.support.textfile import read_text_file

_MAX_BYTES = 256 * 1024 * 1024


def load_baseline(path: Path) -> Baseline:
    text = read_text_file(path, _MAX_BYTES, "baseline report", encoding="utf-8-sig")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: baseline is not JSON (line {exc.lineno} column {exc.colno})"
        ) from exc
    if not isinstance(document, dict) or document.get("report_version") != "1":
        raise InputError(f"{path}: not an opa-comply JSON report (report_version 1)")
    findings: list[BaselineFinding] = []
    listed = document.get("findings") or []
    if not isinstance(listed, list):
        raise InputError(f"{path}: $.findings: expected a list of findings")
    for index, item in enumerate(listed):
        try:
            findings.append(
                BaselineFinding(
                    str(item["check_id"]),
                    str(item["resource"]),
                    str(item["status"]),
                    str(item.get("severity", "")),
                    str(item.get("title", "")),
                    str(item.get("message", "")),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}: $.findings[{index}]: not a finding") from exc
    summary = document.get("summary")
    frameworks = summary.get("frameworks") if isinstance(summary, dict) else None
    compliance: dict[str, float | None] = {}
    for name, value in (frameworks if isinstance(frameworks, dict) else {}).items():
        rate = value.get("compliance_rate") if isinstance(value, dict) else None
        number = isinstance(rate, int | float) and not isinstance(rate, bool)
        compliance[str(name)] = float(rate) if number and rate is not None else None
    return Baseline(path, tuple(findings), compliance)
