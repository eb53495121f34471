"""The evidence retention table: one row per framework, ISO 27001's three years, and the
ledger's default (the longest of a scan's frameworks)."""

from __future__ import annotations

from dataclasses import replace

from compliance_opa.domain.assessment import RETENTION, assess
from compliance_opa.domain.findings import FRAMEWORKS
from compliance_opa.evidence import RETENTION_DAYS, retention_days
from tests import report_builder as rb


def test_every_framework_has_a_retention_row() -> None:
    assert set(RETENTION) == set(FRAMEWORKS)
    assert set(RETENTION_DAYS) == set(FRAMEWORKS)


def test_iso27001_keeps_evidence_three_years() -> None:
    days, says = RETENTION["iso27001"]
    assert days == 3 * 365 + 1  # any three years hold at most one 29 February
    assert says.startswith("3 years")
    assert retention_days(["iso27001"]) == 1096


def test_the_longest_framework_of_the_scan_decides() -> None:
    assert retention_days(["pci_dss", "iso27001"]) == 1096  # longer than PCI's 12 months
    assert retention_days(["soc2", "gdpr", "iso27001"]) == 1096
    assert retention_days(["iso27001", "hipaa"]) == 2192  # HIPAA's six years are longer still
    assert retention_days(["iso27001"], configured=400) == 400  # the config section wins


def test_the_assessment_states_iso27001_retention() -> None:
    report = replace(rb.report({"C-1": ["a"]}), frameworks=("iso27001",))
    assert assess(report).retention == (
        ("ISO 27001:2022", "3 years: one certification cycle (ISO/IEC 27001:2022 7.5.3, 9.1)"),
    )
    both = replace(report, frameworks=("pci_dss", "iso27001"))
    assert [name for name, _ in assess(both).retention] == ["PCI DSS v4.0", "ISO 27001:2022"]
