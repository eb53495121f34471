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
    handle,
    report_link,
    summary,
    ticket_lines,
)
from compliance_opa.state.store import StateStore
from compliance_opa.support.printable import printable

MAX_PAGES = 20


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
        if self.store is None:
            raise RuntimeError(f"channel {self.name}: needs the state store (bind_store)")
        tracker = _JiraTracker(self, self._http())
        try:
            for event in events:
                handle(tracker, self.store, self.name, event)
        finally:
            tracker.http.close()

    def _http(self) -> Http:
        token = self.token or ""
        if self.deployment == "cloud":
            pair = f"{self.email}:{token}".encode()
            auth = "Basic " + base64.b64encode(pair).decode("ascii")
        else:
            auth = f"Bearer {token}"
        secrets = (token, auth.split(" ", 1)[1])
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
            issues = self._search(jql)
            if issues:
                first = min(issues, key=lambda i: int(str(i.get("id", "0")) or 0))
                status = ((first.get("fields") or {}).get("status") or {}).get("statusCategory")
                done = isinstance(status, dict) and status.get("key") == "done"
                return Found(str(first["key"]), not done)
            if self.c.deployment != "cloud":
                return None  # Data Center's index is updated with the issue
            if attempt < self.c.search_retries:
                self.c.sleep(self.c.search_delay)
        return None

    def _search(self, jql: str) -> list[dict[str, Any]]:
        issues: list[dict[str, Any]] = []
        fields = ["status", "labels"]
        if self.c.deployment == "cloud":
            token: str | None = None
            for _ in range(MAX_PAGES):
                body: dict[str, Any] = {"jql": jql, "fields": fields, "maxResults": 50}
                if token:
                    body["nextPageToken"] = token
                answer, _ = self.http.call("POST", f"{self.c.api}/search/jql", body)
                issues += _issues(answer)
                token = answer.get("nextPageToken") if isinstance(answer, dict) else None
                if not token or answer.get("isLast") is True:
                    break
            return issues
        start = 0
        for _ in range(MAX_PAGES):
            body = {"jql": jql, "fields": fields, "startAt": start, "maxResults": 50}
            answer, _ = self.http.call("POST", f"{self.c.api}/search", body)
            page = _issues(answer)
            issues += page
            start += len(page)
            total = answer.get("total") if isinstance(answer, dict) else None
            if not page or not isinstance(total, int) or start >= total:
                break
        return issues

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
        if not isinstance(key, str) or not key:
            raise DeliveryFailed(f"channel {self.c.name}: Jira created an issue but sent no key")
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
        choices = answer.get("transitions", []) if isinstance(answer, dict) else []
        chosen = [t for t in choices if isinstance(t, dict) and t.get("name") == name]
        if not chosen:
            names = ", ".join(sorted(str(t.get("name")) for t in choices if isinstance(t, dict)))
            raise DeliveryFailed(
                f"channel {self.c.name}: issue {key} has no transition {name!r}"
                f" (available: {printable(names) or 'none'})",
                permanent=True,
            )
        self.http.call("POST", path, {"transition": {"id": str(chosen[0]["id"])}})

    def _body(self, lines: Sequence[Line]) -> Any:
        return adf(lines) if self.c.deployment == "cloud" else wiki(lines)


def _issues(answer: Any) -> list[dict[str, Any]]:
    raw = answer.get("issues") if isinstance(answer, dict) else None
    return [i for i in raw or [] if isinstance(i, dict) and isinstance(i.get("key"), str)]


def _key(key: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_-]+", key) is None:
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
