"""State and evidence under attack: credentials in state URLs, a state file others can
read, a ledger whose newest records were deleted, concurrent first drift runs, and an S3
endpoint that accepts connections and never answers."""

from __future__ import annotations

import fcntl
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

import psycopg2
import pytest
import yaml

from compliance_opa.app.record import complete, release
from compliance_opa.app.stores import open_configured_store
from compliance_opa.config.load import load_config
from compliance_opa.errors import EngineError, InputError
from compliance_opa.state.store import open_store
from tests.aws_support import BASE_ENV
from tests.conftest import EXAMPLES, REPO, CliResult, opa_binary
from tests.pg_support import Cluster, start_cluster

PASSWORD = "Hunter2-never-shown-7f3a"


def cli(cwd: Path, *args: str | Path, env: dict[str, str | None] | None = None,
        timeout: float = 120) -> CliResult:  # fmt: skip
    """The real command, run from `cwd` (files it wrongly creates land there, not in the
    repository) with a private default state home; `env` values of None are unset."""
    full_env = {
        **os.environ,
        "OPA_BINARY": str(opa_binary()),
        "XDG_STATE_HOME": str(cwd / "xdg"),
        "PYTHONPATH": str(REPO),
    }
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE", "OPA_COMPLY_STATE"):
        full_env.pop(name, None)
    for name, value in (env or {}).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
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


# --- item 20: concurrent first drift runs take turns ---------------------------------------

HBA = "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Cluster]:
    cluster = start_cluster("hostile-state", {}, HBA, tls=False)
    try:
        yield cluster
    finally:
        cluster.stop()


def _scan_count(url: str) -> int:
    try:
        if url.startswith("postgresql://"):
            with closing(psycopg2.connect(url)) as db, db.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM scans")
                return int(cursor.fetchone()[0])
        with closing(sqlite3.connect(url, timeout=0.2)) as db:
            return int(db.execute("SELECT COUNT(*) FROM scans").fetchone()[0])
    except (sqlite3.Error, psycopg2.Error):
        return 0  # not created yet, or locked for a moment


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_three_first_drift_runs_at_once_see_each_others_records(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = str(tmp_path / "state.db")
    else:
        cluster: Cluster = request.getfixturevalue("postgres")
        cluster.execute("CREATE DATABASE concurrent_drift")
        url = cluster.uri("concurrent_drift")
    ledger = tmp_path / "ledger"
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump({"drift": {"scope": "prod"}, "state": {"url": url},
                        "evidence": {"store": str(ledger)}})
    )  # fmt: skip
    # The ledger's append lock, held by the test: every run stops between recording its
    # scan and completing it, the window in which the others used to see no history.
    ledger.mkdir(mode=0o700)
    hold = os.open(ledger / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(hold, fcntl.LOCK_EX)
    estate = EXAMPLES / "aws-production.json"
    command = [sys.executable, "-m", "compliance_opa", "drift", str(estate),
               "--config", str(config), "--format", "json"]  # fmt: skip
    env = {**os.environ, "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": str(tmp_path / "xdg")}
    # Reports go to files, not pipes: a run blocked on a full pipe nobody reads would
    # hold its scope for good.
    streams = [(tmp_path / f"out{n}", tmp_path / f"err{n}") for n in range(3)]
    runs = []
    for out, err in streams:
        with out.open("wb") as stdout, err.open("wb") as stderr:
            runs.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=stdout, stderr=stderr))
    try:
        deadline = time.monotonic() + 90
        while _scan_count(url) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(4)  # time enough for the others to evaluate and try to record
    finally:
        os.close(hold)
    for run in runs:
        run.wait(timeout=180)
    results = [
        CliResult(run.returncode, out.read_text(), err.read_text())
        for run, (out, err) in zip(runs, streams, strict=True)
    ]
    for result in results:
        assert result.code in (0, 1), result.stderr
    reports = [r.json() for r in results]
    ids = {report["scan"]["id"] for report in reports}
    previous = [report["drift"]["previous_scan"] for report in reports]
    # One run was first; each other compared with another run's scan and found nothing new.
    assert previous.count(None) == 1, previous
    assert {p for p in previous if p is not None} <= ids
    assert len({p for p in previous if p is not None}) == 2  # a chain: first <- second <- third
    assert sorted(len(report["drift"]["new"]) for report in reports)[:2] == [0, 0]
    assert sorted(r.code for r in results) == [0, 0, 1]  # only the first gates on new failures
    assert _scan_count(url) == 3


def test_a_run_killed_between_recording_and_completing_holds_its_scope_no_longer(
    tmp_path: Path,
) -> None:
    url = str(tmp_path / "state.db")
    ledger = tmp_path / "ledger"
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump({"drift": {"scope": "prod"}, "state": {"url": url, "lock_timeout": 10},
                        "evidence": {"store": str(ledger)}})
    )  # fmt: skip
    ledger.mkdir(mode=0o700)
    hold = os.open(ledger / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(hold, fcntl.LOCK_EX)  # the run records, then waits here: kill it there
    estate = EXAMPLES / "aws-production.json"
    try:
        run = subprocess.Popen(
            [sys.executable, "-m", "compliance_opa", "drift", str(estate), "--config",
             str(config), "--format", "json"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "OPA_BINARY": str(opa_binary()),
                 "XDG_STATE_HOME": str(tmp_path / "xdg")},
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while _scan_count(url) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        run.kill()
        run.wait(timeout=30)
    finally:
        os.close(hold)
    # A lock left behind would make this run wait out state.lock_timeout and exit 3.
    after = cli(tmp_path, "drift", estate, "--config", config, "--format", "json")
    assert after.code == 1, after.stderr
    assert after.json()["drift"]["previous_scan"] is None  # the killed scan is incomplete


# --- item 19: the ledger is checked against the scan history --------------------------------


def _recorded_estate(tmp_path: Path, runs: int = 2) -> tuple[Path, Path, Path, list[str]]:
    """A config whose drift runs record in a state store and a ledger; the scan ids."""
    state, ledger = tmp_path / "state.db", tmp_path / "ledger"
    config = tmp_path / "opa-comply.yaml"
    config.write_text(
        yaml.safe_dump({"drift": {"scope": "prod"}, "state": {"url": str(state)},
                        "evidence": {"store": str(ledger)}})
    )  # fmt: skip
    ids = []
    for _ in range(runs):
        result = cli(tmp_path, "drift", EXAMPLES / "aws-production.json", "--config", config,
                     "--format", "json", "--fail-on", "none")  # fmt: skip
        assert result.code == 0, result.stderr
        ids.append(result.json()["scan"]["id"])
    return config, state, ledger, ids


def _delete_newest(ledger: Path, scan_id: str) -> None:
    newest = max((ledger / "records").iterdir())
    assert scan_id in newest.read_text()
    newest.unlink()
    for artifact in (ledger / "artifacts" / scan_id).iterdir():
        artifact.unlink()
    (ledger / "artifacts" / scan_id).rmdir()


def test_deleting_the_newest_record_is_caught_against_the_state_store(tmp_path: Path) -> None:
    config, state, ledger, ids = _recorded_estate(tmp_path)
    intact = cli(tmp_path, "evidence", "verify", "--config", config)
    assert intact.code == 0, intact.stdout + intact.stderr
    assert "2 complete scans of the state store have their records" in intact.stdout
    _delete_newest(ledger, ids[-1])
    for args in (("--config", config), ("--ledger", ledger, "--state", state)):
        result = cli(tmp_path, "evidence", "verify", *args)
        assert result.code == 1, result.stdout + result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].startswith(f"scan {ids[-1]} (scope 'prod', finished ")
        assert lines[0].endswith(
            "is complete in the state store but has no record in the ledger (removed)"
        )
        assert lines[-1] == "ledger TAMPERED: 1 problem"


def test_without_a_state_store_verify_says_what_it_cannot_see(tmp_path: Path) -> None:
    _, _, ledger, ids = _recorded_estate(tmp_path)
    _delete_newest(ledger, ids[-1])
    result = cli(tmp_path, "evidence", "verify", "--ledger", ledger)
    # The ledger alone still verifies (a hash chain cannot tell), and says so plainly.
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ledger OK: 1 record, chain intact")
    assert result.stdout.splitlines()[-1] == (
        "note: not checked against a state store: a ledger alone cannot show that its newest"
        " records were deleted (give --state, or a config with state.url)"
    )


def test_verify_never_creates_the_state_store_it_is_given(tmp_path: Path) -> None:
    _, _, ledger, _ = _recorded_estate(tmp_path, runs=1)
    missing = tmp_path / "no-such" / "state.db"
    result = cli(tmp_path, "evidence", "verify", "--ledger", ledger, "--state", missing)
    line = one_line(result, 2)
    assert f"--state: no state store at {missing}" in line
    assert not missing.parent.exists()
    url = f"mysql://root:{PASSWORD}@db/state"
    result = cli(tmp_path, "evidence", "verify", "--ledger", ledger, "--state", url)
    assert PASSWORD not in one_line(result, 2)


def test_the_default_ledger_is_checked_against_the_default_store(tmp_path: Path) -> None:
    ids = []
    for _ in range(2):  # no config: history and evidence in their default places
        result = cli(tmp_path, "drift", EXAMPLES / "aws-production.json", "--scope", "prod",
                     "--format", "json", "--fail-on", "none")  # fmt: skip
        assert result.code == 0, result.stderr
        ids.append(result.json()["scan"]["id"])
    _delete_newest(tmp_path / "xdg" / "opa-comply" / "evidence", ids[-1])
    result = cli(tmp_path, "evidence", "verify")
    assert result.code == 1, result.stdout + result.stderr
    assert result.stdout.startswith(f"scan {ids[-1]} (scope 'prod', finished ")
    skipped = cli(tmp_path, "evidence", "verify", "--no-state")
    assert skipped.code == 0, skipped.stdout + skipped.stderr
    assert skipped.stdout.splitlines()[-1].startswith("note: not checked against a state store")


# --- item 21: an S3 endpoint that accepts and never answers ---------------------------------


@contextmanager
def silent_server() -> Iterator[str]:
    """A loopback TCP server that accepts every connection and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()


def _aws_env() -> dict[str, str | None]:
    return {**BASE_ENV, "AWS_MAX_ATTEMPTS": None, "AWS_RETRY_MODE": None}


@pytest.mark.parametrize(("args", "within"), [(("--timeout", "1"), 10.0), ((), 45.0)])
def test_verify_against_a_silent_s3_endpoint_gives_up_in_bounded_time(
    tmp_path: Path, args: tuple[str, ...], within: float
) -> None:
    with silent_server() as endpoint:
        started = time.monotonic()
        result = cli(
            tmp_path, "evidence", "verify", "--ledger", "s3://evidence-bucket/ledger",
            "--endpoint-url", endpoint, *args, env=_aws_env(), timeout=within + 200,
        )  # fmt: skip
        took = time.monotonic() - started
    line = one_line(result, 3)
    assert "s3://evidence-bucket" in line
    assert "timeout" in line.lower() or "timed out" in line.lower()
    assert took < within, took


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_scope_is_held_until_complete_or_released(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = str(tmp_path / "state.db")
        busy = "scope 'prod' is still being recorded by another run after 0.3 s"
    else:
        cluster: Cluster = request.getfixturevalue("postgres")
        cluster.execute("CREATE DATABASE held_scope")
        url = cluster.uri("held_scope")
        busy = "scope 'prod' is still being recorded by another run after 0.3 s"
    with open_store(url, lock_timeout=0.3) as first, open_store(url, lock_timeout=0.3) as second:
        first.hold_scope("prod")
        with pytest.raises(EngineError, match=busy):
            second.hold_scope("prod")
        release(first)  # what a run whose outputs failed does before delivering its alerts
        second.hold_scope("prod")
        with pytest.raises(EngineError):
            first.hold_scope("prod")
        complete(second, "no-such-scan")  # completing releases too
        first.hold_scope("prod")
    # Closing the store releases it: a third store takes it at once.
    with open_store(url, lock_timeout=0.3) as third:
        third.hold_scope("prod")


def test_no_state_wins_over_a_store_named_by_the_environment(tmp_path: Path) -> None:
    state, _, ledger, ids = _recorded_estate(tmp_path)
    _delete_newest(ledger, ids[-1])
    result = cli(
        tmp_path, "evidence", "verify", "--ledger", ledger, "--no-state",
        env={"OPA_COMPLY_STATE": str(state)},
    )  # fmt: skip
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("note: not checked against a state store")


def test_runs_of_other_scopes_in_one_sqlite_file_do_not_wait(tmp_path: Path) -> None:
    from compliance_opa.errors import EngineError
    from compliance_opa.state.store import open_store

    path = tmp_path / "state.db"
    open_store(str(path)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from compliance_opa.state.store import open_store\n"
         f"store = open_store({str(path)!r})\n"
         "store.hold_scope('production')\n"
         "print('held', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with open_store(str(path), 0.5) as other:
            other.hold_scope("staging")  # another scope: at once
            with pytest.raises(EngineError, match="'production' is still being recorded"):
                other.hold_scope("production")
    finally:
        holder.communicate("", timeout=30)
