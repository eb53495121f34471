"""Control-level scoring: automated vs manual controls, rates over assessed controls."""

from __future__ import annotations

from compliance_opa.domain.findings import Catalogue, Check, CheckResult, Finding, Severity, Status
from compliance_opa.domain.rates import summarize_framework


def _check(check_id: str, controls: tuple[str, ...]) -> Check:
    return Check(
        check_id=check_id,
        title=check_id,
        description="",
        severity=Severity.HIGH,
        resource_types=("t",),
        controls={"gdpr": controls},
        remediation="fix",
    )


def _result(check: Check, evaluated: tuple[str, ...], failing: dict[str, Status]) -> CheckResult:
    findings = tuple(Finding(check, a, "t", s, "m", ()) for a, s in failing.items())
    return CheckResult(check=check, evaluated=evaluated, findings=findings)


CATALOGUE = Catalogue(
    framework="gdpr",
    name="GDPR",
    controls={
        "Art.5(1)(c)": "Minimisation",
        "Art.32(1)(a)": "Encryption",
        "Art.30": "Records",
        "Art.32(1)(b)": "Resilience",
        "Art.44": "Transfers",
    },
)


def test_controls_are_scored_and_unmapped_ones_are_manual() -> None:
    encryption = _check("A-B-001", ("Art.32(1)(a)",))
    access = _check("A-B-002", ("Art.32(1)(b)", "Art.32(1)(a)"))
    transfers = _check("A-B-003", ("Art.44",))
    minimisation = _check("A-B-004", ("Art.5(1)(c)",))
    summary = summarize_framework(
        "gdpr",
        [
            _result(encryption, ("r1", "r2"), {}),
            _result(access, ("r1",), {"r1": Status.FAIL}),
            _result(transfers, ("r3",), {"r3": Status.INDETERMINATE}),
            _result(minimisation, (), {}),  # nothing in scope: not assessed
        ],
        CATALOGUE,
    )
    status = {c.control_id: c.tally.status for c in summary.controls}
    assert status == {
        "Art.5(1)(c)": "not_assessed",
        "Art.32(1)(a)": "non_compliant",  # one of its checks fails
        "Art.32(1)(b)": "non_compliant",
        "Art.44": "indeterminate",
    }
    assert [c.control_id for c in summary.controls] == [
        "Art.5(1)(c)",
        "Art.32(1)(a)",
        "Art.32(1)(b)",
        "Art.44",
    ]
    assert summary.manual_controls == (("Art.30", "Records"),)
    assert summary.assessed == 3
    assert summary.compliance_rate == 0.0
    assert summary.status == "non_compliant"
    assert summary.controls[1].title == "Encryption"


def test_rate_counts_compliant_controls_over_assessed_ones() -> None:
    summary = summarize_framework(
        "gdpr",
        [
            _result(_check("A-B-001", ("Art.32(1)(a)",)), ("r1",), {}),
            _result(_check("A-B-002", ("Art.44",)), ("r1",), {"r1": Status.INDETERMINATE}),
            _result(_check("A-B-003", ("Art.30",)), ("r1",), {}),
        ],
        CATALOGUE,
    )
    assert summary.compliance_rate == round(2 / 3, 4)
    assert summary.status == "indeterminate"


def test_nothing_assessed_is_not_compliance() -> None:
    summary = summarize_framework("gdpr", [_result(_check("A-B-001", ("Art.30",)), (), {})])
    assert summary.compliance_rate is None
    assert summary.status == "not_assessed"
    assert summary.manual_controls == ()  # no catalogue served: nothing to call manual
