"""Issue trackers on loopback that play the documented REST APIs, for the ticket tests.

JiraDouble plays Jira Cloud REST v3 (or Data Center v2 with `deployment="datacenter"`):
create `POST /rest/api/3/issue`, search `POST /rest/api/3/search/jql` paged by
`nextPageToken` (the old `/rest/api/3/search` answers 410), comments, transitions
(GET lists those of the issue's status, POST does one). GitHubDouble plays the issues
API: create, list by label with `state=all` paged by a Link header (pull requests mixed
in, as GitHub does), comments, PATCH state / state_reason.

Both check every request: the auth header, the JSON shape (ADF documents on Jira v3,
strings on v2 and GitHub), labels, transition ids. A request that fails a check is
answered 400 and listed in `errors`; a test asserts `errors == []`.

Faults, each used once when armed: `fail_next(status, headers)` (429 with Retry-After,
500), `miss_next_search()` (a search that does not see the newest issue yet: eventual
consistency), `hang_after_create()` (the issue is created, then the answer waits, up
to WAIT seconds, so the test can kill the client right after the create call).

Both bind 127.0.0.1 port 0; waits are bounded; stop() joins the threads.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

LOOPBACK = "127.0.0.1"
WAIT = 10.0


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Issue:
    number: int
    key: str
    summary: str
    description: Any
    labels: list[str]
    fields: dict[str, Any]
    open: bool = True
    state_reason: str | None = None
    comments: list[Any] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)  # names done, in order


class Answer(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True


class _Double:
    page_size = 1  # small pages: every search pages

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.seen: list[Seen] = []
        self.errors: list[str] = []
        self.issues: list[Issue] = []
        self._faults: deque[tuple[int, dict[str, str]]] = deque()
        self._miss = False
        self._hang = False
        self.release = threading.Event()
        self._server = _Server((LOOPBACK, 0), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- test side ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, status: int, headers: dict[str, str] | None = None) -> None:
        with self.lock:
            self._faults.append((status, headers or {}))

    def miss_next_search(self) -> None:
        with self.lock:
            self._miss = True

    def hang_after_create(self) -> None:
        with self.lock:
            self._hang = True

    def calls(self, method: str, pattern: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.method == method and re.fullmatch(pattern, s.path)]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(WAIT)

    # -- server side --------------------------------------------------------------------
    def serve(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        with self.lock:
            self.seen.append(Seen(method, path, headers, body))
            self.lock.notify_all()
            if self._faults:
                status, extra = self._faults.popleft()
                return Answer(status, {"message": "scripted fault"}, extra)
        try:
            self.check_auth(headers)
            with self.lock:
                answer = self.route(method, path, body)
        except Answer as stop:
            if stop.status in (400, 401, 404, 410):  # our client never earns these
                with self.lock:
                    self.errors.append(f"{method} {path}: {stop.body}")
            return stop
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            with self.lock:
                self.errors.append(f"{method} {path}: malformed ({type(exc).__name__}: {exc})")
            return Answer(400, {"message": "malformed"})
        if getattr(answer, "hang", False):
            self.release.wait(WAIT)
        return answer

    def take_miss(self) -> bool:
        miss, self._miss = self._miss, False
        return miss

    def take_hang(self) -> bool:
        hang, self._hang = self._hang, False
        return hang

    def check_auth(self, headers: dict[str, str]) -> None:
        raise NotImplementedError

    def route(self, method: str, path: str, body: Any) -> Answer:
        raise NotImplementedError


def need(condition: bool, what: str) -> None:
    if not condition:
        raise Answer(400, what)


def _handler(double: _Double) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"
        timeout = WAIT

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = double.serve(self.command, self.path, headers, raw)
            data = b"" if answer.body is None else json.dumps(answer.body).encode()
            with suppress(OSError):
                self.send_response(answer.status)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _hanging(answer: Answer) -> Answer:
    answer.hang = True  # type: ignore[attr-defined]
    return answer


# --- Jira ---------------------------------------------------------------------------------

ADF_MARKS = {"strong", "em", "code", "link"}


def check_adf(doc: Any) -> None:
    need(isinstance(doc, dict) and doc.get("type") == "doc" and doc.get("version") == 1, "ADF doc")
    need(isinstance(doc.get("content"), list) and doc["content"], "ADF content")
    for block in doc["content"]:
        need(block.get("type") == "paragraph", "ADF paragraph")
        need(isinstance(block.get("content"), list) and block["content"], "ADF inline content")
        for node in block["content"]:
            need(node.get("type") == "text", "ADF text node")
            need(isinstance(node.get("text"), str) and node["text"] != "", "ADF non-empty text")
            need(set(node) <= {"type", "text", "marks"}, "ADF text node keys")
            for mark in node.get("marks", []):
                need(mark.get("type") in ADF_MARKS, "ADF mark")


class JiraDouble(_Double):
    def __init__(
        self,
        project: str = "SEC",
        email: str = "bot@example.com",
        token: str = "jira-api-token-secret",  # noqa: S107 - a test double
        deployment: str = "cloud",
    ) -> None:
        super().__init__()
        self.project = project
        self.email = email
        self.token = token
        self.deployment = deployment
        self.api = "/rest/api/3" if deployment == "cloud" else "/rest/api/2"

    def check_auth(self, headers: dict[str, str]) -> None:
        if self.deployment == "cloud":
            pair = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
            expected = f"Basic {pair}"
        else:
            expected = f"Bearer {self.token}"
        if headers.get("authorization") != expected:
            raise Answer(401, {"errorMessages": ["unauthorized"]})
        need(headers.get("accept") == "application/json", "Accept: application/json")

    def route(self, method: str, path: str, body: Any) -> Answer:
        api = self.api
        if path == "/rest/api/3/search":
            return Answer(410, {"errorMessages": ["The requested API has been removed."]})
        if method == "POST" and path == f"{api}/issue":
            return self._create(body)
        if method == "POST" and path == f"{api}/search/jql" and self.deployment == "cloud":
            return self._search_cloud(body)
        if method == "POST" and path == f"{api}/search" and self.deployment != "cloud":
            return self._search_dc(body)
        match = re.fullmatch(rf"{api}/issue/([A-Z][A-Z0-9_]*-\d+)/(comment|transitions)", path)
        if match is None:
            raise Answer(404, {"errorMessages": [f"no route {method} {path}"]})
        issue = self._issue(match.group(1))
        if match.group(2) == "comment":
            need(method == "POST" and set(body) == {"body"}, "comment shape")
            self._check_body(body["body"])
            issue.comments.append(body["body"])
            return Answer(201, {"id": str(len(issue.comments))})
        if method == "GET":
            return Answer(200, {"transitions": self._transitions(issue)})
        need(set(body) == {"transition"} and set(body["transition"]) == {"id"}, "transition shape")
        chosen = [t for t in self._transitions(issue) if t["id"] == body["transition"]["id"]]
        need(bool(chosen), "transition not available")
        issue.open = chosen[0]["name"] != "Done"
        issue.transitions.append(chosen[0]["name"])
        return Answer(204)

    def _check_body(self, value: Any) -> None:
        if self.deployment == "cloud":
            check_adf(value)
        else:
            need(isinstance(value, str) and bool(value), "v2 body is a string")

    def _create(self, body: Any) -> Answer:
        need(set(body) == {"fields"}, "create: only fields")
        f = body["fields"]
        need(f["project"] == {"key": self.project}, "project")
        need(isinstance(f["issuetype"].get("name"), str), "issuetype")
        need(isinstance(f["summary"], str) and 0 < len(f["summary"]) <= 255, "summary")
        need("\n" not in f["summary"], "summary on one line")
        self._check_body(f["description"])
        labels = f["labels"]
        need(isinstance(labels, list) and all(isinstance(x, str) for x in labels), "labels")
        need(all(x and " " not in x for x in labels), "labels without spaces")
        if "priority" in f:
            need(set(f["priority"]) == {"name"}, "priority by name")
        number = len(self.issues) + 1
        key = f"{self.project}-{number}"
        self.issues.append(Issue(number, key, f["summary"], f["description"], labels, f))
        answer = Answer(201, {"id": str(10000 + number), "key": key, "self": f"{api_self(key)}"})
        return _hanging(answer) if self.take_hang() else answer

    def _matching(self, jql: str) -> list[Issue]:
        m = re.fullmatch(r'project = "([^"]+)" AND labels = "((?:[^"\\]|\\.)+)"', jql)
        need(m is not None, f"unexpected JQL {jql!r}")
        assert m is not None
        label = re.sub(r"\\(.)", r"\1", m.group(2))
        found = [i for i in self.issues if m.group(1) == self.project and label in i.labels]
        if found and self.take_miss():
            found = found[:-1]
        return found

    def _search_cloud(self, body: Any) -> Answer:
        need(set(body) <= {"jql", "fields", "maxResults", "nextPageToken"}, "search keys")
        need(isinstance(body["fields"], list) and "status" in body["fields"], "search fields")
        found = self._matching(body["jql"])
        start = int(body.get("nextPageToken", "0").removeprefix("page-"))
        if "nextPageToken" in body:
            need(start > 0, "nextPageToken as sent")
        page = found[start : start + self.page_size]
        answer: dict[str, Any] = {"issues": [self._brief(i) for i in page]}
        if start + self.page_size < len(found):
            answer["nextPageToken"] = f"page-{start + self.page_size}"
            answer["isLast"] = False
        else:
            answer["isLast"] = True
        return Answer(200, answer)

    def _search_dc(self, body: Any) -> Answer:
        found = self._matching(body["jql"])
        start = int(body.get("startAt", 0))
        page = found[start : start + self.page_size]
        return Answer(200, {"startAt": start, "maxResults": self.page_size, "total": len(found),
                            "issues": [self._brief(i) for i in page]})  # fmt: skip

    def _brief(self, issue: Issue) -> dict[str, Any]:
        category = "new" if issue.open else "done"
        return {
            "id": str(10000 + issue.number),
            "key": issue.key,
            "fields": {"labels": issue.labels, "status": {"statusCategory": {"key": category}}},
        }

    def _issue(self, key: str) -> Issue:
        for issue in self.issues:
            if issue.key == key:
                return issue
        raise Answer(404, {"errorMessages": ["Issue does not exist"]})

    @staticmethod
    def _transitions(issue: Issue) -> list[dict[str, Any]]:
        if issue.open:
            return [{"id": "21", "name": "In Progress"}, {"id": "31", "name": "Done"}]
        return [{"id": "41", "name": "Reopen"}]


def api_self(key: str) -> str:
    return f"https://example.atlassian.net/rest/api/3/issue/{key}"


# --- GitHub -------------------------------------------------------------------------------


class GitHubDouble(_Double):
    def __init__(
        self,
        repository: str = "acme/estate",
        token: str = "ghp_secretTOKEN0000",  # noqa: S107
    ) -> None:
        super().__init__()
        self.repository = repository
        self.token = token
        self.pull_requests: list[dict[str, Any]] = []

    def check_auth(self, headers: dict[str, str]) -> None:
        if headers.get("authorization") != f"Bearer {self.token}":
            raise Answer(401, {"message": "Bad credentials"})
        need(headers.get("accept") == "application/vnd.github+json", "Accept header")
        need(headers.get("x-github-api-version") == "2022-11-28", "API version header")

    def route(self, method: str, path: str, body: Any) -> Answer:
        parts = urlsplit(path)
        base = f"/repos/{self.repository}/issues"
        if parts.path == base and method == "POST":
            return self._create(body)
        if parts.path == base and method == "GET":
            return self._list(parse_qs(parts.query))
        m = re.fullmatch(rf"{re.escape(base)}/(\d+)(/comments)?", parts.path)
        if m is None:
            raise Answer(404, {"message": "Not Found"})
        issue = self._issue(int(m.group(1)))
        if m.group(2):
            need(method == "POST" and set(body) == {"body"}, "comment shape")
            need(isinstance(body["body"], str) and bool(body["body"]), "comment body")
            issue.comments.append(body["body"])
            return Answer(201, {"id": len(issue.comments)})
        need(method == "PATCH", "PATCH an issue")
        need(set(body) == {"state", "state_reason"}, "PATCH keys")
        if body["state"] == "closed":
            need(body["state_reason"] in ("completed", "not_planned"), "close state_reason")
            issue.open = False
        else:
            need(body == {"state": "open", "state_reason": "reopened"}, "reopen shape")
            issue.open = True
        issue.state_reason = body["state_reason"]
        issue.transitions.append(f"{body['state']}:{body['state_reason']}")
        return Answer(200, self._json(issue))

    def _create(self, body: Any) -> Answer:
        need(set(body) == {"title", "body", "labels"}, "create keys")
        need(isinstance(body["title"], str) and "\n" not in body["title"], "title")
        need(isinstance(body["body"], str) and bool(body["body"]), "body")
        labels = body["labels"]
        need(all(isinstance(x, str) and 0 < len(x) <= 50 for x in labels), "labels")
        number = len(self.issues) + len(self.pull_requests) + 1
        issue = Issue(number, str(number), body["title"], body["body"], labels, {})
        self.issues.append(issue)
        # GitHub lists pull requests with issues: one carrying the same labels comes first.
        if not self.pull_requests:
            self.pull_requests.append({"number": 1000, "state": "open", "labels": labels,
                                       "pull_request": {"url": "x"}})  # fmt: skip
        answer = Answer(201, self._json(issue))
        return _hanging(answer) if self.take_hang() else answer

    def _list(self, query: dict[str, list[str]]) -> Answer:
        need(query.get("state") == ["all"], "state=all")
        labels = query["labels"][0].split(",")
        page = int(query.get("page", ["1"])[0])
        rows = [p for p in self.pull_requests if set(labels) <= {str(x) for x in p["labels"]}]
        found = [i for i in self.issues if set(labels) <= set(i.labels)]
        if found and self.take_miss():
            found = found[:-1]
        rows += [self._json(i) for i in found]
        start = (page - 1) * self.page_size
        chunk = rows[start : start + self.page_size]
        headers = {}
        if start + self.page_size < len(rows):
            link = (
                f"{self.url}/repos/{self.repository}/issues?labels={query['labels'][0]}"
                f"&state=all&per_page={self.page_size}&page={page + 1}"
            )
            headers["Link"] = f'<{link}>; rel="next"'
        return Answer(200, chunk, headers)

    def _issue(self, number: int) -> Issue:
        for issue in self.issues:
            if issue.number == number:
                return issue
        raise Answer(404, {"message": "Not Found"})

    @staticmethod
    def _json(issue: Issue) -> dict[str, Any]:
        return {
            "number": issue.number,
            "state": "open" if issue.open else "closed",
            "state_reason": issue.state_reason,
            "title": issue.summary,
            "labels": [{"name": x} for x in issue.labels],
        }
