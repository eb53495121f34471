"""The whole library on the bundled examples: the expected findings, per framework.

The golden file lists, per framework, every (check, resource, status) the
examples produce. After an intended change to a check or an example, review the
difference and refresh it with `UPDATE_GOLDEN=1 make pytest`.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

from tests.conftest import EXAMPLES, REPO, run_cli

GOLDEN = REPO / "tests" / "golden" / "library-findings.json"
INPUTS = sorted(EXAMPLES.glob("*.json")) + sorted((EXAMPLES / "library").glob("*.json"))


@cache
def _report() -> dict[str, Any]:
    result = run_cli("scan", *INPUTS, "--format", "json", "--fail-on", "none")
    assert result.code == 0, result.stderr
    report: dict[str, Any] = result.json()
    return report


def _by_framework(report: dict[str, Any]) -> dict[str, list[str]]:
    return {
        framework: sorted(
            f"{f['check_id']} {f['status']} {f['resource']}"
            for f in report["findings"]
            if framework in f["controls"]
        )
        for framework in ("gdpr", "hipaa", "pci_dss", "soc2", "iso27001")
    }


def test_examples_produce_the_expected_findings_per_framework() -> None:
    actual = _by_framework(_report())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(actual, indent=1) + "\n")
    expected = json.loads(GOLDEN.read_text())
    for framework in expected:
        missing = sorted(set(expected[framework]) - set(actual[framework]))
        unexpected = sorted(set(actual[framework]) - set(expected[framework]))
        assert (missing, unexpected) == ([], []), framework


# Checks whose resource is itself the finding: every resource they judge fails.
FAIL_BY_EXISTENCE = {
    "AWS-IAM-106": "an aws_iam_user_policy is an inline policy on a user: its existence fails",
}


def test_every_check_fails_and_passes_somewhere_in_the_examples() -> None:
    report = _report()
    flagged: dict[str, set[str]] = {}
    for finding in report["findings"]:
        flagged.setdefault(finding["check_id"], set()).add(finding["resource"])
    for check in report["checks"]:
        assert check["check_id"] in flagged, f"{check['check_id']} never fails in the examples"
        if check["check_id"] in FAIL_BY_EXISTENCE:
            assert check["resources_evaluated"] == len(flagged[check["check_id"]])
            continue
        assert check["resources_evaluated"] > len(flagged[check["check_id"]]), (
            f"{check['check_id']} never passes in the examples"
        )


def test_pending_review_rule_is_indeterminate_not_passed() -> None:
    pending = [f for f in _report()["findings"] if "pending review" in f["message"]]
    assert pending
    assert {f["status"] for f in pending} == {"indeterminate"}
