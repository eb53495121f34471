"""State and evidence under attack: credentials in state URLs, a state file others can
read, a ledger whose newest records were deleted, concurrent first drift runs, and an S3
endpoint that accepts connections and never answers."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import load_config
from compliance_opa.errors import InputError
from compliance_opa.state.store import open_store
from tests.conftest import EXAMPLES, REPO, CliResult, opa_binary

PASSWORD = "Hunter2-never-shown-7f3a"


def cli(cwd: Path, *args: str | Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> CliResult:  # fmt: skip
    """The real command, run from `cwd` (files it wrongly creates land there, not in the
    repository) with a private default state home."""
    full_env = {
        **os.environ,
        "OPA_BINARY": str(opa_binary()),
        "XDG_STATE_HOME": str(cwd / "xdg"),
        "PYTHONPATH": str(REPO),
        **(env or {}),
    }
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE", "OPA_COMPLY_STATE"):
        full_env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "compliance_opa", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd, check=False,
    )  # fmt: skip
    return CliResult(done.returncode, done.stdout, done.stderr)


def one_line(result: CliResult, code: int) -> str:
    assert result.code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("opa-comply: error: ")
    return lines[0]


def created(folder: Path) -> list[str]:
    """What a run left in `folder`, besides the default state home it may use."""
    return sorted(p.name for p in folder.iterdir() if p.name != "xdg")


# --- item 13: a state URL never echoes its password and never becomes a file name -------


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://root:{PASSWORD}@db.internal:3306/state",
        f"sqlite://admin:{PASSWORD}@db.internal/state.db",
        f"mongodb+srv://root:{PASSWORD}@cluster0/x",
    ],
)
def test_unsupported_state_url_is_exit_2_without_its_password(tmp_path: Path, url: str) -> None:
    result = cli(tmp_path, "alerts", "list", "--state", url)
    line = one_line(result, 2)
    assert PASSWORD not in result.stderr + result.stdout
    assert line.startswith("opa-comply: error: --state: ")
    assert "****" in line  # the URL is shown, its password masked
    assert created(tmp_path) == []


def test_state_url_from_the_config_is_named_as_the_config_key(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(f'state:\n  url: "mysql://root:{PASSWORD}@db.internal/state"\n')
    result = cli(tmp_path, "alerts", "list", "--config", config)
    line = one_line(result, 2)
    assert PASSWORD not in result.stderr + result.stdout
    assert "state.url: unsupported scheme 'mysql'" in line
    assert "--state" not in line
    assert created(tmp_path) == ["opa-comply.yaml"]
    # Given the config file's path, the message names it.
    with pytest.raises(InputError) as raised:
        open_configured_store(None, load_config(config), config)
    assert str(raised.value).startswith(f"{config}: state.url: unsupported scheme 'mysql' in ")
    assert PASSWORD not in str(raised.value)


@pytest.mark.parametrize(
    "dsn",
    [
        f"host=db.internal user=app password={PASSWORD} dbname=state",
        f"dbname=state password='{PASSWORD}'",
        f"host=db.internal password={PASSWORD} not_a_libpq_key=1",
    ],
)
def test_libpq_key_value_string_is_refused_and_creates_nothing(tmp_path: Path, dsn: str) -> None:
    result = cli(tmp_path, "alerts", "list", "--state", dsn)
    line = one_line(result, 2)
    assert PASSWORD not in result.stderr + result.stdout
    assert "key=value" in line
    assert "postgresql://" in line  # says what to give instead
    assert created(tmp_path) == []
    assert not (tmp_path / "xdg").exists()


def test_libpq_key_value_string_in_the_config_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(f'state:\n  url: "host=db password={PASSWORD} dbname=s"\n')
    result = cli(
        tmp_path, "drift", EXAMPLES / "aws-production.json", "--config", config, "--fail-on", "none"
    )
    line = one_line(result, 2)
    assert PASSWORD not in result.stderr + result.stdout
    assert "key=value" in line
    assert "--state" not in line  # the value came from the config, not from --state
    assert created(tmp_path) == ["opa-comply.yaml"]


def test_every_state_url_message_masks_credentials(tmp_path: Path) -> None:
    for url in (
        f"postgresql://app:{PASSWORD}@db.internal:5432/state?sslmode=bogus%",
        f"sqlite://app:{PASSWORD}@db.internal/x.db",
        f"ftp://app:{PASSWORD}@files/x",
        f"http://db.internal/state?password={PASSWORD}",
        f"password={PASSWORD}",
    ):
        with pytest.raises(InputError) as raised:
            open_store(url, origin="--state")
        assert PASSWORD not in str(raised.value), url
    assert created(tmp_path) == []


# --- item 18: the SQLite store is private to its user --------------------------------------


def test_an_existing_world_readable_state_file_is_made_private(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    os.chmod(empty, 0o644)
    with open_store(str(empty)):
        pass
    assert stat.S_IMODE(empty.stat().st_mode) == 0o600
    # A store with history, opened through the CLI, is made private too.
    history = tmp_path / "history.db"
    with open_store(str(history)):
        pass
    os.chmod(history, 0o666)  # noqa: S103 - the permissive mode under test
    result = cli(tmp_path, "alerts", "list", "--state", history)
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(history.stat().st_mode) == 0o600


def test_every_folder_created_for_the_state_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "state.db"
    old = os.umask(0o022)
    try:
        with open_store(str(path)):
            pass
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_state_file_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.touch(mode=0o644)
    os.chown(path, 65534, 65534)  # nobody
    before = path.stat()
    result = cli(tmp_path, "alerts", "list", "--state", path)
    line = one_line(result, 2)
    assert f"state store {path}: owned by uid 65534" in line
    after = path.stat()
    assert (after.st_uid, after.st_mode, after.st_size) == (
        before.st_uid, before.st_mode, before.st_size,
    )  # fmt: skip
