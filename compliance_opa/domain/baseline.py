"""Baselines: compare a scan with an earlier JSON report, so only new failures gate.

A finding's fingerprint is a hash of what it is about (check, resource address,
status), never of its position or wording, so it is stable across runs, reorderings
of the input and rewordings of a message.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from compliance_opa.domain.findings import Finding, Status
from compliance_opa.errors import InputError
from compliance_opa.support.textfile import read_text_file

_MAX_BYTES = 256 * 1024 * 1024


def fingerprint(check_id: str, resource: str, status: str) -> str:
    return hashlib.sha256(f"{check_id}\x1f{resource}\x1f{status}".encode()).hexdigest()[:20]


def finding_fingerprint(finding: Finding) -> str:
    return fingerprint(finding.check.check_id, finding.resource, finding.status.value)


@dataclass(frozen=True)
class BaselineFinding:
    check_id: str
    resource: str
    status: str
    severity: str
    title: str
    message: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.check_id, self.resource, self.status)


@dataclass(frozen=True)
class Baseline:
    path: Path
    findings: tuple[BaselineFinding, ...]
    compliance: dict[str, float | None]  # framework -> compliance rate in the baseline


@dataclass(frozen=True)
class Comparison:
    """This scan against a baseline: what is new, what stays, what was fixed."""

    baseline: Baseline
    new: tuple[Finding, ...]
    changed: tuple[Finding, ...]  # failing before and now, but differently (the message)
    unchanged: tuple[Finding, ...]
    resolved: tuple[BaselineFinding, ...]  # failing before, no finding of that check now

    @property
    def gating(self) -> tuple[Finding, ...]:
        """What fails the build: new failures, and failures that changed for the worse or
        at least changed (a wider open port keeps its fingerprint, not its message)."""
        return self.new + self.changed


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


def compare(findings: list[Finding], baseline: Baseline) -> Comparison:
    before = {f.fingerprint: f for f in baseline.findings}
    current = {(f.check.check_id, f.resource) for f in findings}  # any status
    failing = [f for f in findings if f.status is Status.FAIL]
    known = [f for f in failing if finding_fingerprint(f) in before]
    return Comparison(
        baseline=baseline,
        new=tuple(f for f in failing if finding_fingerprint(f) not in before),
        changed=tuple(f for f in known if before[finding_fingerprint(f)].message != f.message),
        unchanged=tuple(f for f in known if before[finding_fingerprint(f)].message == f.message),
        # A failure that became indeterminate is not fixed: only one with no finding is.
        resolved=tuple(
            f
            for f in baseline.findings
            if f.status == Status.FAIL.value and (f.check_id, f.resource) not in current
        ),
    )
