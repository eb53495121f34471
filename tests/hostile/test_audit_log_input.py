"""Hostile input to `opa-comply evidence audit-logs`: PostgreSQL logs that are not what
PostgreSQL writes (a line of gigabytes, NUL bytes, duplicate or mistyped jsonlog fields,
links that dangle or loop), a key file that never ends, CloudTrail objects altered after
their digest, and S3 endpoints that refuse, hang or answer garbage. Each is one line on
stderr with its exit code (2 bad input, 3 environment), no traceback and no --output file;
nothing unexpected is counted as a quiet period."""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import cloudtrail_support as ct
from tests.aws_support import MotoServer, aws_env, serve_moto
from tests.conftest import assert_one_line_error, run_cli
from tests.unit.collectors.auditlog.test_postgres_logs import audit, csv_row, write_csv

WHEN = "2026-11-05 10:00:00.123 UTC"
PERIOD = ("--from", "2026-11-01", "--to", "2026-11-30")


def _audit_logs(output: Path, *args: str | Path, env: dict[str, str] | None = None) -> Any:
    return run_cli("evidence", "audit-logs", "--output", output, *args, env=env, timeout=180)


def _refused(tmp_path: Path, log: Path, *fragments: str, extra: tuple[str, ...] = ()) -> None:
    output = tmp_path / "summary.json"
    output.write_text("previous\n")  # a failed run leaves an earlier summary untouched
    result = _audit_logs(output, *PERIOD, "--postgres-log", log, *extra)
    assert_one_line_error(result, 2, *fragments)
    assert output.read_text() == "previous\n"


# --- PostgreSQL logs ---------------------------------------------------------------------


def test_a_line_of_hundreds_of_megabytes_is_refused_not_held(tmp_path: Path) -> None:
    """Was: the jsonlog reader iterated lines, holding a 300 MB line whole (700 MB of
    memory; a gigabyte line, or a gzip bomb of one, exhausted it) and then dropped it as an
    ordinary record. Now lines are read at most 64 Mi characters at a time."""
    log = tmp_path / "one-line.json.gz"
    with gzip.open(log, "wb", compresslevel=1) as handle:
        handle.write(b'{"timestamp": "')
        block = b"a" * (1 << 20)
        for _ in range(100):
            handle.write(block)
        handle.write(b'"}\n')
    _refused(tmp_path, log, f"{log}:1", "line longer than 64 Mi characters")


def test_continuation_lines_without_end_are_bounded(tmp_path: Path) -> None:
    """Was: a stderr record's continuation lines were all kept until the next record."""
    log = tmp_path / "postgresql.log"
    with log.open("w") as handle:
        handle.write(f"{WHEN} [42] LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,x,<none>\n")
        line = "\t" + "x" * (1 << 20) + "\n"
        for _ in range(70):
            handle.write(line)
    _refused(tmp_path, log, f"{log}:1", "record longer than 64 Mi characters", extra=(
        "--log-line-prefix", "%m [%p] ",
    ))  # fmt: skip


@pytest.mark.parametrize("name", ["nul.csv", "nul.json"])
def test_nul_bytes_are_refused(tmp_path: Path, name: str) -> None:
    """Was: a csvlog user name with a NUL byte was counted as a user (PostgreSQL writes no
    NUL: the file is not a log, or a corrupt one)."""
    log = tmp_path / name
    if name.endswith(".csv"):
        write_csv(log, [csv_row(WHEN, "app\x00x", "orders", audit(1, "READ", "SELECT"))])
    else:
        log.write_bytes(b'{"timestamp": "2026-11-05 10:00:00 UTC", "user": "a"}\x00\n')
    _refused(tmp_path, log, f"{log}:1", "NUL byte")


def test_a_jsonlog_record_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    """Was: the last "timestamp" won, moving a pgaudit line out of the period unseen."""
    log = tmp_path / "postgresql.json"
    record = json.dumps({"timestamp": WHEN, "message": audit(1, "ROLE", "GRANT")})
    log.write_text(record[:-1] + ', "timestamp": "2030-01-01 00:00:00 UTC"}\n')
    _refused(tmp_path, log, f"{log}:1", "key twice")


@pytest.mark.parametrize(
    ("field", "value"),
    [("message", [audit(1, "ROLE", "GRANT")]), ("user", {"name": "app"}), ("pid", True)],
)
def test_a_jsonlog_field_of_the_wrong_type_is_refused(
    tmp_path: Path, field: str, value: Any
) -> None:
    """Was: str() of a list message did not start with "AUDIT: ", so the record was dropped
    as an ordinary message (a quiet period); a dict user was counted as its repr."""
    log = tmp_path / "postgresql.json"
    log.write_text(json.dumps({"timestamp": WHEN, field: value}) + "\n")
    _refused(tmp_path, log, f"{log}:1", f"jsonlog field '{field}'")


@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_log_link_that_cannot_be_followed_is_refused(tmp_path: Path, kind: str) -> None:
    """Was: Path.rglob and is_file() skipped it without a word (exit 0, its records
    missing from the summary)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    write_csv(folder / "a.csv", [csv_row(WHEN, "app", "orders", audit(1, "READ", "SELECT"))])
    link = folder / "b.csv"
    link.symlink_to(folder / "gone.csv" if kind == "dangling" else link)
    _refused(tmp_path, folder, str(link), "cannot read")


def test_a_folder_linked_into_itself_is_walked_once(tmp_path: Path) -> None:
    """A symlink loop of folders is not followed (no endless walk), its files are read."""
    folder = tmp_path / "logs"
    folder.mkdir()
    write_csv(folder / "a.csv", [csv_row(WHEN, "app", "orders", audit(1, "READ", "SELECT"))])
    (folder / "again").symlink_to(folder)
    output = tmp_path / "summary.json"
    result = _audit_logs(output, *PERIOD, "--postgres-log", folder)
    assert result.code == 0, result.stderr
    [summary] = json.loads(output.read_text())["resources"]
    assert [s["path"] for s in summary["attributes"]["sources"]] == [str(folder / "a.csv")]
    assert summary["attributes"]["total_operations"] == 1


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """Named directly or found in a folder, a FIFO is not a log file (opening it would
    wait for a writer)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    os.mkfifo(folder / "pipe.csv")
    _refused(tmp_path, folder / "pipe.csv", "pipe.csv: not a regular file")
    _refused(tmp_path, folder, "pipe.csv: not a regular file")


def test_a_truncated_gzip_names_the_file_not_line_0(tmp_path: Path) -> None:
    """Was: "file.csv.gz:0: cannot read" (the error comes from the read-ahead)."""
    log = tmp_path / "cut.csv.gz"
    write_csv(tmp_path / "all.csv", [csv_row(WHEN, "app", "d", audit(1, "READ", "SELECT"))] * 50)
    log.write_bytes(gzip.compress((tmp_path / "all.csv").read_bytes())[:-12])
    output = tmp_path / "summary.json"
    result = _audit_logs(output, *PERIOD, "--postgres-log", log)
    assert_one_line_error(result, 2, f"{log}: cannot read", "end-of-stream")
    assert f"{log}:0" not in result.stderr
    assert not output.exists()


def test_invalid_utf8_is_read_with_replacement_not_a_crash(tmp_path: Path) -> None:
    """PostgreSQL writes each database's messages in its encoding: a LATIN1 user name is
    counted (as U+FFFD), not refused; the output is still valid UTF-8 JSON."""
    log = tmp_path / "latin1.csv"
    write_csv(log, [csv_row(WHEN, "jos\x00", "orders", audit(1, "READ", "SELECT"))])
    log.write_bytes(log.read_bytes().replace(b"jos\x00", b"jos\xe9"))
    output = tmp_path / "summary.json"
    result = _audit_logs(output, *PERIOD, "--postgres-log", log)
    assert result.code == 0, result.stderr
    [summary] = json.loads(output.read_text(encoding="utf-8"))["resources"]
    assert summary["attributes"]["by_user"] == {"jos\ufffd": 1}


def test_a_key_file_that_never_ends_is_refused(tmp_path: Path) -> None:
    """Was: /dev/zero as a public key was read until memory ran out (an internal error)."""
    log = tmp_path / "a.csv"
    write_csv(log, [csv_row(WHEN, "app", "orders", audit(1, "READ", "SELECT"))])
    output = tmp_path / "summary.json"
    result = _audit_logs(
        output, *PERIOD, "--postgres-log", log, "--cloudtrail", "s3://trail-bucket/org",
        "--cloudtrail-public-key", "00112233445566778899aabbccddeeff=/dev/zero",
        "--endpoint-url", "http://127.0.0.1:9", env=aws_env(),
    )  # fmt: skip
    assert_one_line_error(result, 2, "/dev/zero is over 64 KiB")
    assert not output.exists()


# --- CloudTrail in S3 ----------------------------------------------------------------------

BUCKET = "hostile-trail-logs"
CT_PERIOD = ("--from", "2026-03-02T10:00:00Z", "--to", "2026-03-02T14:00:00Z")


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def s3(moto: MotoServer) -> Any:
    return ct.s3_with_bucket(moto.url, BUCKET)


def _trail_summary(tmp_path: Path, moto: MotoServer, prefix: str) -> dict[str, Any]:
    output = tmp_path / "summary.json"
    result = _audit_logs(
        output, *CT_PERIOD, "--cloudtrail", f"s3://{BUCKET}/{prefix}",
        "--endpoint-url", moto.url, "--region", "eu-west-1", env=aws_env(),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    [summary] = json.loads(output.read_text())["resources"]
    attributes: dict[str, Any] = summary["attributes"]
    assert ct.SECRET not in output.read_text()  # request parameters never copied
    return attributes


def test_a_gzip_member_appended_to_a_log_file_is_an_alteration(
    tmp_path: Path, moto: MotoServer, s3: Any
) -> None:
    """Was: bytes after the first gzip member were ignored, so a log file with a member
    appended still matched its digest (altered, yet intact). Now it is not readable gzip:
    a hash mismatch and an unreadable file."""
    trail = ct.build_trail(BUCKET, "appended", ct.new_key())
    key = ct.all_log_keys(trail)[3]
    body, metadata = trail.objects[key]
    extra, _ = ct.gz({"Records": [ct.event("StopLogging", ct.hour(11), source="x")]})
    trail.objects[key] = (body + extra, metadata)
    trail.upload(s3)
    attributes = _trail_summary(tmp_path, moto, "appended")
    assert [m["object"] for m in attributes["hash_mismatches"]] == [key]
    assert [u["object"] for u in attributes["unreadable_files"]] == [key]


def test_records_without_an_event_time_are_reported_not_hidden(
    tmp_path: Path, moto: MotoServer, s3: Any
) -> None:
    """Was: a record that is not an object, or has no readable eventTime, was counted as
    outside the period, the file judged intact. CloudTrail writes neither."""
    trail = ct.build_trail(BUCKET, "untimed", ct.new_key())
    key = ct.all_log_keys(trail)[3]
    records: list[Any] = ct.log_records(trail, key)
    records[0]["eventTime"] = {"at": "2026-03-02T11:00:00Z"}
    records.append("StopLogging")
    ct.replace_object(trail, key, {"Records": records})
    trail.upload(s3)
    attributes = _trail_summary(tmp_path, moto, "untimed")
    assert {"object": key, "detail": "2 records without a readable eventTime"} in attributes[
        "unreadable_files"
    ]


@pytest.mark.parametrize(
    "location", ["s3://hostile-trail-logs/../../etc", "s3://hostile-trail-logs/a/%2e%2e/AWSLogs"]
)
def test_location_path_tricks_find_nothing(
    moto: MotoServer, s3: Any, tmp_path: Path, location: str
) -> None:
    """S3 keys are names, not paths: a prefix with .. lists only keys that start with it."""
    output = tmp_path / "summary.json"
    result = _audit_logs(
        output, *CT_PERIOD, "--cloudtrail", location, "--endpoint-url", moto.url,
        "--region", "eu-west-1", env=aws_env(),
    )  # fmt: skip
    assert_one_line_error(result, 2, "no CloudTrail files")
    assert not output.exists()


class _Endpoint:
    """A loopback S3 endpoint that misbehaves: accepts and never answers, answers 500, or
    answers 200 with garbage. Serves at most `limit` connections."""

    def __init__(self, mode: str, limit: int = 8) -> None:
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        self.held: list[socket.socket] = []
        self.limit = limit
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set() and len(self.held) < self.limit:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.held.append(conn)
            if self.mode == "hang":
                continue
            conn.settimeout(2)
            try:
                conn.recv(65536)
                if self.mode == "500":
                    body = b"<Error><Code>InternalError</Code><Message>\x1b[2J</Message></Error>"
                    head = b"HTTP/1.1 500 Internal Server Error\r\n"
                else:
                    body = b"\x1b]0;owned\x07<ListBucketResult><Contents><Key>"
                    head = b"HTTP/1.1 200 OK\r\n"
                conn.sendall(
                    head + b"Content-Type: application/xml\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
                )  # fmt: skip
            except OSError:
                pass

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.mark.parametrize(
    ("mode", "fragment"),
    [("refused", "EndpointConnectionError"), ("hang", "ReadTimeoutError"), ("500", ": 500"),
     ("garbage", "AWSLogs/: ")],
)  # fmt: skip
def test_an_endpoint_that_misbehaves_is_an_environment_failure(
    tmp_path: Path, mode: str, fragment: str
) -> None:
    """Was: exit 2 (bad input) for every S3 failure, and a silent endpoint held the run
    for 60 s per read, five times per call. Now: exit 3, each answer waited for 20 s."""
    endpoint = None if mode == "refused" else _Endpoint(mode)
    url = endpoint.url if endpoint else f"http://127.0.0.1:{_closed_port()}"
    output = tmp_path / "summary.json"
    try:
        result = _audit_logs(
            output, *CT_PERIOD, "--cloudtrail", "s3://trail-bucket/org", "--endpoint-url", url,
            "--region", "eu-west-1", env=aws_env(AWS_MAX_ATTEMPTS="1"),
        )  # fmt: skip
    finally:
        if endpoint is not None:
            endpoint.close()
    assert_one_line_error(result, 3, "cannot list s3://trail-bucket/org/AWSLogs/", fragment)
    assert "\x1b" not in result.stderr
    assert not output.exists()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_bucket_that_does_not_exist_stays_bad_input(tmp_path: Path, moto: MotoServer) -> None:
    output = tmp_path / "summary.json"
    result = _audit_logs(
        output, *CT_PERIOD, "--cloudtrail", "s3://no-such-trail-bucket/org",
        "--endpoint-url", moto.url, "--region", "eu-west-1", env=aws_env(),
    )  # fmt: skip
    assert_one_line_error(result, 2, "NoSuchBucket")
    assert not output.exists()


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ("audit_logs: [1]\n", "audit_logs"),
        ("audit_logs:\n  postgres: {logs: /var/log}\n", "audit_logs.postgres.logs"),
        ("audit_logs:\n  cloudtrail: {public_keys: {abcdabcdabcdabcd: 1}}\n", "public_keys"),
        ("audit_logs:\n  cloudtrail: {sensitive_events: {a: StopLogging}}\n", "sensitive_events"),
    ],
)
def test_config_sections_of_the_wrong_shape(tmp_path: Path, section: str, fragment: str) -> None:
    config = tmp_path / "opa-comply.yaml"
    config.write_text(section)
    output = tmp_path / "summary.json"
    result = _audit_logs(output, "--config", config)
    assert_one_line_error(result, 2, str(config), fragment)
    assert not output.exists()
