"""Every text report format against its golden file in tests/golden/reports/.

The reports are rendered in memory from the same normalised real scan the files were
written from (tests/golden_reports.py). A difference is either a regression or an intended
change: review it, then refresh the files with `python scripts/regenerate-golden.py`.
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden_reports import GOLDEN_DIR, golden_report, render_all

HINT = "if the change is intended, run: python scripts/regenerate-golden.py"
EXCERPT_LINES = 60


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render_all(golden_report())


def test_every_format_matches_its_golden_file(rendered: dict[str, str]) -> None:
    problems = []
    for name, text in rendered.items():
        path = GOLDEN_DIR / name
        if not path.is_file():
            problems.append(f"{name}: no golden file")
            continue
        # Bytes, not read_text(): universal newlines would hide a CSV that lost its CRLF.
        expected = path.read_bytes().decode("utf-8")
        if expected != text:
            diff = list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"golden/{name}",
                    f"rendered/{name}",
                    n=2,
                )
            )
            excerpt = "".join(diff[:EXCERPT_LINES])
            more = (
                f"... ({len(diff) - EXCERPT_LINES} more diff lines)\n"
                if len(diff) > EXCERPT_LINES
                else ""
            )
            problems.append(f"{name} differs:\n{excerpt}{more}")
    assert not problems, "\n".join(problems) + f"\n{HINT}"


def test_the_golden_folder_holds_exactly_the_rendered_formats(rendered: dict[str, str]) -> None:
    present = {p.name for p in GOLDEN_DIR.iterdir() if not p.name.startswith(".")}
    assert present == set(rendered), HINT
