"""Ticket payloads: what a Jira issue and a GitHub issue say, escaped for their formats,
and the channel config's one-line errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from compliance_opa.alerts.channels import (
    GitHubChannel,
    JiraChannel,
    parse_channel,
    resolve_secrets,
)
from compliance_opa.alerts.events import AlertEvent
from compliance_opa.alerts.github import markdown
from compliance_opa.alerts.jira import adf, wiki, wiki_text
from compliance_opa.alerts.tickets import (
    Found,
    Line,
    handle,
    resolve_lines,
    summary,
    ticket_lines,
    waived,
)
from compliance_opa.errors import InputError
from compliance_opa.state.store import open_store

HOSTILE = (
    "<!-- hide --> @octocat ![x](https://evil.example/p.png) [click](javascript:1)"
    " *bold* _em_ {code} [~user] |cell| #1 \x1b[2J\r\nline2 `tick` {{noformat}} !img.png!"
)


def event(**changes: Any) -> AlertEvent:
    base = AlertEvent(
        kind="trigger",
        dedup_key="opa-comply-0123456789abcdef0123456789abcdef",
        check_id="AWS-S3-001",
        title="S3 bucket allows public read",
        severity="high",
        risk=72,
        resource="aws_s3_bucket.logs",
        resource_type="aws_s3_bucket",
        message="bucket logs is public",
        remediation="Enable the public access block.",
        controls={"pci_dss": ["1.3.1"], "gdpr": ["Art.32"]},
        scope="production",
        scan_id="scan-1",
        occurred_at="2026-12-07T00:00:00Z",
    )
    return AlertEvent(**{**base.as_json(), **changes})


def test_ticket_lines_carry_every_fact_and_the_report_link() -> None:
    lines = dict(ticket_lines(event(), "https://reports.example.com/scan-1"))
    assert lines == {
        "Check": "AWS-S3-001 (S3 bucket allows public read)",
        "Resource": "aws_s3_bucket.logs (aws_s3_bucket)",
        "Severity": "high",
        "Risk": "72/100",
        "Finding": "bucket logs is public",
        "Controls": "gdpr: Art.32; pci_dss: 1.3.1",
        "Remediation": "Enable the public access block.",
        "Scope": "production",
        "Scan": "scan-1",
        "Report": "https://reports.example.com/scan-1",
        "Fingerprint": "opa-comply-0123456789abcdef0123456789abcdef",
    }


def test_summary_is_one_bounded_line_with_controls_escaped() -> None:
    text = summary(event(resource="a\r\nb\x1b" + "x" * 400))
    assert "\n" not in text
    assert "\r" not in text
    assert "\x1b" not in text
    assert text.startswith("[high] S3 bucket allows public read: a\\r\\nb\\x1b")
    assert len(text) == 250
    assert text.endswith("…")


def test_adf_keeps_hostile_text_in_text_nodes_only() -> None:
    doc = adf(ticket_lines(event(message=HOSTILE, resource=HOSTILE), None))
    assert doc["type"] == "doc"
    assert doc["version"] == 1
    for paragraph in doc["content"]:
        assert paragraph["type"] == "paragraph"
        label, *value = paragraph["content"]
        assert label["marks"] == [{"type": "strong"}]
        assert all(set(node) == {"type", "text"} and node["type"] == "text" for node in value)
    texts = [n["text"] for p in doc["content"] for n in p["content"]]
    finding = texts[texts.index("Finding: ") + 1]
    assert "\x1b" not in finding
    assert "\n" not in finding
    assert "\\r\\n" in finding
    assert "https://evil.example" in finding  # as text: ADF gives it no link mark
    assert "link" not in json.dumps(doc)


def test_wiki_escapes_every_markup_character() -> None:
    escaped = wiki_text(HOSTILE)
    for raw in ("*bold*", "_em_", "{code}", "[~user]", "|cell|", "!img.png!", "{{noformat}}"):
        assert raw not in escaped
    assert "\\*bold\\*" in escaped
    assert "\\[click\\]" in escaped
    assert "\\{\\{noformat\\}\\}" in escaped
    assert "\n" not in escaped
    assert "\x1b" not in escaped
    body = wiki([("Finding", HOSTILE), ("Risk", "72/100")])
    assert body.splitlines()[0].startswith("*Finding:* ")
    assert body.splitlines()[1] == "*Risk:* 72/100"


def test_github_markdown_escapes_links_images_html_and_mentions() -> None:
    body = markdown([("Finding", HOSTILE)])
    assert body.startswith("**Finding:** ")
    assert "<!--" not in body
    assert "&lt;!--" in body
    assert "![x](" not in body
    assert "[click](" not in body
    assert "@octocat" not in body
    assert "@&#8203;octocat" in body
    assert "\n" not in body
    assert "\x1b" not in body
    assert "\\`tick\\`" in body


def test_a_waived_resolve_says_why() -> None:
    resolved = event(kind="resolve", message="Waived: migration in Q1 (owner payments)")
    assert waived(resolved)
    assert dict(resolve_lines(resolved))["Resolved"].startswith("Waived: migration in Q1")
    assert not waived(event(kind="resolve"))
    assert dict(resolve_lines(event(kind="resolve")))["Resolved"].startswith("Fixed")


JIRA = {"type": "jira", "url": "https://acme.atlassian.net", "project": "SEC",
        "email_env": "JIRA_EMAIL", "token_env": "JIRA_TOKEN"}  # fmt: skip
GITHUB = {"type": "github", "repository": "acme/estate", "token_env": "GH_TOKEN"}


def test_jira_config_is_parsed_with_defaults() -> None:
    raw = {**JIRA, "priorities": {"critical": "Highest"}, "labels": ["compliance"],
           "fields": {"customfield_1": "x"}}  # fmt: skip
    channel = parse_channel("tickets", raw)
    assert isinstance(channel, JiraChannel)
    assert (channel.deployment, channel.issue_type) == ("cloud", "Task")
    assert (channel.close_transition, channel.reopen_transition) == ("Done", "Reopen")
    assert channel.priorities == {"critical": "Highest"}
    assert channel.search_retries == 3
    resolved = resolve_secrets(channel, {"JIRA_EMAIL": "bot@acme.com", "JIRA_TOKEN": "s3cr3t"})
    assert (resolved.email, resolved.token) == ("bot@acme.com", "s3cr3t")
    assert "s3cr3t" not in repr(resolved)


def test_github_config_is_parsed() -> None:
    channel = parse_channel("issues", GITHUB)
    assert isinstance(channel, GitHubChannel)
    assert channel.url == "https://api.github.com"
    assert resolve_secrets(channel, {"GH_TOKEN": "ghp_x"}).token == "ghp_x"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**JIRA, "email_env": "not-a-name"}, "email_env: expected an environment variable name"),
        ({k: v for k, v in JIRA.items() if k != "email_env"}, "'email_env' is a required property"),
        ({**JIRA, "project": "not a key"}, "project: expected a Jira project key"),
        ({**JIRA, "deployment": "server"}, "deployment: expected one of cloud, datacenter"),
        ({**JIRA, "priorities": {"urgent": "P1"}}, "priorities: unknown key 'urgent'"),
        ({**JIRA, "labels": ["has space"]}, "labels[0]: expected a label"),
        ({**JIRA, "fields": {"summary": "x"}}, "fields.summary: set by the channel"),
        ({**JIRA, "search_retries": 50}, "search_retries: must be at most 10"),
        ({**GITHUB, "repository": "nope"}, "repository: expected owner/name"),
        ({**GITHUB, "token": "ghp_literal"}, "unknown key 'token'"),
    ],
)
def test_bad_ticket_config_is_one_line(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_channel("t", raw)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert "ghp_literal" not in text


def test_datacenter_needs_no_email() -> None:
    raw = {k: v for k, v in JIRA.items() if k != "email_env"}
    channel = parse_channel("dc", {**raw, "deployment": "datacenter"})
    assert isinstance(channel, JiraChannel)
    assert resolve_secrets(channel, {"JIRA_TOKEN": "pat"}).token == "pat"


def test_a_missing_token_variable_is_named() -> None:
    channel = parse_channel("issues", GITHUB)
    with pytest.raises(InputError, match="environment variable GH_TOKEN is not set"):
        resolve_secrets(channel, {})


class FakeTracker:
    """Records the calls of the episode flow; `existing` is what a label search finds."""

    def __init__(self, existing: Found | None = None) -> None:
        self.existing = existing
        self.calls: list[tuple[str, str]] = []

    def find(self, label: str) -> Found | None:
        self.calls.append(("find", label))
        return self.existing

    def create(self, event: AlertEvent, label: str) -> str:
        self.calls.append(("create", label))
        return "SEC-7"

    def comment(self, key: str, lines: Sequence[Line]) -> None:
        self.calls.append(("comment", f"{key}:{lines[0][0]}"))

    def close(self, key: str, waived: bool) -> None:
        self.calls.append(("close", f"{key}:{waived}"))

    def reopen(self, key: str) -> None:
        self.calls.append(("reopen", key))


def test_the_episode_flow(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "state.db")) as store:
        tracker = FakeTracker()
        handle(tracker, store, "t", event())
        handle(tracker, store, "t", event())  # a retried delivery: the store knows it
        handle(tracker, store, "t", event(kind="change", scan_id="scan-2", risk=40))
        handle(tracker, store, "t", event(kind="resolve", scan_id="scan-3"))
        handle(tracker, store, "t", event(kind="resolve", scan_id="scan-3"))  # repeated
        handle(tracker, store, "t", event(scan_id="scan-4"))
        assert [c for c, _ in tracker.calls] == [
            "find", "create", "comment", "comment", "close", "reopen", "comment",
        ]  # fmt: skip
        assert tracker.calls[2] == ("comment", "SEC-7:Changed")
        assert tracker.calls[4] == ("close", "SEC-7:False")
        assert tracker.calls[6] == ("comment", "SEC-7:Regressed")


def test_a_ticket_found_by_label_is_adopted_not_created(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "state.db")) as store:
        tracker = FakeTracker(Found("SEC-3", open=True))
        handle(tracker, store, "t", event())
        handle(tracker, store, "t", event(kind="change", risk=10))
        assert [c for c, _ in tracker.calls] == ["find", "comment"]
        closed = FakeTracker(Found("SEC-4", open=False))
        handle(closed, store, "other", event())
        assert [c for c, _ in closed.calls] == ["find", "reopen", "comment"]
        waiver = event(kind="resolve", message="Waived: accepted (owner x)")
        handle(closed, store, "other", waiver)
        assert closed.calls[-1] == ("close", "SEC-4:True")
