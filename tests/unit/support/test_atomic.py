"""Atomic report writes: all files or none, old content kept, no temp files left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance_opa.errors import EngineError
from compliance_opa.support.atomic import write_all_atomic


def test_writes_every_file(tmp_path: Path) -> None:
    write_all_atomic({tmp_path / "a.json": "A", tmp_path / "sub" / "b.md": "B"})
    assert (tmp_path / "a.json").read_text() == "A"
    assert (tmp_path / "sub" / "b.md").read_text() == "B"


def test_a_failure_while_staging_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text("old A")
    second.write_text("old B")
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second report's data hits a full disk
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(EngineError, match=r"b\.json: cannot write report: No space left on device"):
        write_all_atomic({first: "new A", second: "new B"})
    assert first.read_text() == "old A"
    assert second.read_text() == "old B"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]
