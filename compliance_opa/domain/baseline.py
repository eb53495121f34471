"""Baselines: compare a scan with an earlier JSON report, so only new failures gate.

Entries are matched by their fingerprint (identity.py: check, resource and status).

Where a baseline and drift agree: a failure is *resolved* only when this scan looked
again (coverage.Recheck); one whose resource this scan did not look at again (a coverage
gap, a resource not collected) is *unverified*, neither resolved nor gating.

Where they differ, on purpose (the rule "a message change gates a baseline"): a failure whose
message alone changed gates a baseline run (a wider open port keeps its fingerprint, not
its message, and a pull request must not widen it unseen), while a drift run gates only
on what started failing, since its messages change on their own (a key's age in days).
"""

from __future__ import annotations

from compliance_opa.domain.changes import Baseline, Comparison
from compliance_opa.domain.coverage import Recheck
from compliance_opa.domain.findings import Status
from compliance_opa.domain.identity import finding_fingerprint
from compliance_opa.domain.report import ScanReport


def compare(report: ScanReport, baseline: Baseline) -> Comparison:
    findings = report.findings
    before = {f.fingerprint: f for f in baseline.findings}
    failing = [f for f in findings if f.status is Status.FAIL]
    known = [f for f in failing if finding_fingerprint(f) in before]
    recheck = Recheck(report)
    # A failure that became indeterminate is not fixed: only one with no finding is, and
    # only when this scan looked again (as for drift: a coverage gap resolves nothing).
    gone = [f for f in baseline.findings if f.status == Status.FAIL.value]
    return Comparison(
        baseline=baseline,
        new=tuple(f for f in failing if finding_fingerprint(f) not in before),
        changed=tuple(f for f in known if before[finding_fingerprint(f)].message != f.message),
        unchanged=tuple(f for f in known if before[finding_fingerprint(f)].message == f.message),
        resolved=tuple(f for f in gone if recheck.gone(f.check_id, f.resource, None)),
        unverified=tuple(
            f
            for f in gone
            if not recheck.seen(f.check_id, f.resource)
            and not recheck.gone(f.check_id, f.resource, None)
        ),
    )
