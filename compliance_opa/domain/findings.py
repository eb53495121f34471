"""Domain values of a scan: checks, findings, and the raw OPA report parsed into them.

Pure: no I/O. A raw report that does not have the expected shape is an
EngineError (the OPA in use is not running our policies, or they are broken).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from compliance_opa.domain.waivers import Waiver

FRAMEWORKS = ("gdpr", "hipaa", "pci_dss", "soc2", "iso27001")
FRAMEWORK_NAMES = {
    "gdpr": "GDPR",
    "hipaa": "HIPAA",
    "pci_dss": "PCI DSS v4.0",
    "soc2": "SOC 2",
    "iso27001": "ISO 27001:2022",
}


class Severity(Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Status(Enum):
    FAIL = "fail"
    INDETERMINATE = "indeterminate"
    WAIVED = "waived"


@dataclass(frozen=True)
class Check:
    check_id: str
    title: str
    description: str
    severity: Severity
    resource_types: tuple[str, ...]
    controls: dict[str, tuple[str, ...]]
    remediation: str

    def maps_to(self, frameworks: tuple[str, ...]) -> bool:
        return any(self.controls.get(f) for f in frameworks)


def check_dict(c: Check) -> dict[str, Any]:
    """A check's metadata as plain JSON (the check list, stored scans)."""
    return {
        "check_id": c.check_id,
        "title": c.title,
        "description": c.description,
        "severity": c.severity.value,
        "resource_types": list(c.resource_types),
        "controls": {f: list(ids) for f, ids in c.controls.items()},
        "remediation": c.remediation,
    }


@dataclass(frozen=True)
class Finding:
    check: Check
    resource: str
    resource_type: str
    status: Status
    message: str
    paths: tuple[str, ...]
    risk: int = 0  # 0-100, see risk.py; set by the scan from the resource's facts
    waiver: Waiver | None = None  # the waiver in force, when status is WAIVED


@dataclass(frozen=True)
class CheckResult:
    check: Check
    evaluated: tuple[str, ...]  # addresses of the in-scope resources
    findings: tuple[Finding, ...]


def findings_digest(findings: Sequence[Finding]) -> str:
    """sha256 over the findings in a canonical order and form: the same findings give
    the same digest whatever order OPA returned them in."""
    canonical = sorted(
        (f.check.check_id, f.resource, f.status.value, f.message, f.risk) for f in findings
    )
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Catalogue:
    """One framework's controls (policies/frameworks/<framework>/data.json)."""

    framework: str
    name: str
    controls: dict[str, str]  # control id -> title
