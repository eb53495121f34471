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
from typing import TYPE_CHECKING, Any

from compliance_opa.errors import EngineError

if TYPE_CHECKING:
    from compliance_opa.domain.waivers import Waiver

FRAMEWORKS = ("gdpr", "hipaa", "pci_dss", "soc2")
FRAMEWORK_NAMES = {"gdpr": "GDPR", "hipaa": "HIPAA", "pci_dss": "PCI DSS v4.0", "soc2": "SOC 2"}


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


@dataclass(frozen=True)
class Catalogue:
    """One framework's controls (policies/frameworks/<framework>/data.json)."""

    framework: str
    name: str
    controls: dict[str, str]  # control id -> title


def parse_catalogues(raw: Any) -> dict[str, Catalogue]:
    """The catalogues OPA serves; an OPA without them yields none (controls get no titles)."""
    try:
        return {
            str(key): Catalogue(
                framework=str(key),
                name=str(value.get("name", key)),
                controls={str(c): str(v.get("title", "")) for c, v in value["controls"].items()},
            )
            for key, value in dict(raw.get("frameworks", {})).items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EngineError(f"OPA framework catalogues have an unexpected shape ({exc!r})") from exc


def parse_report(raw: Any) -> list[CheckResult]:
    """Turn OPA's ``data.scan.report`` into CheckResults, sorted by check id."""
    try:
        errors = list(raw["errors"])
        if errors:
            raise EngineError(f"policy error: {errors[0]}")
        results = [_check_result(item) for item in raw["checks"]]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EngineError(f"OPA report has an unexpected shape ({exc!r})") from exc
    ids = [r.check.check_id for r in results]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise EngineError(f"policy error: check id {duplicates[0]} is used by several checks")
    return sorted(results, key=lambda r: r.check.check_id)


def _check_result(item: dict[str, Any]) -> CheckResult:
    meta = item["metadata"]
    check = Check(
        check_id=str(meta["check_id"]),
        title=str(meta["title"]),
        description=str(meta["description"]),
        severity=Severity(meta["severity"]),
        resource_types=tuple(meta["resource_types"]),
        controls={str(k): tuple(str(c) for c in v) for k, v in meta["controls"].items()},
        remediation=str(meta["remediation"]),
    )
    findings = tuple(
        sorted(
            (
                Finding(
                    check=check,
                    resource=str(f["resource"]),
                    resource_type=str(f["resource_type"]),
                    status=Status(f["status"]),
                    message=str(f["message"]),
                    paths=tuple(f.get("paths", ())),
                )
                for f in item["findings"]
            ),
            key=lambda f: (f.resource, f.status.value, f.message),
        )
    )
    return CheckResult(check=check, evaluated=tuple(item["evaluated"]), findings=findings)


def findings_digest(findings: Sequence[Finding]) -> str:
    """sha256 over the findings in a canonical order and form: the same findings give
    the same digest whatever order OPA returned them in."""
    canonical = sorted(
        (f.check.check_id, f.resource, f.status.value, f.message, f.risk) for f in findings
    )
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
