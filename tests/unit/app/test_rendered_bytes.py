"""Reports written to files straight from bytes (JSON, SARIF, OSCAL): the same bytes as
their text, never held as text as well; other formats still written from their text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance_opa.app.outputs import Rendered, write_files
from compliance_opa.reports import BYTES_RENDERERS, RENDERERS, json_report
from tests.report_builder import check, finding, report

C = check("AWS-RDS-001")
REPORT = report(
    {"AWS-RDS-001": ["aws_db_instance.é", "aws_db_instance.b"]},
    [finding(C, "aws_db_instance.é", message="ünïcode ☃ \u2028 bad")],
)


def test_files_hold_each_formats_text_whichever_way_it_is_rendered(tmp_path: Path) -> None:
    files = {tmp_path / f"report.{name}": render for name, render in RENDERERS.items()}
    texts = Rendered(REPORT)
    write_files(texts, files)
    for path, render in files.items():
        assert path.read_bytes() == render(REPORT).encode("utf-8"), path.name
    assert {RENDERERS[n] for n in ("json", "sarif", "oscal")} <= set(BYTES_RENDERERS)
    # Rendered to bytes only: no text kept beside them, and text still given when asked.
    assert set(texts._encoded) == set(BYTES_RENDERERS)
    assert not set(texts._texts) & set(BYTES_RENDERERS)
    assert texts.of(RENDERERS["json"]) == RENDERERS["json"](REPORT)


def test_text_already_rendered_is_written_as_it_is(tmp_path: Path) -> None:
    texts = Rendered(REPORT)
    shown = texts.of(RENDERERS["json"])  # for standard output first
    write_files(texts, {tmp_path / "r.json": RENDERERS["json"]})
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == shown
    assert not texts._encoded  # not rendered a second time


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_the_json_reports_findings_written_in_batches_give_the_same_text(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(json_report, "_BATCH", batch)
    many = report(
        {"AWS-RDS-001": [f"aws_db_instance.n{i}" for i in range(5)]},
        [finding(C, f"aws_db_instance.n{i}", message=f"bad {i} \n ]}}") for i in range(5)],
    )
    whole = json_report.render(many).encode("utf-8")
    assert bytes(json_report.render_bytes(many)) == whole
    assert len(json.loads(whole)["findings"]) == 5
    empty = report({"AWS-RDS-001": ["aws_db_instance.a"]})
    assert bytes(json_report.render_bytes(empty)) == json_report.render(empty).encode("utf-8")
