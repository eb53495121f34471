"""SARIF 2.1.0 for code scanning: one rule per check, stable fingerprints per finding."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compliance_opa.domain.findings import Check, Finding, Severity, Status
from compliance_opa.domain.identity import sarif_fingerprint
from compliance_opa.domain.report import ScanReport
from compliance_opa.support.jsonbytes import pretty, pretty_bytes

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/opa-comply/opa-comply"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning ranks security alerts by this numeric property.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def render(report: ScanReport) -> str:
    return pretty(build(report))


def render_bytes(report: ScanReport) -> bytes:
    """The same text as UTF-8 bytes, for a file (never held as a str as well)."""
    return pretty_bytes(build(report))


def build(report: ScanReport) -> dict[str, Any]:
    checks = [r.check for r in report.results]
    rule_index = {c.check_id: i for i, c in enumerate(checks)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "opa-comply",
                        "version": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(c, report.frameworks) for c in checks],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [
                            {
                                "level": "warning",
                                "message": {"text": gap.describe()},
                                "descriptor": {"id": "incomplete-collection"},
                            }
                            for gap in report.gaps
                        ],
                        "startTimeUtc": report.started_at,
                        "endTimeUtc": report.finished_at,
                    }
                ],
                "properties": {
                    "opaVersion": report.opa_version,
                    "policyDigest": report.policy_digest,
                },
                "results": [
                    _result(f, rule_index[f.check.check_id], report)
                    for f in report.findings_by_severity()
                ],
            }
        ],
    }


def _rule(check: Check, frameworks: tuple[str, ...]) -> dict[str, Any]:
    controls = {f: list(check.controls[f]) for f in frameworks if check.controls.get(f)}
    return {
        "id": check.check_id,
        "name": _pascal(check.title),
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": check.description},
        "help": {"text": check.remediation, "markdown": f"**Remediation:** {check.remediation}"},
        "defaultConfiguration": {"level": _LEVEL[check.severity]},
        "properties": {
            "tags": ["security", "compliance", *sorted(controls)],
            "security-severity": _SECURITY_SEVERITY[check.severity],
            "severity": check.severity.value,
            "controls": controls,
        },
    }


def _result(finding: Finding, index: int, report: ScanReport) -> dict[str, Any]:
    indeterminate = finding.status is Status.INDETERMINATE
    result: dict[str, Any] = {
        "ruleId": finding.check.check_id,
        "ruleIndex": index,
        # Indeterminate results ask for a look rather than claim a failure; SARIF
        # (3.27.10) wants level "none" for any kind but "fail".
        "kind": "review" if indeterminate else "fail",
        "level": "none" if indeterminate else _LEVEL[finding.check.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding, report)],
        "partialFingerprints": {"opaComplyFinding/v1": sarif_fingerprint(finding)},
        "properties": {
            "status": finding.status.value,
            "resourceType": finding.resource_type,
            "risk": finding.risk,
        },
    }
    if finding.waiver is not None:
        # An accepted risk stays visible, suppressed (SARIF 3.35): code scanning shows it
        # as dismissed with the waiver's reason instead of as an open alert.
        w = finding.waiver
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{w.reason} (owner {w.owner}, approved by {w.approver},"
                f" {w.ticket}, expires {w.expires.isoformat()})",
                "location": {"physicalLocation": {"artifactLocation": {"uri": _uri(w.source)}}},
            }
        ]
    return result


def _location(finding: Finding, report: ScanReport) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}]
    }
    source = report.locations.get(finding.resource)
    if source is not None:
        path, line = source
        location["physicalLocation"] = {
            "artifactLocation": {"uri": _uri(path)},
            "region": {"startLine": line},
        }
    return location


def _pascal(title: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", " ", title).title().replace(" ", "")


def _uri(path: str) -> str:
    """Relative to the working directory (the checkout code scanning maps), percent-encoded."""
    as_path = Path(path)
    if as_path.is_absolute():
        try:
            as_path = as_path.relative_to(Path.cwd())
        except ValueError:
            return as_path.as_uri()
    return quote(as_path.as_posix())
