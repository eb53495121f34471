"""Baselines: compare a scan with an earlier JSON report, so only new failures gate.

Entries are matched by their fingerprint (identity.py: check, resource and status).
"""

from __future__ import annotations

from compliance_opa.domain.changes import Baseline, Comparison
from compliance_opa.domain.findings import Status
from compliance_opa.domain.identity import finding_fingerprint
from compliance_opa.domain.report import ScanReport


def compare(report: ScanReport, baseline: Baseline) -> Comparison:
    findings = report.findings
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
