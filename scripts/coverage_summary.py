"""Print the policy coverage from `opa test --coverage` JSON, and any file under 100%."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(path: str) -> int:
    report = json.loads(Path(path).read_text(encoding="utf-8"))
    print(f"policy coverage: {report.get('coverage', 0):.1f}%")
    for name, entry in sorted(report.get("files", {}).items()):
        if entry.get("coverage", 0) < 100:
            missed = [r["start"]["row"] for r in entry.get("not_covered", [])]
            print(f"  {name}: {entry.get('coverage', 0):.1f}% (rows not covered: {missed})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
