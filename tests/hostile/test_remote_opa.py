"""A remote OPA (--opa-url) that misbehaves, played by a threaded HTTP server on loopback:
it answers a byte at a time, never stops answering, never answers, redirects elsewhere,
or answers with the wrong shape. Every case ends promptly, in one line, with its exit code."""

from __future__ import annotations

import json
import math
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme

from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.connect import EngineSettings
from compliance_opa.engine.request_builder import evaluate_with_digest
from compliance_opa.errors import EngineError, InputError
from compliance_opa.inventory.load import load_inventories
from tests.conftest import (
    COMPLIANT,
    REPO,
    TEST_STATE_HOME,
    VIOLATING,
    CliResult,
    assert_one_line_error,
    run_cli,
    unprivileged,
)

# The longest any handler here keeps a connection: every loop is bounded by it.
HOLD = 60.0
POLICIES_ANSWER = {"result": [{"id": "scan.rego", "raw": "package scan"}]}
EMPTY_REPORT: dict[str, Any] = {"result": {"checks": [], "errors": [], "frameworks": {}}}

Reply = Callable[["Handler", threading.Event], None]


def answer(document: Any) -> Reply:
    def reply(handler: Handler, stop: threading.Event) -> None:
        body = json.dumps(document).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return reply


def drip(document: Any, every: float, in_headers: bool = False) -> Reply:
    """A valid answer, one byte every `every` seconds: each read is quick, the whole is not."""

    def reply(handler: Handler, stop: threading.Event) -> None:
        body = b" " * 40 + json.dumps(document).encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        slow, fast = (head + body, b"") if in_headers else (body, head)
        handler.wfile.write(fast)
        handler.wfile.flush()
        deadline = time.monotonic() + HOLD
        for byte in slow:
            if stop.wait(every) or time.monotonic() > deadline:
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    return reply


def endless(total: int, declared: int | None = None) -> Reply:
    """200 and up to `total` bytes of JSON-ish text, as long as the client reads."""

    def reply(handler: Handler, stop: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declared is not None:
            handler.send_header("Content-Length", str(declared))
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b'{"result":' + b" " * (1024 * 1024 - 10)
        sent = 0
        while sent < total and not stop.is_set():
            handler.wfile.write(block)
            sent += len(block)

    return reply


def stall(handler: Handler, stop: threading.Event) -> None:
    """Never answer (until the server stops)."""
    stop.wait(HOLD)


def redirect(status: int, location: str) -> Reply:
    def reply(handler: Handler, stop: threading.Event) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


class Handler(BaseHTTPRequestHandler):
    server: FakeServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        fake = self.server.fake
        fake.record(self.command, self.path.split("?")[0])
        reply = fake.replies.get(self.path.split("?")[0], fake.default)
        with suppress(OSError):  # the client may have given up
            reply(self, fake.stop)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True  # stop() wakes every handler; none outlives HOLD
    fake: FakeOpa


class FakeOpa:
    """An HTTP server on 127.0.0.1 playing OPA: the policy list answered like a real OPA,
    each path answered by its reply (the scan query by `report`)."""

    def __init__(self, report: Reply, **replies: Reply) -> None:
        self.replies = {"/v1/policies": answer(POLICIES_ANSWER), "/v1/data/scan/report": report}
        self.replies.update({f"/{k.replace('__', '/')}": v for k, v in replies.items()})
        self.default: Reply = answer({"code": "not_found"})
        self.stop = threading.Event()
        self.requests: list[tuple[str, str]] = []
        self.changed = threading.Condition()
        self._server = FakeServer(("127.0.0.1", 0), Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def record(self, method: str, path: str) -> None:
        with self.changed:
            self.requests.append((method, path))
            self.changed.notify_all()

    def wait_for(self, path: str, timeout: float = 30.0) -> None:
        with self.changed:
            seen = self.changed.wait_for(
                lambda: any(p == path for _, p in self.requests), timeout=timeout
            )
        assert seen, f"no request to {path} within {timeout:g}s"

    def __enter__(self) -> FakeOpa:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def timed_scan(*args: str | Path, timeout: float = 60) -> tuple[Any, float]:
    started = time.monotonic()
    result = run_cli("scan", *args, timeout=timeout)
    return result, time.monotonic() - started


# --- 8. --opa-timeout bounds the whole exchange ------------------------------------------


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_an_answer_dripped_a_byte_at_a_time_is_cut_at_the_timeout(in_headers: bool) -> None:
    with FakeOpa(drip(EMPTY_REPORT, every=0.1, in_headers=in_headers)) as opa:
        result, took = timed_scan(COMPLIANT, "--opa-url", opa.url, "--opa-timeout", "1")
    assert_one_line_error(result, 3, "no answer within 1s", "--opa-timeout")
    assert took < 8, f"the scan took {took:.1f}s"


def test_a_dripped_policy_list_is_cut_at_the_timeout_too() -> None:
    report = answer(EMPTY_REPORT)
    with FakeOpa(report, v1__policies=drip(POLICIES_ANSWER, every=0.1)) as opa:
        result, took = timed_scan(COMPLIANT, "--opa-url", opa.url, "--opa-timeout", "1")
    assert_one_line_error(result, 3, "no answer within 1s", "--opa-timeout")
    assert took < 8, f"the scan took {took:.1f}s"


# --- 9. The answer is capped ---------------------------------------------------------------


def test_an_endless_answer_stops_at_the_cap() -> None:
    cap = 4 * 1024 * 1024
    with FakeOpa(endless(total=256 * 1024 * 1024)) as opa:
        client = OpaClient(opa.url, timeout=30, max_response_bytes=cap)
        try:
            with pytest.raises(EngineError, match=r"over the 4,194,304-byte limit") as caught:
                client.evaluate_body(b'{"input":{}}')
        finally:
            client.close()
    assert "Traceback" not in str(caught.value)


def test_an_answer_declared_over_the_cap_is_refused_before_it_is_read() -> None:
    with FakeOpa(endless(total=8 * 1024 * 1024, declared=4 * 1024**3)) as opa:
        result, _ = timed_scan(COMPLIANT, "--opa-url", opa.url)
    assert_one_line_error(result, 3, "4,294,967,296 bytes", "1,073,741,824-byte limit")


def test_a_large_error_body_is_not_read_whole() -> None:
    def huge_error(handler: Handler, stop: threading.Event) -> None:
        handler.send_response(500)
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b"x" * (1024 * 1024)
        for _ in range(64):
            if stop.is_set():
                return
            handler.wfile.write(block)

    with FakeOpa(huge_error) as opa:
        client = OpaClient(opa.url, timeout=30, max_response_bytes=4 * 1024 * 1024)
        try:
            with pytest.raises(EngineError, match=r"HTTP 500 on POST /v1/data/scan/report$"):
                client.evaluate_body(b'{"input":{}}')
        finally:
            client.close()


def test_the_response_cap_must_be_positive() -> None:
    with pytest.raises(InputError, match="max_response_bytes"):
        EngineSettings(opa_url="http://127.0.0.1:9", max_response_bytes=0).check()


# --- 10. SIGTERM during a remote request exits 130 at once ---------------------------------


def _scan_process(*args: str | Path) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_STATE_HOME": TEST_STATE_HOME}
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE", "OPA_COMPLY_STATE"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "compliance_opa", "scan", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


@pytest.mark.parametrize("chunked", [False, True], ids=["one-request", "chunked"])
def test_sigterm_during_a_slow_remote_request_exits_130_promptly(chunked: bool) -> None:
    extra = ("--opa-max-request-bytes", "2048") if chunked else ()
    with FakeOpa(stall, v1__policies=stall) as opa:
        process = _scan_process(*VIOLATING, "--opa-url", opa.url, "--format", "json", *extra)
        try:
            opa.wait_for("/v1/data/scan/report")
            time.sleep(0.3)  # the request is in flight
            process.send_signal(signal.SIGTERM)
            sent = time.monotonic()
            _, stderr = process.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "opa-comply: interrupted" in stderr
    assert took < 5, f"exit took {took:.1f}s after SIGTERM"


# --- 11. Redirects are never followed ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "path"),
    [(307, "/v1/data/scan/report"), (308, "/v1/data/scan/report"), (301, "/v1/policies")],
)
def test_a_redirect_is_an_error_and_the_other_server_receives_nothing(
    status: int, path: str
) -> None:
    with FakeOpa(answer(EMPTY_REPORT)) as other:
        moved = redirect(status, f"{other.url}{path}")
        replies = {path.strip("/").replace("/", "__"): moved}
        with FakeOpa(answer(EMPTY_REPORT), **replies) as opa:
            result, _ = timed_scan(*VIOLATING, "--opa-url", opa.url)
        assert other.requests == []
    assert_one_line_error(result, 3, f"HTTP {status}", "redirect", "not followed")


# --- 14. --opa-timeout must be finite and sane ---------------------------------------------


@pytest.mark.parametrize("value", ["inf", "1e12", "86401"])
def test_an_infinite_or_huge_timeout_is_bad_usage(value: str) -> None:
    result = run_cli("scan", COMPLIANT, "--opa-url", "http://127.0.0.1:9", "--opa-timeout", value)
    assert_one_line_error(result, 2, "--opa-timeout", "86400")


@pytest.mark.parametrize("value", [math.inf, math.nan, 0.0, -1.0, 1e12])
def test_engine_settings_refuse_a_timeout_out_of_range(value: float) -> None:
    with pytest.raises(InputError, match="--opa-timeout"):
        EngineSettings(timeout=value).check()


# --- 15. A missing policy directory and a bad CA bundle are bad input (exit 2) -------------


@pytest.mark.parametrize("command", [("scan", COMPLIANT), ("policies", "list")])
def test_a_missing_policy_directory_exits_2(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--policies", tmp_path / "missing")
    assert_one_line_error(result, 2, "--policies", "not a directory")


def _ca_bundle(folder: Path, kind: str) -> Path:
    path = folder / f"{kind}.pem"
    ca = trustme.CA()
    if kind == "garbage":
        path.write_text("this is not a certificate\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "der":
        path.write_bytes(ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode()))
    elif kind == "key-only":
        path.write_bytes(ca.issue_cert("127.0.0.1").private_key_pem.bytes())
    elif kind == "huge":
        with path.open("wb") as out:
            out.truncate(64 * 1024 * 1024)
    return path


@pytest.mark.parametrize("kind", ["garbage", "empty", "der", "key-only", "huge"])
def test_a_ca_bundle_without_a_certificate_exits_2(tmp_path: Path, kind: str) -> None:
    bundle = _ca_bundle(tmp_path, kind)
    result = run_cli(
        "scan", COMPLIANT, "--opa-url", "https://127.0.0.1:9", "--opa-ca-bundle", bundle
    )
    assert_one_line_error(result, 2, "--opa-ca-bundle", str(bundle))


def test_an_unreadable_ca_bundle_exits_2() -> None:
    # Run as an unprivileged user: root reads any file whatever its mode.
    folder = Path("/tmp") / f"opa-comply-ca-{os.getpid()}"
    folder.mkdir(mode=0o755, exist_ok=True)
    bundle = folder / "ca.pem"
    bundle.write_bytes(trustme.CA().cert_pem.bytes())
    bundle.chmod(0)
    try:
        done = subprocess.run(
            unprivileged([sys.executable, "-m", "compliance_opa", "scan", str(COMPLIANT),
             "--opa-url", "https://127.0.0.1:9", "--opa-ca-bundle", str(bundle)]),
            capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
            env={**os.environ, "XDG_STATE_HOME": "/tmp", "HOME": "/tmp"},
        )  # fmt: skip
    finally:
        bundle.unlink()
        folder.rmdir()
    result = CliResult(done.returncode, done.stdout, done.stderr)
    assert_one_line_error(result, 2, "--opa-ca-bundle", "not readable")


def test_a_ca_bundle_that_is_a_directory_exits_2(tmp_path: Path) -> None:
    result = run_cli(
        "scan", COMPLIANT, "--opa-url", "https://127.0.0.1:9", "--opa-ca-bundle", tmp_path
    )
    assert_one_line_error(result, 2, str(tmp_path))


def test_a_real_ca_bundle_is_accepted(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(trustme.CA().cert_pem.bytes())
    EngineSettings(opa_url="https://127.0.0.1:9", ca_bundle=bundle).check()


# --- 22. A wrong-shaped answer is worded ---------------------------------------------------

WRONG_SHAPES: list[Any] = [
    {},
    {"checks": []},
    {"errors": []},
    [],
    "text",
    None,
    {"checks": [], "errors": 5},
    {"checks": [], "errors": "abc"},
    {"checks": 1, "errors": []},
    {"checks": [1], "errors": []},
    {"checks": [{"package": "x"}], "errors": []},
    {"checks": [{"package": "x", "evaluated": "ab", "findings": []}], "errors": []},
    {"checks": [{"package": "x", "evaluated": [1], "findings": []}], "errors": []},
    {"checks": [{"package": "x", "evaluated": [], "findings": {}}], "errors": []},
    {"checks": [], "errors": [], "frameworks": 3},
]
CHUNKED_SHAPES: list[Any] = [
    *WRONG_SHAPES,
    {"checks": [{"evaluated": [], "findings": []}], "errors": []},
    {"checks": [{"package": ["x"], "evaluated": [], "findings": []}], "errors": []},
]


def _assert_worded_shape_error(result: Any) -> None:
    assert_one_line_error(result, 3, "OPA report has an unexpected shape")
    line = result.stderr.strip()
    assert "internal error" not in line
    assert "Error(" not in line, line  # no Python exception shown
    assert "policy error" not in line


@pytest.mark.parametrize("shape", WRONG_SHAPES, ids=json.dumps)
def test_a_wrong_shaped_answer_is_worded(shape: Any) -> None:
    with FakeOpa(answer({"result": shape})) as opa:
        result, _ = timed_scan(*VIOLATING, "--opa-url", opa.url)
    _assert_worded_shape_error(result)


@pytest.mark.parametrize("shape", CHUNKED_SHAPES, ids=json.dumps)
def test_a_wrong_shaped_chunk_answer_is_worded(shape: Any) -> None:
    with FakeOpa(answer({"result": shape})) as opa:
        result, _ = timed_scan(*VIOLATING, "--opa-url", opa.url, "--opa-max-request-bytes", "2048")
    _assert_worded_shape_error(result)


# --- 10 (the service's part). The policy digest never holds an interrupted scan -----------


class _Interrupted(BaseException):
    """Stands in for the KeyboardInterrupt the CLI raises on SIGTERM."""


@pytest.mark.parametrize("slow", ["/v1/policies", "/v1/data/scan/report"])
def test_an_interrupt_while_either_request_is_awaited_ends_at_once(slow: str) -> None:
    replies = {slow.strip("/").replace("/", "__"): stall}
    (inventory,) = load_inventories([COMPLIANT])
    with FakeOpa(answer(EMPTY_REPORT), **replies) as opa:
        client = OpaClient(opa.url, timeout=30)

        def interrupt(signum: int, frame: object) -> None:
            raise _Interrupted

        previous = signal.signal(signal.SIGALRM, interrupt)
        try:
            signal.setitimer(signal.ITIMER_REAL, 1.0)
            started = time.monotonic()
            with pytest.raises(_Interrupted):
                evaluate_with_digest(client, [inventory])
            took = time.monotonic() - started
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            client.close()
    assert took < 3, f"the interrupt took {took:.1f}s to end the evaluation"


def test_the_parser_words_a_missing_field_not_a_python_repr() -> None:
    from compliance_opa.domain.answer import parse_report
    from compliance_opa.errors import EngineError

    with pytest.raises(EngineError) as raised:
        parse_report({"errors": [], "checks": [{"evaluated": [], "findings": []}]})
    assert str(raised.value) == 'OPA report has an unexpected shape (no "metadata" field)'
