"""Scan history in the state store: record a scan, read the last one of a scope, list them."""

from __future__ import annotations

import json

from compliance_opa.domain.changes import Drift, PriorFinding
from compliance_opa.domain.drift import merged
from compliance_opa.domain.findings import findings_digest
from compliance_opa.domain.report import ScanReport
from compliance_opa.errors import InputError
from compliance_opa.state.store import Transaction


def record_scan(
    tx: Transaction,
    scan_id: str,
    scope: str,
    kind: str,
    report: ScanReport,
    report_json: str,
    drift: Drift | None = None,
) -> None:
    """The scan, its findings, and the unverified findings it carries forward; not yet
    complete (see mark_complete)."""
    tx.execute(
        "INSERT INTO scans (scan_id, scope, kind, started_at, finished_at, tool_version,"
        " opa_version, policy_digest, frameworks, inputs, coverage, summary, findings_digest,"
        " report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            scan_id,
            scope,
            kind,
            report.started_at,
            report.finished_at,
            report.tool_version,
            report.opa_version,
            report.policy_digest,
            json.dumps(list(report.frameworks)),
            json.dumps([vars(i) for i in report.inputs]),
            json.dumps([vars(g) for g in report.gaps]),
            json.dumps(
                {"failed": report.totals.failed, "indeterminate": report.totals.indeterminate}
            ),
            findings_digest(report.findings),
            report_json,
        ),
    )
    rows: list[tuple[object, ...]] = []
    for f in merged(report.findings).values():  # one row per check and resource
        facts = report.resources.get(f.resource)
        detail = {"title": f.check.title, "resource_type": f.resource_type, "carried": False}
        rows.append(
            (scan_id, f.check.check_id, f.resource, f.status.value, f.check.severity.value,
             f.risk, f.message, facts.source if facts else None, json.dumps(detail))
        )  # fmt: skip
    for p in drift.unverified if drift else ():
        detail = {"title": p.title, "resource_type": p.resource_type, "carried": True}
        rows.append(
            (scan_id, p.check_id, p.resource, p.status, p.severity, p.risk, p.message,
             p.source, json.dumps(detail))
        )  # fmt: skip
    for row in rows:
        tx.execute(
            "INSERT INTO findings (scan_id, check_id, resource, status, severity, risk,"
            " message, source, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )


def last_scan(tx: Transaction, scope: str, kind: str) -> tuple[str, list[PriorFinding]] | None:
    """The last complete scan of this scope and kind (drift compares with drift) with its
    open findings, carried ones too."""
    found = tx.rows(
        "SELECT scan_id FROM scans WHERE scope = ? AND kind = ? AND complete = 1"
        " ORDER BY seq DESC LIMIT 1",
        (scope, kind),
    )
    if not found:
        return None
    scan_id = str(found[0][0])
    priors = [
        PriorFinding(
            check_id=str(check_id),
            resource=str(resource),
            status=str(status),
            severity=str(severity),
            risk=int(risk),
            message=str(message),
            title=str(json.loads(detail).get("title", "")),
            source=str(source) if source is not None else None,
            resource_type=str(json.loads(detail).get("resource_type", "")),
        )
        for check_id, resource, status, severity, risk, message, source, detail in tx.rows(
            "SELECT check_id, resource, status, severity, risk, message, source, detail"
            " FROM findings WHERE scan_id = ? ORDER BY seq",
            (scan_id,),
        )
    ]
    return scan_id, priors


def last_started(tx: Transaction, scope: str, kind: str) -> str | None:
    """When the last complete scan of this scope and kind started (RFC 3339); None if
    there is none. A scheduled audit-log summary reads from there."""
    found = tx.rows(
        "SELECT started_at FROM scans WHERE scope = ? AND kind = ? AND complete = 1"
        " ORDER BY seq DESC LIMIT 1",
        (scope, kind),
    )
    return str(found[0][0]) if found else None


def complete_scans(tx: Transaction) -> list[tuple[str, str, str]]:
    """(scan id, scope, finished at) of every complete scan, oldest first: each left a
    record in the evidence ledger before it was marked complete."""
    return [
        (str(scan_id), str(scope), str(finished_at))
        for scan_id, scope, finished_at in tx.rows(
            "SELECT scan_id, scope, finished_at FROM scans WHERE complete = 1 ORDER BY seq"
        )
    ]


def mark_complete(tx: Transaction, scan_id: str) -> None:
    """The scan's reports are out: from now on it is what the next scan compares with."""
    tx.execute("UPDATE scans SET complete = 1 WHERE scan_id = ?", (scan_id,))


def stored_report(tx: Transaction, scan: str, scope: str | None = None) -> tuple[str, str]:
    """(scan id, stored report text) of a complete scan: `latest` (of `scope`, if given)
    or a scan id. An unknown id or an empty history is a usage error."""
    if scan == "latest":
        where, params = ("AND scope = ?", (scope,)) if scope else ("", ())
        rows = tx.rows(
            f"SELECT scan_id, report FROM scans WHERE complete = 1 {where}"  # noqa: S608
            " ORDER BY seq DESC LIMIT 1",
            params,
        )
        if not rows:
            within = f" of scope {scope!r}" if scope else ""
            raise InputError(f"--scan latest: no complete scan{within} in the state store")
    else:
        if scope:
            raise InputError("--scope: applies to --scan latest, not to a scan id")
        rows = tx.rows(
            "SELECT scan_id, report FROM scans WHERE scan_id = ? AND complete = 1", (scan,)
        )
        if not rows:
            raise InputError(f"--scan {scan}: no such complete scan in the state store")
    return str(rows[0][0]), str(rows[0][1])
