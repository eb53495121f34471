"""Rewrite tests/golden/reports/ from a fresh, normalised scan of the examples.

Run after an intended change to a report format, a check or an example, and review the
diff: python scripts/regenerate-golden.py (with the project's venv; OPA from .tools/bin,
OPA_BINARY or PATH). The scan and the normalisation live in tests/golden_reports.py,
shared with tests/unit/reports/test_golden_reports.py, so this writes exactly what the test expects.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make `tests` and the package importable

from tests.golden_reports import regenerate  # noqa: E402 - after the path set-up


def main() -> int:
    for path in regenerate():
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
