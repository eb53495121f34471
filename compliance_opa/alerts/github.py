"""The `github` ticket channel: GitHub issues in one repository (REST API 2022-11-28).

A token (fine-grained with Issues read and write, or a classic `repo` token) as a bearer
token. Create `POST /repos/{owner}/{repo}/issues`; look a fingerprint label up with
`GET /repos/{owner}/{repo}/issues?labels=...&state=all` (the issue list is consistent
at once, unlike the search API; pull requests are skipped), paged by the Link header;
comment `POST .../issues/{number}/comments`; close `PATCH .../issues/{number}` with
`state_reason` `completed` (fixed) or `not_planned` (waived), reopen with `state: open`.
Bodies are GitHub Markdown with all estate text escaped (no links, images, HTML or
@mentions can come from a finding).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, final
from urllib.parse import urlsplit

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
from compliance_opa.reports.markdown import text as markdown_text
from compliance_opa.state.store import StateStore

API_URL = "https://api.github.com"
MAX_PAGES = 20


@final  # resolve_secrets dispatches on the exact type
@dataclass(frozen=True)
class GitHubChannel:
    name: str
    repository: str  # owner/name
    token_env: str
    url: str = API_URL
    labels: tuple[str, ...] = ()
    report_url: str | None = None  # "{scan_id}" is replaced
    search_retries: int = 0  # the issue list is consistent at once; more for a proxy
    search_delay: float = 1.0
    timeout: float = 10.0
    token: str | None = field(default=None, repr=False)
    store: StateStore | None = field(default=None, repr=False, compare=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    @property
    def batches(self) -> bool:
        return False

    def send(self, events: Sequence[AlertEvent], recipient: str | None = None) -> None:
        if self.token is None:
            raise RuntimeError(f"channel {self.name}: call resolve_secrets() before send()")
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
        tracker = _GitHubTracker(self, Http(self.url, headers, self.timeout, (self.token,)))
        handle_all(tracker, tracker.http, self.store, self.name, events)


class _GitHubTracker:
    def __init__(self, channel: GitHubChannel, http: Http) -> None:
        self.c = channel
        self.http = http
        self.issues = f"/repos/{channel.repository}/issues"

    def find(self, label: str) -> Found | None:
        for attempt in range(self.c.search_retries + 1):
            found = self._list(label)
            if found is not None:
                return found
            if attempt < self.c.search_retries:
                self.c.sleep(self.c.search_delay)
        return None

    def _list(self, label: str) -> Found | None:
        params: dict[str, str] | None = {
            "labels": label, "state": "all", "per_page": "100", "sort": "created",
            "direction": "asc",
        }  # fmt: skip
        path = self.issues
        where = f"channel {self.c.name}: GitHub issue list"
        seen = {path}
        # An answer of the wrong shape, a next page on another origin, a page seen before
        # or too many pages fail the lookup (retried later): read as "no issue", they
        # would create a second one.
        for _ in range(MAX_PAGES):
            answer, headers = self.http.call("GET", path, params=params)
            if not isinstance(answer, list) or not all(isinstance(i, dict) for i in answer):
                raise malformed(where, "not a list of issues")
            for issue in answer:
                if "pull_request" not in issue:
                    number = _issue_number(issue.get("number"))
                    if number is None:
                        raise malformed(where, "an issue number of the wrong shape")
                    # A list that ignored the label filter: someone else's issue.
                    if label.lower() not in _label_names(issue.get("labels")):
                        raise malformed(where, f"issue {number} does not carry the label")
                    return Found(number, issue.get("state") == "open")
            following = _next_link(headers.get("Link") or headers.get("link") or "")
            if following is None:
                return None
            path = self._same_origin(following, where)
            if path in seen:
                raise malformed(where, "a next page repeats")
            seen.add(path)
            params = None
        raise malformed(where, f"more than {MAX_PAGES} pages")

    def _same_origin(self, url: str, where: str) -> str:
        """The path of a next-page URL on the API's own scheme, host and port. A prefix
        test on the string is not enough: `http://api:443@other/` starts with the base
        and goes (with the token) to `other`."""
        base, page = urlsplit(self.http.base), urlsplit(url)
        prefix = base.path.rstrip("/") + "/"
        if (page.scheme, page.netloc) != (base.scheme, base.netloc) or not page.path.startswith(
            prefix
        ):
            raise malformed(where, "the next page is on another host")
        return page.path + (f"?{page.query}" if page.query else "")

    def create(self, event: AlertEvent, label: str) -> str:
        body = {
            "title": summary(event),
            "body": markdown(ticket_lines(event, report_link(event, self.c.report_url))),
            "labels": sorted({*self.c.labels, label}),
        }
        answer, _ = self.http.call("POST", self.issues, body)
        number = _issue_number(answer.get("number") if isinstance(answer, dict) else None)
        if number is None:  # not recorded: retried, the label lookup finds the issue
            raise DeliveryFailed(
                f"channel {self.c.name}: GitHub created an issue but sent no valid number"
            )
        return number

    def comment(self, key: str, lines: Sequence[Line]) -> None:
        self.http.call("POST", f"{self.issues}/{_number(key)}/comments", {"body": markdown(lines)})

    def close(self, key: str, waived: bool) -> None:
        reason = "not_planned" if waived else "completed"
        self.http.call(
            "PATCH", f"{self.issues}/{_number(key)}", {"state": "closed", "state_reason": reason}
        )

    def reopen(self, key: str) -> None:
        self.http.call(
            "PATCH", f"{self.issues}/{_number(key)}", {"state": "open", "state_reason": "reopened"}
        )


def markdown(lines: Sequence[Line]) -> str:
    """`**label:** value`, one paragraph each, values escaped for GitHub Markdown."""
    return "\n\n".join(f"**{label}:** {markdown_text(value)}" for label, value in lines)


def _number(key: str) -> str:
    if re.fullmatch(r"[0-9]+", key) is None:
        raise DeliveryFailed(f"unexpected GitHub issue number {key[:40]!r}", permanent=True)
    return key


def _issue_number(value: Any) -> str | None:
    """An issue number as recorded: a positive JSON integer (not true, 1.5 or "7/..")."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**53:
        return str(value)
    return None


def _label_names(labels: Any) -> set[str]:
    """An issue's label names (objects with a name, or strings), lower case: GitHub
    compares labels without case."""
    if not isinstance(labels, list):
        return set()
    names = (x.get("name") if isinstance(x, dict) else x for x in labels)
    return {x.lower() for x in names if isinstance(x, str)}


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        match = re.fullmatch(r'\s*<([^>]+)>\s*;\s*rel="next"\s*', part)
        if match:
            return match.group(1)
    return None
