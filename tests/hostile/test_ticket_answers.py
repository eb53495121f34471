"""Hostile tracker answers to the `jira` and `github` ticket channels, over loopback.

A scripted server answers each request as a test says: JSON of the wrong shape, keys
of the wrong shape, paging that never ends, redirects and Link headers to another host,
error pages with escape sequences that echo the credentials, huge, endless and dripping
bodies, a silent server. Each ends as one classified, one-line, printable DeliveryFailed
(or a correct result), with no secret in it, no ticket created twice, and no key of the
wrong shape recorded in the state store.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pytest

from compliance_opa.alerts.channels import bind_store, parse_channel, resolve_secrets
from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.github import GitHubChannel
from compliance_opa.alerts.jira import JiraChannel
from compliance_opa.domain.identity import dedup_key
from compliance_opa.state import tickets as ticket_store
from compliance_opa.state.store import StateStore, open_store
from tests.conftest import run_cli
from tests.integration.test_drift_alerts import PATIENTS, make_estate

EMAIL, TOKEN = "bot-mailer@example.com", "sekret-API-token-0123456789"
BASIC = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
ENV = {"JIRA_EMAIL": EMAIL, "JIRA_TOKEN": TOKEN, "GH_TOKEN": TOKEN}
SECRETS = (EMAIL, TOKEN, BASIC)
STOP_AFTER = 64 << 20  # an endless body stops here at the latest
JIRA_SEARCH = "/rest/api/3/search/jql"
GH_ISSUES = "/repos/acme/estate/issues"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


Script = Callable[["Handler", Request], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        request = Request(self.command, self.path, dict(self.headers), body)
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(request)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            owner.script(self, request)
        self.close_connection = True

    do_GET = do_POST = do_PATCH = do_PUT = _any

    def answer(self, status: int, body: Any = b"", headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: Tracker


class Tracker:
    """A loopback server that answers with `script`; stop() ends it and waits."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.lock = threading.Lock()
        self.requests: list[Request] = []
        self.stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def calls(self, method: str, prefix: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)


def event(kind: str = "trigger", **changes: Any) -> AlertEvent:
    return AlertEvent(**{
        "kind": kind, "dedup_key": dedup_key("production", "AWS-S3-001", "aws_s3_bucket.logs"),
        "check_id": "AWS-S3-001", "title": "S3 bucket allows public read", "severity": "high",
        "risk": 80, "resource": "aws_s3_bucket.logs", "resource_type": "aws_s3_bucket",
        "message": "bucket is public", "remediation": "Block public access.",
        "controls": {}, "scope": "production", "scan_id": "scan-1",
        "occurred_at": "2026-12-07T00:00:00Z", **changes,
    })  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with open_store(str(tmp_path / "state.db")) as opened:
        yield opened


def jira(url: str, store: StateStore, **extra: Any) -> JiraChannel:
    raw = {"type": "jira", "url": url, "project": "SEC", "email_env": "JIRA_EMAIL",
           "token_env": "JIRA_TOKEN", "timeout": 1, "search_retries": 1, **extra}  # fmt: skip
    channel = bind_store({"j": resolve_secrets(parse_channel("j", raw), ENV)}, store)["j"]
    assert isinstance(channel, JiraChannel)
    return replace(channel, sleep=lambda _: None)


def github(url: str, store: StateStore, **extra: Any) -> GitHubChannel:
    raw = {"type": "github", "url": url, "repository": "acme/estate", "token_env": "GH_TOKEN",
           "timeout": 1, **extra}  # fmt: skip
    channel = bind_store({"g": resolve_secrets(parse_channel("g", raw), ENV)}, store)["g"]
    assert isinstance(channel, GitHubChannel)
    return replace(channel, sleep=lambda _: None)


def shaped(failure: DeliveryFailed, permanent: bool | None = None) -> str:
    """The failure's detail, checked: one printable line, bounded, no secret in it."""
    detail = failure.detail
    assert detail.isprintable(), detail
    assert len(detail) <= 500, len(detail)
    for secret in SECRETS:
        assert secret not in detail
        assert secret[:8] not in detail
    if permanent is not None:
        assert failure.permanent is permanent, detail
    return detail


def fails(send: Callable[[], None], permanent: bool | None = None, within: float = 15.0) -> str:
    started = time.monotonic()
    with pytest.raises(DeliveryFailed) as caught:
        send()
    assert time.monotonic() - started < within
    return shaped(caught.value, permanent)


def nothing_recorded(store: StateStore, channel: str) -> None:
    assert ticket_store.lookup(store, channel, event().dedup_key) is None


# --- search answers of the wrong shape: no ticket is created, none recorded -----------


JIRA_SEARCHES = {
    "issues a number": {"issues": 5},
    "issues a string": {"issues": "SEC-1"},
    "issues an object": {"issues": {"key": "SEC-1"}},
    "an issue a string": {"issues": ["SEC-1"]},
    "a key a number": {"issues": [{"key": 12, "id": "1"}]},
    "a key with ESC": {"issues": [{"key": "SEC-1\x1b[2J", "id": "1"}]},
    "a key a path": {"issues": [{"key": "../../rest/api/3/myself", "id": "1"}]},
    "a key huge": {"issues": [{"key": "SEC-" + "1" * 100_000, "id": "1"}]},
    "an id not a number": {"issues": [{"key": "SEC-1", "id": "abc"}]},
    "an id of 5000 digits": {"issues": [{"key": "SEC-1", "id": "9" * 5000}]},
    "fields a list": {"issues": [{"key": "SEC-1", "id": "1", "fields": [1]}]},
    "status a string": {"issues": [{"key": "SEC-1", "id": "1", "fields": {"status": "Done"}}]},
    "the answer a list": [{"key": "SEC-1"}],
    "nextPageToken an object": {"issues": [], "nextPageToken": {"a": 1}},
    "labels a string": {"issues": [{"key": "SEC-9", "id": "1", "fields": {"labels": "x"}}]},
    # A tracker (or proxy) that ignores the label filter: someone else's ticket.
    "an issue without the label": {
        "issues": [{"key": "SEC-9", "id": "1", "fields": {"labels": ["other"], "status": {}}}]
    },
}


@pytest.mark.parametrize("answer", JIRA_SEARCHES.values(), ids=JIRA_SEARCHES.keys())
def test_jira_search_of_the_wrong_shape_fails_and_creates_nothing(
    answer: Any, store: StateStore
) -> None:
    def script(h: Handler, r: Request) -> None:
        if r.path == JIRA_SEARCH:
            h.answer(200, answer)
        else:
            h.answer(201, {"id": "1", "key": "SEC-1"})

    with Tracker(script) as tracker:
        fails(lambda: jira(tracker.url, store).send([event()]))
        assert tracker.calls("POST", "/rest/api/3/issue") == []
    nothing_recorded(store, "j")


GITHUB_LISTS = {
    "an object": {"message": "Not Found"},
    "an issue a string": ["7"],
    "no number": [{"state": "open"}],
    "a number a path": [{"number": "7/../../../user", "state": "open"}],
    "a number true": [{"number": True, "state": "open"}],
    "a number negative": [{"number": -3, "state": "open"}],
    "a number a float": [{"number": 1.5, "state": "open"}],
    "a number with ESC": [{"number": "7\x1b[2J", "state": "open"}],
    "labels an object": [{"number": 9, "state": "open", "labels": {"name": "x"}}],
    "an issue without the label": [{"number": 9, "state": "open", "labels": [{"name": "bug"}]}],
}


@pytest.mark.parametrize("answer", GITHUB_LISTS.values(), ids=GITHUB_LISTS.keys())
def test_github_list_of_the_wrong_shape_fails_and_creates_nothing(
    answer: Any, store: StateStore
) -> None:
    def script(h: Handler, r: Request) -> None:
        if r.method == "GET":
            h.answer(200, answer)
        else:
            h.answer(201, {"number": 1})

    with Tracker(script) as tracker:
        fails(lambda: github(tracker.url, store).send([event()]))
        assert tracker.calls("POST", GH_ISSUES) == []
    nothing_recorded(store, "g")


CREATED_JIRA = {
    "no key": {"id": "1"},
    "a key a number": {"key": 7},
    "a key a path": {"key": "SEC-1/../../x"},
    "a key with a space": {"key": "SEC 1"},
    "a key with ESC": {"key": "SEC-1\x1b]0;x\x07"},
    "a key huge": {"key": "SEC-" + "9" * 10_000},
}


@pytest.mark.parametrize("answer", CREATED_JIRA.values(), ids=CREATED_JIRA.keys())
def test_jira_create_answer_with_a_bad_key_is_not_recorded(answer: Any, store: StateStore) -> None:
    def script(h: Handler, r: Request) -> None:
        if r.path == JIRA_SEARCH:
            h.answer(200, {"issues": [], "isLast": True})
        else:
            h.answer(201, answer)

    with Tracker(script) as tracker:
        fails(lambda: jira(tracker.url, store).send([event()]), permanent=False)
    nothing_recorded(store, "j")


CREATED_GITHUB = {
    "no number": {"id": 1},
    "a number true": {"number": True},
    "a number negative": {"number": -1},
    "a number zero": {"number": 0},
    "a number a string": {"number": "5"},
    "a number huge": {"number": 2**80},
}


@pytest.mark.parametrize("answer", CREATED_GITHUB.values(), ids=CREATED_GITHUB.keys())
def test_github_create_answer_with_a_bad_number_is_not_recorded(
    answer: Any, store: StateStore
) -> None:
    def script(h: Handler, r: Request) -> None:
        if r.method == "GET":
            h.answer(200, [])
        else:
            h.answer(201, answer)

    with Tracker(script) as tracker:
        fails(lambda: github(tracker.url, store).send([event()]), permanent=False)
    nothing_recorded(store, "g")


# --- paging that never ends --------------------------------------------------------------


def test_jira_a_next_page_token_that_repeats_forever_stops_and_creates_nothing(
    store: StateStore,
) -> None:
    def script(h: Handler, r: Request) -> None:
        h.answer(200, {"issues": [], "nextPageToken": "again", "isLast": False})

    with Tracker(script) as tracker:
        fails(lambda: jira(tracker.url, store, search_retries=3).send([event()]))
        assert len(tracker.calls("POST", JIRA_SEARCH)) <= 4 * 2
        assert tracker.calls("POST", "/rest/api/3/issue") == []
    nothing_recorded(store, "j")


def test_jira_fresh_page_tokens_forever_are_bounded_and_create_nothing(
    store: StateStore,
) -> None:
    count = iter(range(10**9))

    def script(h: Handler, r: Request) -> None:
        h.answer(200, {"issues": [], "nextPageToken": f"t{next(count)}"})

    with Tracker(script) as tracker:
        fails(lambda: jira(tracker.url, store, search_retries=0).send([event()]))
        assert len(tracker.calls("POST", JIRA_SEARCH)) <= 20
        assert tracker.calls("POST", "/rest/api/3/issue") == []
    nothing_recorded(store, "j")


def test_github_a_link_that_repeats_forever_stops_and_creates_nothing(store: StateStore) -> None:
    def script(h: Handler, r: Request) -> None:
        if r.method == "GET":
            link = f'<http://127.0.0.1:{h.server.server_address[1]}{GH_ISSUES}?page=2>; rel="next"'
            h.answer(200, [], {"Link": link})
        else:
            h.answer(201, {"number": 1})

    with Tracker(script) as tracker:
        fails(lambda: github(tracker.url, store).send([event()]))
        assert len(tracker.calls("GET", GH_ISSUES)) <= 2
        assert tracker.calls("POST", GH_ISSUES) == []
    nothing_recorded(store, "g")


# --- other hosts: a Link, a redirect ------------------------------------------------------


def test_github_a_link_to_another_host_gets_no_request(store: StateStore) -> None:
    with Tracker(lambda h, r: h.answer(200, [])) as other:

        def script(h: Handler, r: Request) -> None:
            mine = h.server.server_address[1]
            # Starts with the base URL, but the host is the one after "@".
            link = f'<http://127.0.0.1:{mine}@127.0.0.1:{other.port}{GH_ISSUES}?page=2>; rel="next"'
            if r.method == "GET":
                h.answer(200, [], {"Link": link})
            else:
                h.answer(201, {"number": 1})

        with Tracker(script) as tracker:
            with pytest.raises(DeliveryFailed) as caught:
                github(tracker.url, store).send([event()])
            shaped(caught.value)
        assert other.requests == []
    nothing_recorded(store, "g")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_to_another_host_is_not_followed(status: int, store: StateStore) -> None:
    with Tracker(lambda h, r: h.answer(200, [])) as other:
        location = {"Location": f"{other.url}/steal"}
        with Tracker(lambda h, r: h.answer(status, b"<a>\x1b[2Jmoved</a>", location)) as tracker:
            fails(lambda: github(tracker.url, store).send([event()]), permanent=True)
            fails(lambda: jira(tracker.url, store).send([event()]), permanent=True)
        assert other.requests == []


# --- error pages, Retry-After -----------------------------------------------------------


def test_an_error_page_is_escaped_and_blanks_every_credential(store: StateStore) -> None:
    page = (
        f"<html>\x1b[2J\x1b]0;pwned\x07\u202e <b>denied</b> for {EMAIL} with Basic {BASIC}"
        f" token {TOKEN}\r\nX-Injected: 1</html>"
    ).encode()
    with Tracker(lambda h, r: h.answer(500, page, {"Content-Type": "text/html"})) as tracker:
        detail = fails(lambda: jira(tracker.url, store).send([event()]), permanent=False)
        assert "HTTP 500" in detail
        assert "denied" in detail
    # GitHub knows only its token (the e-mail and basic pair are Jira's, not its secrets).
    page = page.replace(EMAIL.encode(), b"").replace(BASIC.encode(), TOKEN.encode())
    with Tracker(lambda h, r: h.answer(500, page, {"Content-Type": "text/html"})) as tracker:
        detail = fails(lambda: github(tracker.url, store).send([event()]), permanent=False)
        assert "HTTP 500" in detail


def test_a_credential_cut_at_the_excerpt_boundary_leaves_no_prefix(store: StateStore) -> None:
    page = b" " * 4088 + TOKEN.encode() + b" " * 10
    with Tracker(lambda h, r: h.answer(403, page)) as tracker:
        fails(lambda: github(tracker.url, store).send([event()]), permanent=True)
        fails(lambda: jira(tracker.url, store).send([event()]), permanent=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("9" * 400, 3600.0), ("-5", None), ("NaN", None), ("1e400", None), ("\x1b[2J", None)],
)
def test_retry_after_is_bounded(value: str, expected: float | None, store: StateStore) -> None:
    with Tracker(lambda h, r: h.answer(429, {"m": "slow down"}, {"Retry-After": value})) as t:
        with pytest.raises(DeliveryFailed) as caught:
            jira(t.url, store).send([event()])
        shaped(caught.value, permanent=False)
        assert caught.value.retry_after == expected


# --- bodies: huge, endless, dripping, deep, compressed; a silent server -----------------


def endless(h: Handler, r: Request) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"[" * 65536
    sent = 0
    while not h.server.owner.stop.is_set() and sent < STOP_AFTER:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sent += len(chunk)


def drip(h: Handler, r: Request) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    h.wfile.flush()
    for _ in range(100_000):  # one byte every 0.1 s: within the timeout, never done
        if h.server.owner.stop.wait(0.1):
            return
        h.wfile.write(b" ")
        h.wfile.flush()


def silent(h: Handler, r: Request) -> None:
    h.server.owner.stop.wait(30)


def huge(h: Handler, r: Request) -> None:
    h.answer(200, b'{"issues": [' + b'{"key": "SEC-1"},' * 2_000_000 + b"{}]}")


def deep(h: Handler, r: Request) -> None:
    h.answer(200, b"[" * 200_000 + b"]" * 200_000)


def bomb(h: Handler, r: Request) -> None:
    raw = gzip.compress(b" " * (256 << 20), compresslevel=9)
    h.answer(200, raw, {"Content-Encoding": "gzip"})


@pytest.mark.parametrize("script", [endless, drip, silent, huge, deep, bomb])
@pytest.mark.parametrize("kind", ["jira", "github"])
def test_a_body_that_misbehaves_is_a_bounded_retryable_failure(
    script: Script, kind: str, store: StateStore
) -> None:
    with Tracker(script) as tracker:
        channel = jira(tracker.url, store) if kind == "jira" else github(tracker.url, store)
        fails(lambda: channel.send([event()]), permanent=False, within=12)
        assert tracker.calls("POST", "/rest/api/3/issue") == []
        assert tracker.calls("POST", GH_ISSUES) == []
    nothing_recorded(store, "j" if kind == "jira" else "g")


# --- transitions of the wrong shape -------------------------------------------------------


TRANSITIONS = {
    "a number": {"transitions": 5},
    "no id": {"transitions": [{"name": "Done"}]},
    "an id an object": {"transitions": [{"name": "Done", "id": {"x": 1}}]},
    "names huge": {"transitions": [{"name": "\x1b[2J" + "n" * 100_000, "id": "1"}] * 5},
}


@pytest.mark.parametrize("answer", TRANSITIONS.values(), ids=TRANSITIONS.keys())
def test_jira_transitions_of_the_wrong_shape_fail_shaped(answer: Any, store: StateStore) -> None:
    def script(h: Handler, r: Request) -> None:
        if r.method == "GET":
            h.answer(200, answer)
        else:
            h.answer(201 if r.path.endswith("/comment") else 204, b"")

    ticket_store.record(store, "j", event().dedup_key, "SEC-1", "open", "scan-1")
    with Tracker(script) as tracker:
        fails(lambda: jira(tracker.url, store).send([event("resolve", scan_id="scan-2")]))
        posted = [r.body for r in tracker.calls("POST", "/rest/api/3/issue/SEC-1/transitions")]
        assert posted == []


# --- the real CLI ------------------------------------------------------------------------


def test_drift_records_an_escaped_secret_free_error_and_no_ticket(tmp_path: Path) -> None:
    page = f"\x1b[2J\x1b]0;owned\x07 bad login {EMAIL} Basic {BASIC} {TOKEN}".encode()

    def script(h: Handler, r: Request) -> None:
        if r.path.startswith(JIRA_SEARCH):
            h.answer(401, page)  # a login page quoting the credentials
        elif r.method == "GET":
            h.answer(200, [{"number": "1/../../user", "state": "open"}])
        else:
            h.answer(201, {"number": 1, "key": "SEC-1"})

    with Tracker(script) as tracker:
        channels = {
            "jira": {"type": "jira", "url": tracker.url, "project": "SEC",
                     "email_env": "JIRA_EMAIL", "token_env": "JIRA_TOKEN", "search_retries": 0,
                     "timeout": 2},
            "issues": {"type": "github", "url": tracker.url, "repository": "acme/estate",
                       "token_env": "GH_TOKEN", "timeout": 2},
        }  # fmt: skip
        rules = [{"name": "t", "match": {"check": ["AWS-RDS-001"]}, "channels": list(channels)}]
        estate = make_estate(tmp_path, channels, rules)
        estate.resource(PATIENTS)["attributes"]["storage_encrypted"] = False
        estate.write()
        estate.env = dict(ENV)
        result = estate.drift()
        assert result.code == 0, result.stderr
        listed = run_cli("alerts", "list", "--state", estate.state, "--format", "json")
        assert listed.code == 0, listed.stderr
        assert tracker.calls("POST", "/rest/api/3/issue") == []
        assert tracker.calls("POST", GH_ISSUES) == []
    rows = listed.json()
    # Jira's 401 is permanent; GitHub's list of the wrong shape is retried.
    statuses = {r["channel"]: r["status"] for r in rows}
    assert statuses == {"jira": "dead", "issues": "pending"}
    assert len(rows) == 4
    assert all(r["last_error"] for r in rows)
    assert any("unexpected answer" in r["last_error"] for r in rows)
    assert any("HTTP 401" in r["last_error"] for r in rows)
    for text in (result.stderr, result.stdout, listed.stdout, *(r["last_error"] for r in rows)):
        assert "\x1b" not in text
        assert "\x07" not in text
        for secret in SECRETS:
            assert secret not in text
    assert "Traceback" not in result.stderr


def drip_headers(h: Handler, r: Request) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    for _ in range(100_000):  # a header line one byte every 0.1 s: never ends
        if h.server.owner.stop.wait(0.1):
            return
        h.wfile.write(b"a")
        h.wfile.flush()


@pytest.mark.parametrize("kind", ["jira", "github"])
def test_headers_that_drip_are_a_bounded_retryable_failure(kind: str, store: StateStore) -> None:
    with Tracker(drip_headers) as tracker:
        channel = jira(tracker.url, store) if kind == "jira" else github(tracker.url, store)
        fails(lambda: channel.send([event()]), permanent=False, within=12)
