"""bench/floor.py's own logic: the identical-report guard and the section it writes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from bench import floor, sections


def _report(message: str) -> dict[str, Any]:
    return {
        "checks": [
            {"package": "checks.aws.s3.a", "evaluated": ["x"], "findings": [{"message": message}]},
            {"package": "checks.aws.s3.b", "evaluated": [], "findings": []},
        ],
        "errors": [],
        "frameworks": {},
    }


def test_same_reports_pass() -> None:
    floor._same_report(_report("m"), _report("m"), 10)


def test_a_differing_finding_fails_loudly_naming_the_check() -> None:
    with pytest.raises(SystemExit, match=r"different reports.*checks\.aws\.s3\.a"):
        floor._same_report(_report("m"), _report("other"), 10)


def test_per_check_cost_is_floor_over_checks_times_resources() -> None:
    row = floor.Floor("after", checks=4, resources=1000, seconds=[2.0, 1.0, 9.0])
    assert row.median == 2.0
    assert row.per_check_ns == pytest.approx(2.0e9 / 4000)


def test_section_replaces_only_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(floor, "_opa_version", lambda: "OPA test")
    rows = {
        ("before", 10): floor.Floor("before", 2, 10, [4.0], [5.0]),
        ("after", 10): floor.Floor("after", 2, 10, [1.0], [2.0]),
        ("before", 100): floor.Floor("before", 2, 100, [40.0], [60.0]),
        ("after", 100): floor.Floor("after", 2, 100, [20.0], [20.0]),
    }
    args = argparse.Namespace(small=10, repeat=1)
    text = floor._markdown(rows, [floor.Floor("25% of the checks", 1, 10, [0.5])], args, 1, 0.5)
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\n## Scans\n\nkept\n\n## Policy floor\n\nold figures\n")
    sections.update(out, sections.split(text))
    written = out.read_text()
    assert "kept" in written
    assert "old figures" not in written
    # 100 resources is the largest size: its ratio (2x) is judged against the target.
    assert (
        "at 100 resources, at least 2x lower: 200000000.0 -> 100000000.0 ns, 2.00x, met"
        " (OPA CPU time 3.00x lower)"
    ) in written
    assert "| 25% of the checks | 1 | 0.50 |" in written
