"""The `opa version` probe is cached by the binary's path, size and mtime: a second start
does not run it, a changed binary is probed again, the minimum is checked every time."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from compliance_opa.engine import binary
from compliance_opa.errors import EngineError

OPA = Path(os.environ.get("OPA_BINARY") or binary.find_opa_binary())


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _fake_opa(path: Path, version: str) -> Path:
    """A script printing `version`, and counting its runs in a file next to it."""
    runs = path.with_suffix(".runs")
    path.write_text(f"#!/bin/sh\necho x >> '{runs}'\necho 'Version: {version}'\n")
    path.chmod(0o755)
    return path


def _runs(path: Path) -> int:
    runs = path.with_suffix(".runs")
    return len(runs.read_text().splitlines()) if runs.exists() else 0


def test_the_real_binary_is_probed_once(cache_home: Path) -> None:
    assert binary.binary_version(OPA) == "1.22.2"
    assert binary.version_cache_path() == cache_home / "opa-comply" / "opa-version.json"
    assert binary.version_cache_path().is_file()
    assert binary.binary_version(OPA) == "1.22.2"


def test_a_cached_version_is_not_probed_again(tmp_path: Path) -> None:
    fake = _fake_opa(tmp_path / "opa", "1.22.2")
    assert binary.binary_version(fake) == "1.22.2"
    assert binary.binary_version(fake) == "1.22.2"
    assert _runs(fake) == 1


def test_a_changed_binary_is_probed_again(tmp_path: Path) -> None:
    fake = _fake_opa(tmp_path / "opa", "1.22.2")
    assert binary.binary_version(fake) == "1.22.2"
    _fake_opa(fake, "1.23.0")
    stat = fake.stat()
    os.utime(fake, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert binary.binary_version(fake) == "1.23.0"
    assert _runs(fake) == 2


def test_a_too_old_cached_version_is_still_refused(tmp_path: Path) -> None:
    fake = _fake_opa(tmp_path / "opa", "1.21.2")
    for _ in range(2):
        with pytest.raises(EngineError, match=r"older than 1\.21\.3"):
            binary.binary_version(fake)
    assert _runs(fake) == 1


def test_a_broken_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    cache = binary.version_cache_path()
    cache.parent.mkdir(parents=True)
    fake = _fake_opa(tmp_path / "opa", "1.22.2")
    key = binary._cache_key(fake)
    assert key is not None
    bad_value = json.dumps({key: "1.22.2; rm -rf /"})
    for broken in ("{not json", "[1, 2]", bad_value):
        cache.write_text(broken)
        assert binary.binary_version(fake) == "1.22.2"
    assert _runs(fake) == 3
    assert binary.binary_version(fake) == "1.22.2"
    assert _runs(fake) == 3


def test_an_unwritable_cache_only_costs_the_probe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fake = _fake_opa(tmp_path / "opa", "1.22.2")
    assert binary.binary_version(fake) == "1.22.2"
    assert binary.binary_version(fake) == "1.22.2"
    assert _runs(fake) == 2


def test_a_binary_that_prints_no_version_is_an_engine_error(tmp_path: Path) -> None:
    fake = tmp_path / "opa"
    fake.write_text("#!/bin/sh\necho hello\n")
    fake.chmod(0o755)
    with pytest.raises(EngineError, match="printed no version"):
        binary.binary_version(fake)
