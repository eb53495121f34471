"""The JSON report: the complete, machine-readable result of a scan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from compliance_opa.domain.assessment import assess
from compliance_opa.domain.audit import AuditActivity
from compliance_opa.domain.changes import Comparison, Drift, PriorFinding
from compliance_opa.domain.data_changes import as_dict as data_change_dict
from compliance_opa.domain.data_map_json import as_dict as data_map_dict
from compliance_opa.domain.findings import Check, Finding, Status, findings_digest
from compliance_opa.domain.identity import finding_fingerprint
from compliance_opa.domain.rates import FrameworkSummary, Tally
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.suggestions import advice_for
from compliance_opa.domain.waivers import Waiver, WaiverOutcome
from compliance_opa.support.jsonbytes import pretty, pretty_bytes

REPORT_VERSION = "1"


def build(report: ScanReport) -> dict[str, Any]:
    return _document(report, _findings(report))


def _document(report: ScanReport, findings: list[dict[str, Any]]) -> dict[str, Any]:
    totals = report.totals
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "opa-comply", "version": report.tool_version},
        "opa": {
            "version": report.opa_version,
            "policy_digest": report.policy_digest,
            "url": report.opa_url,
        },
        "scan": {
            **({"id": report.scan_id} if report.scan_id else {}),
            **({"scope": report.scope} if report.scope else {}),
            "started_at": report.started_at,
            "finished_at": report.finished_at,
            "frameworks": list(report.frameworks),
            "inputs": [vars(i) for i in report.inputs],
            "parameters": report.parameters,
        },
        "summary": {
            "collection": {
                "complete": not report.gaps,
                "incomplete_sources": [vars(gap) for gap in report.gaps],
            },
            "checks": len(report.results),
            **_tally(totals),
            "by_severity": report.by_severity(Status.FAIL),
            "indeterminate_by_severity": report.by_severity(Status.INDETERMINATE),
            "waived_by_severity": report.by_severity(Status.WAIVED),
            "frameworks": {s.framework: _framework(s) for s in report.summaries},
        },
        "checks": [
            {
                "check_id": r.check.check_id,
                "title": r.check.title,
                "severity": r.check.severity.value,
                "resources_evaluated": len(r.evaluated),
                "findings": len(r.findings),
            }
            for r in report.results
        ],
        "findings": findings,
        "assessment": _assessment(report),
        **({"baseline": _baseline(report.comparison)} if report.comparison else {}),
        **({"waivers": _waivers(report.waivers)} if report.waivers else {}),
        **({"drift": _drift(report.drift)} if report.drift else {}),
        **({"audit_activity": [audit_dict(a) for a in report.audit]} if report.audit else {}),
        # Where classified data lives; left out when there is none, so such reports stay
        # as they were (the keys are data_map_json's, as the state store keeps them).
        **({} if report.data_map.empty else {"data_map": data_map_dict(report.data_map)}),
    }


def audit_dict(a: AuditActivity) -> dict[str, Any]:
    """One audit-log summary's activity in its period; a count of null is unknown (never 0)."""
    return {
        "kind": a.kind,
        "resource": a.resource,
        "name": a.name,
        "period": {"start": a.period_start, "end": a.period_end},
        "counts": {c.key: c.value for c in a.counts},
        "lists": {
            x.key: {
                "title": x.title,
                "known": x.known,
                "total": x.total,
                "shown": len(x.rows),
                "columns": list(x.columns),
                "rows": [list(row) for row in x.rows],
            }
            for x in a.lists
        },
        "sources": [{"name": s.name, "sha256": s.sha256 or None} for s in a.sources],
    }


def _findings(report: ScanReport) -> list[dict[str, Any]]:
    return [item for batch in _finding_batches(report, None) for item in batch]


def _finding_batches(report: ScanReport, size: int | None) -> Iterator[list[dict[str, Any]]]:
    """The findings as the report shows them, ``size`` at a time (all at once: None)."""
    # One controls mapping per check, shared by its findings: a report of 40k findings
    # would otherwise hold 40k copies.
    controls = {r.check.check_id: _controls(r.check, report.frameworks) for r in report.results}
    findings = report.findings_by_severity()
    step = size or max(len(findings), 1)
    for start in range(0, len(findings), step):
        yield [
            _with_suggestion(finding_dict(f, controls[f.check.check_id]), f)
            for f in findings[start : start + step]
        ]


def _with_suggestion(item: dict[str, Any], finding: Finding) -> dict[str, Any]:
    """A failing finding's suggested change (Terraform or SQL), only when its check has
    one: every other finding stays as it was."""
    advised = advice_for(finding)
    if advised is None or advised.suggestion is None:
        return item
    item["suggestion"] = {"kind": advised.suggestion.kind, "text": advised.suggestion.text}
    return item


def _controls(check: Check, frameworks: tuple[str, ...]) -> dict[str, list[str]]:
    return {f: list(check.controls[f]) for f in frameworks if check.controls.get(f)}


def finding_dict(finding: Finding, controls: dict[str, list[str]]) -> dict[str, Any]:
    """A finding as the report shows it; ``controls``: its check's, in the scan's frameworks."""
    return {
        "check_id": finding.check.check_id,
        "fingerprint": finding_fingerprint(finding),
        "title": finding.check.title,
        "resource": finding.resource,
        "resource_type": finding.resource_type,
        "status": finding.status.value,
        "severity": finding.check.severity.value,
        "risk": finding.risk,
        "controls": controls,
        "message": finding.message,
        "remediation": finding.check.remediation,
        "unresolved_paths": list(finding.paths),
        **({"waiver": waiver_dict(finding.waiver)} if finding.waiver else {}),
    }


def waiver_dict(w: Waiver) -> dict[str, Any]:
    return {
        "id": w.id,
        "check": w.check,
        "resource": w.resource,
        "reason": w.reason,
        "owner": w.owner,
        "approver": w.approver,
        "ticket": w.ticket,
        "expires": w.expires.isoformat(),
        **({"created": w.created.isoformat()} if w.created else {}),
    }


def _waivers(outcome: WaiverOutcome) -> dict[str, Any]:
    return {
        "in_force": [{**waiver_dict(w), "waived": outcome.applied.get(w.id, 0)}
                     for w in outcome.in_force],
        "expiring": [w.id for w in outcome.expiring],
        "expired": [waiver_dict(w) for w in outcome.expired],
        "stale": [w.id for w in outcome.stale],
    }  # fmt: skip


def _drift(drift: Drift) -> dict[str, Any]:
    def keys(items: tuple[Finding, ...]) -> list[dict[str, str]]:
        return [{"check_id": f.check.check_id, "resource": f.resource} for f in items]

    def prior(items: tuple[PriorFinding, ...]) -> list[dict[str, str]]:
        return [{"check_id": p.check_id, "resource": p.resource, "status": p.status}
                for p in items]  # fmt: skip

    return {
        "previous_scan": drift.previous_scan,
        "new": keys(drift.new),
        "changed": keys(drift.changed),
        "persisting": keys(drift.persisting),
        "resolved": prior(drift.resolved),
        "unverified": prior(drift.unverified),
        # Data stores that became classified, moved region or lost encryption (issue 23).
        **({"data_changes": [data_change_dict(c) for c in drift.data_changes]}
           if drift.data_changes else {}),
    }  # fmt: skip


def render(report: ScanReport) -> str:
    return pretty(build(report))


def render_bytes(report: ScanReport) -> bytes | bytearray:
    """The same text as UTF-8 bytes, for a file (never held as a str as well). The
    findings, most of a large report, are written a batch at a time into the text of the
    rest: their dicts are never all held beside the text."""
    head = pretty_bytes(_document(report, []))
    at = head.find(_NO_FINDINGS)
    if at < 0 or not report.findings:
        return pretty_bytes(build(report))  # no findings, or a layout not ours to splice
    text = bytearray(head[:at])
    text += b'\n  "findings": [\n'
    for index, batch in enumerate(_finding_batches(report, _BATCH)):
        if index:
            text += b",\n"
        # The batch as its own document ("[\n  {...}\n]\n"), one level deeper.
        encoded = pretty_bytes(batch)[2:-3]
        text += b"  " + encoded.replace(b"\n", b"\n  ")
    text += b"\n  ],\n"
    text += memoryview(head)[at + len(_NO_FINDINGS) :]
    return text


# Where the findings go in a report written without them (a top-level key, followed by
# the assessment); JSON strings hold no raw newline, so no value can spell it.
_NO_FINDINGS = b'\n  "findings": [],\n'
_BATCH = 1000


def _framework(s: FrameworkSummary) -> dict[str, Any]:
    return {
        "name": s.name,
        "status": s.status,
        # Share of assessed automated controls that are compliant (None: none assessed).
        "compliance_rate": s.compliance_rate,
        "controls_automated": len(s.controls),
        "controls_assessed": s.assessed,
        "controls_compliant": s.controls_with("compliant"),
        "controls_non_compliant": s.controls_with("non_compliant"),
        "controls_indeterminate": s.controls_with("indeterminate"),
        "controls_manual": len(s.manual_controls),
        "evaluations": _tally(s.tally),
        "controls": {
            c.control_id: {"title": c.title, **_tally(c.tally), "checks": list(c.check_ids)}
            for c in s.controls
        },
        "manual_controls": [{"id": i, "title": t} for i, t in s.manual_controls],
    }


def _assessment(report: ScanReport) -> dict[str, Any]:
    a = assess(report, report.threshold)
    return {
        "period": {"start": a.period_start, "end": a.period_end},
        "threshold": a.threshold,
        "frameworks": {
            v.framework: {"compliance_rate": v.rate, "meets_threshold": v.meets} for v in a.verdicts
        },
        "executive_summary": list(a.summary),
        "remediation_plan": [
            {
                "check_id": i.check_id,
                "title": i.title,
                "severity": i.severity,
                "risk": i.risk,
                "resources": list(i.resources),
                "remediation": i.remediation,
            }
            for i in a.plan
        ],
        "evidence": {
            "scan_id": report.scan_id or None,
            "inputs": [{"path": i.path, "sha256": i.digest} for i in report.inputs],
            "policy_digest": report.policy_digest,
            "opa_version": report.opa_version,
            "findings_digest": findings_digest(report.findings),
            **(
                {
                    "audit_sources": [
                        {"resource": a.resource, "name": s.name, "sha256": s.sha256}
                        for a in report.audit
                        for s in a.digests
                    ]
                }
                if report.audit
                else {}
            ),
        },
        "retention": {name: basis for name, basis in a.retention},
    }


def _baseline(comparison: Comparison) -> dict[str, Any]:
    return {
        "path": str(comparison.baseline.path),
        "new": [finding_fingerprint(f) for f in comparison.new],
        "changed": [finding_fingerprint(f) for f in comparison.changed],
        "unchanged": [finding_fingerprint(f) for f in comparison.unchanged],
        "resolved": [
            {"fingerprint": f.fingerprint, "check_id": f.check_id, "resource": f.resource}
            for f in comparison.resolved
        ],
        "unverified": [
            {"fingerprint": f.fingerprint, "check_id": f.check_id, "resource": f.resource}
            for f in comparison.unverified
        ],
    }


def _tally(t: Tally) -> dict[str, Any]:
    return {
        "status": t.status,
        "compliance_rate": t.compliance_rate,
        "evaluations": t.evaluations,
        "passed": t.passed,
        "failed": t.failed,
        "indeterminate": t.indeterminate,
        "waived": t.waived,
    }
