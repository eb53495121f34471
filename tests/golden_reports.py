"""Golden report files: every text format rendered from one fixed, real scan.

The scan is real (the bundled examples, the project's policies, the real OPA as a managed
sidecar); what varies between runs and machines is then pinned: times, OPA's address, the
scan id, the tool version, the policy digest (a policy edit that changes no output must not
churn the files), absolute paths and the JUnit hostname. One waiver is applied so waived
findings are covered too.

Shared by tests/unit/reports/test_golden_reports.py (compares) and
scripts/regenerate-golden.py (writes).
"""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

from compliance_opa.app.evaluate import run_scan
from compliance_opa.domain.apply_waivers import waive
from compliance_opa.domain.report import ScanReport, SourceGap
from compliance_opa.domain.waivers import Waiver, WaiverPolicy
from compliance_opa.engine.connect import EngineSettings, open_engine
from compliance_opa.inventory.load import load_inventories
from compliance_opa.reports import FILE_NAMES, RENDERERS

REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = REPO / "tests" / "golden" / "reports"
INPUTS = (REPO / "examples" / "aws-production.json", REPO / "examples" / "postgres-orders.json")
# Every text format; the table is a terminal rendering, not a file format.
FORMATS = (
    "json", "sarif", "junit", "markdown", "csv", "oscal", "pr-comment", "html", "data-map",
    "data-map-csv",
)  # fmt: skip
TODAY = date(2026, 11, 23)  # the day the waiver is judged on
WAIVER = Waiver(
    check="AWS-S3-001",
    resource="arn:aws:s3:::acme-static-site",
    reason="Public website bucket by design, content reviewed",
    owner="web-team",
    approver="jane.doe@example.com",
    ticket="SEC-1234",
    expires=date(2026, 12, 31),
    created=date(2026, 11, 1),
    index=0,
    source="waivers.yaml",
)
HOSTNAME = "golden-host"


@cache
def golden_report() -> ScanReport:
    """The scan the golden files are rendered from (cached: one sidecar per test run)."""
    with open_engine(EngineSettings(policies=REPO / "policies")) as client:
        report = run_scan(load_inventories(list(INPUTS)), client)
    return replace(
        waive(report, [WAIVER], TODAY, WaiverPolicy()),
        tool_version="0.0.0+golden",
        policy_digest="sha256:" + "0" * 64,
        opa_url="http://127.0.0.1:8181",
        started_at="2026-11-23T10:00:00Z",
        finished_at="2026-11-23T10:00:02Z",
        scan_id="",
        inputs=tuple(replace(i, path=_relative(i.path)) for i in report.inputs),
        locations={a: (_relative(p), line) for a, (p, line) in report.locations.items()},
        gaps=tuple(
            SourceGap(_relative(g.input_path), g.kind, g.scope, g.status, g.detail)
            for g in report.gaps
        ),
    )


def render_all(report: ScanReport) -> dict[str, str]:
    """File name -> text, for every golden format."""
    files = {FILE_NAMES[name]: RENDERERS[name](report) for name in FORMATS}
    junit = FILE_NAMES["junit"]
    # junit.py stamps the machine's name on every suite.
    actual = f'hostname="{socket.gethostname() or "localhost"}"'
    files[junit] = files[junit].replace(actual, f'hostname="{HOSTNAME}"')
    return files


def regenerate() -> list[Path]:
    """Write the golden files (bytes as rendered: the CSV keeps its CRLF line ends)."""
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all(golden_report()).items():
        path = GOLDEN_DIR / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def _relative(path: str) -> str:
    as_path = Path(path)
    return as_path.relative_to(REPO).as_posix() if as_path.is_relative_to(REPO) else path
