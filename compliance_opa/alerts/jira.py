"""The `jira` ticket channel: Jira Cloud (REST v3) or Jira Data Center (REST v2).

Cloud: basic auth with an account's e-mail and API token; descriptions and comments
are Atlassian Document Format (ADF) documents whose estate text sits in text nodes
only; search is `POST /rest/api/3/search/jql`, paged by `nextPageToken` (the old
`/rest/api/3/search` answers 410). Data Center: a personal access token as a bearer
token; bodies are wiki markup with every markup character of estate text escaped;
search is `POST /rest/api/2/search`, paged by `startAt`.

Create `POST /issue`, comment `POST /issue/{key}/comment`, transitions
`GET`/`POST /issue/{key}/transitions` (closing and reopening go through the transitions
named in the config).
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, final

from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.tickets import (
    Found,
    Http,
    Line,
    handle_all,
    malformed,
    report_link,
    summary,
    ticket_lines,
)
from compliance_opa.state.store import StateStore
from compliance_opa.support.printable import printable

MAX_PAGES = 20
# An issue key: project key, dash, number. Anything else in an answer is not recorded
# (it would be reused in URL paths and shown to people); bounded lengths.
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}-[0-9]{1,18}")


@final  # resolve_secrets dispatches on the exact type
@dataclass(frozen=True)
class JiraChannel:
    name: str
    url: str
    project: str
    token_env: str
    deployment: str = "cloud"  # cloud | datacenter
    email_env: str | None = None
    issue_type: str = "Task"
    priorities: Mapping[str, str] = field(default_factory=dict)  # severity -> priority name
    labels: tuple[str, ...] = ()
    close_transition: str = "Done"
    reopen_transition: str = "Reopen"
    fields: Mapping[str, Any] = field(default_factory=dict)
    report_url: str | None = None  # "{scan_id}" is replaced
    search_retries: int = 3
    search_delay: float = 1.0
    timeout: float = 10.0
    email: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    store: StateStore | None = field(default=None, repr=False, compare=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    @property
    def batches(self) -> bool:
        return False

    def send(self, events: Sequence[AlertEvent], recipient: str | None = None) -> None:
        if self.token is None or (self.deployment == "cloud" and self.email is None):
            raise RuntimeError(f"channel {self.name}: call resolve_secrets() before send()")
        tracker = _JiraTracker(self, self._http())
        handle_all(tracker, tracker.http, self.store, self.name, events)

    def _http(self) -> Http:
        token = self.token or ""
        if self.deployment == "cloud":
            pair = f"{self.email}:{token}".encode()
            auth = "Basic " + base64.b64encode(pair).decode("ascii")
        else:
            auth = f"Bearer {token}"
        # The e-mail of basic auth is a secret too: a login page may echo it.
        secrets = (token, auth.split(" ", 1)[1], *([self.email] if self.email else []))
        return Http(self.url, {"Authorization": auth}, self.timeout, secrets)

    @property
    def api(self) -> str:
        return "/rest/api/3" if self.deployment == "cloud" else "/rest/api/2"


class _JiraTracker:
    def __init__(self, channel: JiraChannel, http: Http) -> None:
        self.c = channel
        self.http = http

    def find(self, label: str) -> Found | None:
        jql = f"project = {_jql_string(self.c.project)} AND labels = {_jql_string(label)}"
        for attempt in range(self.c.search_retries + 1):
            issues = self._search(jql, label)
            if issues:
                first = min(issues, key=lambda i: (i[0], i[1]))
                return Found(first[1], first[2])
            if self.c.deployment != "cloud":
                return None  # Data Center's index is updated with the issue
            if attempt < self.c.search_retries:
                self.c.sleep(self.c.search_delay)
        return None

    def _search(self, jql: str, label: str) -> list[tuple[int, str, bool]]:
        """(id, key, open) of every issue found. A page of the wrong shape, a page token
        seen before or more than MAX_PAGES pages fail the search (retried later): "no
        issue" read from an answer we do not understand would create a second ticket."""
        issues: list[tuple[int, str, bool]] = []
        fields = ["status", "labels"]
        where = f"channel {self.c.name}: Jira search"
        if self.c.deployment == "cloud":
            token: str | None = None
            seen: set[str] = set()
            for _ in range(MAX_PAGES):
                body: dict[str, Any] = {"jql": jql, "fields": fields, "maxResults": 50}
                if token:
                    body["nextPageToken"] = token
                answer, _ = self.http.call("POST", f"{self.c.api}/search/jql", body)
                issues += _issues(answer, where, label)
                token = answer.get("nextPageToken")
                if token is not None and not isinstance(token, str):
                    raise malformed(where, "nextPageToken is not a string")
                if not token or answer.get("isLast") is True:
                    return issues
                if token in seen:
                    raise malformed(where, "a nextPageToken repeats")
                seen.add(token)
            raise malformed(where, f"more than {MAX_PAGES} pages")
        start = 0
        for _ in range(MAX_PAGES):
            body = {"jql": jql, "fields": fields, "startAt": start, "maxResults": 50}
            answer, _ = self.http.call("POST", f"{self.c.api}/search", body)
            page = _issues(answer, where, label)
            issues += page
            start += len(page)
            total = answer.get("total")
            if not page or not isinstance(total, int) or start >= total:
                return issues
        raise malformed(where, f"more than {MAX_PAGES} pages")

    def create(self, event: AlertEvent, label: str) -> str:
        fields: dict[str, Any] = {
            **self.c.fields,
            "project": {"key": self.c.project},
            "issuetype": {"name": self.c.issue_type},
            "summary": summary(event),
            "description": self._body(ticket_lines(event, report_link(event, self.c.report_url))),
            "labels": sorted({*self.c.labels, label}),
        }
        priority = self.c.priorities.get(event.severity)
        if priority:
            fields["priority"] = {"name": priority}
        answer, _ = self.http.call("POST", f"{self.c.api}/issue", {"fields": fields})
        key = answer.get("key") if isinstance(answer, dict) else None
        # A key of the wrong shape is not recorded: retried, the label search finds it.
        if not isinstance(key, str) or _KEY.fullmatch(key) is None:
            raise DeliveryFailed(
                f"channel {self.c.name}: Jira created an issue but sent no valid key"
            )
        return key

    def comment(self, key: str, lines: Sequence[Line]) -> None:
        self.http.call(
            "POST", f"{self.c.api}/issue/{_key(key)}/comment", {"body": self._body(lines)}
        )

    def close(self, key: str, waived: bool) -> None:
        self._transition(key, self.c.close_transition)

    def reopen(self, key: str) -> None:
        self._transition(key, self.c.reopen_transition)

    def _transition(self, key: str, name: str) -> None:
        path = f"{self.c.api}/issue/{_key(key)}/transitions"
        answer, _ = self.http.call("GET", path)
        where = f"channel {self.c.name}: Jira transitions of {key}"
        choices = answer.get("transitions") if isinstance(answer, dict) else None
        # The shape is checked: a number or a list of strings is no "none available".
        if not isinstance(choices, list) or not all(isinstance(t, dict) for t in choices):
            raise malformed(where, "transitions is not a list of objects")
        chosen = [t for t in choices if t.get("name") == name]
        if not chosen:
            names = ", ".join(sorted(printable(t.get("name"))[:40] for t in choices[:20]))
            raise DeliveryFailed(
                f"channel {self.c.name}: issue {key} has no transition {name!r}"
                f" (available: {names[:200] or 'none'})",
                permanent=True,
            )
        chosen_id = chosen[0].get("id")
        if not isinstance(chosen_id, str | int) or isinstance(chosen_id, bool):
            raise malformed(where, f"transition {name!r} has no id")
        self.http.call("POST", path, {"transition": {"id": str(chosen_id)}})

    def _body(self, lines: Sequence[Line]) -> Any:
        return adf(lines) if self.c.deployment == "cloud" else wiki(lines)


def _issues(answer: Any, where: str, label: str) -> list[tuple[int, str, bool]]:
    """(id, key, open) of a search page's issues; an answer of any other shape fails, and
    so does an issue without the fingerprint label (a search that ignored the filter would
    have us comment on, close or record someone else's ticket)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("issues"), list):
        raise malformed(where, "no list of issues")
    found = []
    for issue in answer["issues"]:
        if not isinstance(issue, dict):
            raise malformed(where, "an issue is not an object")
        key, number = issue.get("key"), issue.get("id", "0")
        if not isinstance(key, str) or _KEY.fullmatch(key) is None:
            raise malformed(where, "an issue key of the wrong shape")
        if not isinstance(number, str) or re.fullmatch(r"[0-9]{1,18}", number) is None:
            raise malformed(where, f"issue {key} has an id of the wrong shape")
        fields = issue.get("fields", {})
        labels = fields.get("labels") if isinstance(fields, dict) else None
        if not isinstance(labels, list) or label.lower() not in {
            x.lower() for x in labels if isinstance(x, str)
        }:
            raise malformed(where, f"issue {key} does not carry the label")
        status = fields.get("status", {}) if isinstance(fields, dict) else None
        category = status.get("statusCategory", {}) if isinstance(status, dict) else None
        if not isinstance(category, dict):
            raise malformed(where, f"issue {key} has a status of the wrong shape")
        found.append((int(number), key, category.get("key") != "done"))
    return found


def _key(key: str) -> str:
    if _KEY.fullmatch(key) is None:
        raise DeliveryFailed(f"unexpected Jira issue key {printable(key)!r}", permanent=True)
    return key


def _jql_string(value: str) -> str:
    """A JQL string literal: double quotes, with backslash and quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def adf(lines: Sequence[Line]) -> dict[str, Any]:
    """An ADF document: one paragraph per line, the label strong, the value a text node
    (ADF text is never parsed as markup: nothing to escape, control characters aside)."""
    content = []
    for label, value in lines:
        nodes: list[dict[str, Any]] = [
            {"type": "text", "text": f"{label}: ", "marks": [{"type": "strong"}]}
        ]
        text = printable(value)
        if text:
            nodes.append({"type": "text", "text": text})
        content.append({"type": "paragraph", "content": nodes})
    return {"type": "doc", "version": 1, "content": content}


# Characters with a meaning in Jira wiki markup (text effects, links, macros, tables,
# lists and headings at a line start, emoticons); a backslash makes each literal.
_WIKI = re.compile(r"([\\*_?\-+^~|{}\[\]!#()])")


def wiki_text(value: object) -> str:
    return _WIKI.sub(r"\\\1", printable(value))


def wiki(lines: Sequence[Line]) -> str:
    """Wiki markup for Data Center: `*label:* value`, one line each, values escaped."""
    return "\n".join(f"*{label}:* {wiki_text(value)}" for label, value in lines)
