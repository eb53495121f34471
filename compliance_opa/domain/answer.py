"""OPA's answer to the scan query, parsed into check results and framework catalogues.

The answer comes from a remote process: every shape is checked, and anything
unexpected is an EngineError, never "no findings".
"""

from __future__ import annotations

import json
from typing import Any

from compliance_opa.domain.findings import Catalogue, Check, CheckResult, Finding, Severity, Status
from compliance_opa.errors import EngineError

# What reading a field of a value of the wrong shape raises.
SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)


def bad_shape(exc: Exception, what: str = "report has") -> EngineError:
    """The one error for an answer of the wrong shape, wherever it is read: in words,
    not a Python exception's repr."""
    return EngineError(f"OPA {what} an unexpected shape ({_in_words(exc)})")


def _in_words(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return f"no {json.dumps(str(exc.args[0]))} field"
    if isinstance(exc, ValueError | TypeError | AttributeError) and str(exc):
        return str(exc)
    return str(exc) or type(exc).__name__


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
    except SHAPE_ERRORS as exc:
        raise bad_shape(exc, "framework catalogues have") from exc


def parse_report(raw: Any) -> list[CheckResult]:
    """Turn OPA's ``data.scan.report`` into CheckResults, sorted by check id."""
    try:
        errors = list(raw["errors"])
        if errors:
            raise EngineError(f"policy error: {errors[0]}")
        results = [_check_result(item) for item in raw["checks"]]
    except SHAPE_ERRORS as exc:
        raise bad_shape(exc) from exc
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
