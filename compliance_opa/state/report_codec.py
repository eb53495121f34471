"""A ScanReport as the state store keeps it: JSON that loads back into the same report,
so `opa-comply report --scan ID` renders any format from history exactly as the scan did.

Checks are written once and findings refer to them by id; everything else is plain
data. A baseline comparison (a CI-only view) is not kept.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from compliance_opa.domain.audit import AuditActivity, AuditCount, AuditList, AuditSource
from compliance_opa.domain.changes import Drift, PriorFinding
from compliance_opa.domain.data_changes import as_dict as data_change_dict
from compliance_opa.domain.data_changes import from_dict as data_change_from
from compliance_opa.domain.data_map import DataMap
from compliance_opa.domain.data_map_json import as_dict as data_map_dict
from compliance_opa.domain.data_map_json import from_dict as data_map_from
from compliance_opa.domain.findings import Check, CheckResult, Finding, Severity, Status, check_dict
from compliance_opa.domain.rates import ControlStatus, FrameworkSummary, Tally
from compliance_opa.domain.report import InputInfo, ScanReport, SourceGap
from compliance_opa.domain.risk import ResourceFacts
from compliance_opa.domain.waivers import Waiver, WaiverOutcome
from compliance_opa.errors import EngineError

FORMAT = "opa-comply-stored-scan/1"


def dumps(report: ScanReport) -> str:
    return json.dumps(_dump(report), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> ScanReport:
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            raise ValueError(f"format {document.get('format')!r}, expected {FORMAT}")
        return _load(document)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"stored scan cannot be read ({exc})") from exc


def _dump(r: ScanReport) -> dict[str, Any]:
    checks = {res.check.check_id: res.check for res in r.results}
    return {
        "format": FORMAT,
        "scan_id": r.scan_id,
        "scope": r.scope,
        "threshold": r.threshold,
        "tool_version": r.tool_version,
        "opa_version": r.opa_version,
        "policy_digest": r.policy_digest,
        "opa_url": r.opa_url,
        "started_at": r.started_at,
        "finished_at": r.finished_at,
        "frameworks": list(r.frameworks),
        "inputs": [vars(i) for i in r.inputs],
        "checks": [check_dict(c) for c in checks.values()],
        "results": [
            {
                "check": res.check.check_id,
                "evaluated": list(res.evaluated),
                "findings": [_finding(f) for f in res.findings],
            }
            for res in r.results
        ],
        "summaries": [_summary(s) for s in r.summaries],
        "locations": {a: list(loc) for a, loc in r.locations.items()},
        "gaps": [vars(g) for g in r.gaps],
        "parameters": r.parameters,
        "resources": {a: _facts(f) for a, f in r.resources.items()},
        "attributes": r.attributes,
        "complete_sources": sorted(list(s) for s in r.complete_sources),
        "waivers": _outcome(r.waivers) if r.waivers else None,
        "drift": _drift(r.drift) if r.drift else None,
        **({"audit": [_audit(a) for a in r.audit]} if r.audit else {}),
        # Always kept (empty too): a stored scan without the key predates data maps, and
        # the next drift then has no baseline to compare with (app/record.py).
        "data_map": data_map_dict(r.data_map),
    }


def _load(d: dict[str, Any]) -> ScanReport:
    checks = {c["check_id"]: _load_check(c) for c in d["checks"]}
    return ScanReport(
        tool_version=d["tool_version"],
        opa_version=d["opa_version"],
        policy_digest=d["policy_digest"],
        opa_url=d["opa_url"],
        started_at=d["started_at"],
        finished_at=d["finished_at"],
        frameworks=tuple(d["frameworks"]),
        inputs=tuple(InputInfo(**i) for i in d["inputs"]),
        results=tuple(
            CheckResult(
                check=checks[res["check"]],
                evaluated=tuple(res["evaluated"]),
                findings=tuple(_load_finding(f, checks) for f in res["findings"]),
            )
            for res in d["results"]
        ),
        summaries=tuple(_load_summary(s) for s in d["summaries"]),
        locations={a: (str(loc[0]), int(loc[1])) for a, loc in d["locations"].items()},
        gaps=tuple(SourceGap(**g) for g in d["gaps"]),
        parameters=dict(d["parameters"]),
        resources={a: _load_facts(f) for a, f in d["resources"].items()},
        attributes={str(a): dict(v) for a, v in d.get("attributes", {}).items()},  # not before
        complete_sources=frozenset((str(k), str(s)) for k, s in d["complete_sources"]),
        waivers=_load_outcome(d["waivers"]) if d["waivers"] else None,
        drift=_load_drift(d["drift"], checks) if d["drift"] else None,
        scan_id=d["scan_id"],
        scope=d["scope"],
        threshold=float(d.get("threshold", 0.95)),
        audit=tuple(_load_audit(a) for a in d.get("audit", ())),  # not in older stores
        data_map=data_map_from(d.get("data_map") or {}),  # not in older stores: empty
    )


def _audit(a: AuditActivity) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "resource": a.resource,
        "name": a.name,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "counts": [[c.key, c.label, c.value] for c in a.counts],
        "lists": [
            {"key": x.key, "title": x.title, "columns": list(x.columns),
             "rows": [list(row) for row in x.rows], "total": x.total, "known": x.known}
            for x in a.lists
        ],
        "sources": [[s.name, s.sha256] for s in a.sources],
    }  # fmt: skip


def _load_audit(a: dict[str, Any]) -> AuditActivity:
    return AuditActivity(
        kind=str(a["kind"]),
        resource=str(a["resource"]),
        name=str(a["name"]),
        period_start=str(a["period_start"]),
        period_end=str(a["period_end"]),
        counts=tuple(
            AuditCount(str(k), str(label), None if v is None else int(v))
            for k, label, v in a["counts"]
        ),
        lists=tuple(
            AuditList(
                key=str(x["key"]),
                title=str(x["title"]),
                columns=tuple(str(c) for c in x["columns"]),
                rows=tuple(tuple(str(c) for c in row) for row in x["rows"]),
                total=None if x["total"] is None else int(x["total"]),
                known=bool(x["known"]),
            )
            for x in a["lists"]
        ),
        sources=tuple(AuditSource(str(n), str(h)) for n, h in a["sources"]),
    )


def _load_check(c: dict[str, Any]) -> Check:
    return Check(
        check_id=c["check_id"],
        title=c["title"],
        description=c["description"],
        severity=Severity(c["severity"]),
        resource_types=tuple(c["resource_types"]),
        controls={f: tuple(ids) for f, ids in c["controls"].items()},
        remediation=c["remediation"],
    )


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "check": f.check.check_id,
        "resource": f.resource,
        "resource_type": f.resource_type,
        "status": f.status.value,
        "message": f.message,
        "paths": list(f.paths),
        "risk": f.risk,
        "waiver": _waiver(f.waiver) if f.waiver else None,
    }


def _load_finding(f: dict[str, Any], checks: dict[str, Check]) -> Finding:
    return Finding(
        check=checks[f["check"]],
        resource=f["resource"],
        resource_type=f["resource_type"],
        status=Status(f["status"]),
        message=f["message"],
        paths=tuple(f["paths"]),
        risk=int(f["risk"]),
        waiver=_load_waiver(f["waiver"]) if f["waiver"] else None,
    )


def _tally(t: Tally) -> list[int]:
    return [t.evaluations, t.passed, t.failed, t.indeterminate, t.waived]  # 4 in old stores


def _summary(s: FrameworkSummary) -> dict[str, Any]:
    return {
        "framework": s.framework,
        "name": s.name,
        "tally": _tally(s.tally),
        "controls": [
            [c.control_id, c.title, list(c.check_ids), _tally(c.tally)] for c in s.controls
        ],
        "manual_controls": [list(m) for m in s.manual_controls],
    }


def _load_summary(s: dict[str, Any]) -> FrameworkSummary:
    return FrameworkSummary(
        framework=s["framework"],
        name=s["name"],
        tally=Tally(*s["tally"]),
        controls=tuple(
            ControlStatus(control_id=c[0], title=c[1], check_ids=tuple(c[2]), tally=Tally(*c[3]))
            for c in s["controls"]
        ),
        manual_controls=tuple((str(m[0]), str(m[1])) for m in s["manual_controls"]),
    )


def _facts(f: ResourceFacts) -> dict[str, Any]:
    return {**vars(f), "data_classes": list(f.data_classes), "tags": dict(f.tags or {})}


def _load_facts(f: dict[str, Any]) -> ResourceFacts:
    return ResourceFacts(**{**f, "data_classes": tuple(f["data_classes"])})


def _waiver(w: Waiver) -> dict[str, Any]:
    return {
        **vars(w),
        "expires": w.expires.isoformat(),
        "created": w.created.isoformat() if w.created else None,
    }


def _load_waiver(w: dict[str, Any]) -> Waiver:
    created = date.fromisoformat(w["created"]) if w["created"] else None
    return Waiver(**{**w, "expires": date.fromisoformat(w["expires"]), "created": created})


def _outcome(o: WaiverOutcome) -> dict[str, Any]:
    return {
        "in_force": [_waiver(w) for w in o.in_force],
        "expired": [_waiver(w) for w in o.expired],
        "expiring": [_waiver(w) for w in o.expiring],
        "stale": [_waiver(w) for w in o.stale],
        "applied": o.applied,
    }


def _load_outcome(o: dict[str, Any]) -> WaiverOutcome:
    return WaiverOutcome(
        in_force=tuple(_load_waiver(w) for w in o["in_force"]),
        expired=tuple(_load_waiver(w) for w in o["expired"]),
        expiring=tuple(_load_waiver(w) for w in o["expiring"]),
        stale=tuple(_load_waiver(w) for w in o["stale"]),
        applied={str(k): int(v) for k, v in o["applied"].items()},
    )


def _drift(d: Drift) -> dict[str, Any]:
    return {
        "previous_scan": d.previous_scan,
        "new": [_finding(f) for f in d.new],
        "changed": [_finding(f) for f in d.changed],
        "persisting": [_finding(f) for f in d.persisting],
        "resolved": [vars(p) for p in d.resolved],
        "unverified": [vars(p) for p in d.unverified],
        "newly_failing": [_finding(f) for f in d.newly_failing],
        "data_changes": [data_change_dict(c) for c in d.data_changes],
        "data_carried": data_map_dict(DataMap(stores=d.data_carried))["stores"],
    }


def _load_drift(d: dict[str, Any], checks: dict[str, Check]) -> Drift:
    def findings(key: str) -> tuple[Finding, ...]:
        return tuple(_load_finding(f, checks) for f in d[key])

    return Drift(
        previous_scan=d["previous_scan"],
        new=findings("new"),
        changed=findings("changed"),
        persisting=findings("persisting"),
        resolved=tuple(PriorFinding(**p) for p in d["resolved"]),
        unverified=tuple(PriorFinding(**p) for p in d["unverified"]),
        newly_failing=findings("newly_failing"),
        data_changes=tuple(data_change_from(c) for c in d.get("data_changes", ())),
        data_carried=data_map_from({"stores": d.get("data_carried") or []}).stores,
    )
