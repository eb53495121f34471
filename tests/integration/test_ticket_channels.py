"""Ticket channels against Jira and GitHub doubles on loopback, with a real SQLite store:
one ticket per finding episode, found again by its label, never created twice; and the
real `opa-comply drift` taking tickets through open, fix (close), regress (reopen),
waive (close with the reason), and a run killed right after the create call."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from compliance_opa.alerts.channels import bind_store, parse_channel, resolve_secrets
from compliance_opa.alerts.events import AlertEvent, DeliveryFailed
from compliance_opa.alerts.github import GitHubChannel
from compliance_opa.alerts.jira import JiraChannel
from compliance_opa.domain.identity import dedup_key
from compliance_opa.state import tickets as ticket_store
from compliance_opa.state.store import StateStore, open_store
from tests.conftest import REPO, TEST_STATE_HOME, kill_when, opa_binary
from tests.integration.test_drift_alerts import ORDERS, PATIENTS, Estate, failing, make_estate
from tests.ticket_doubles import GitHubDouble, Issue, JiraDouble, check_adf

EMAIL, JIRA_TOKEN, GH_TOKEN = "bot@example.com", "jira-api-token-secret", "ghp_secretTOKEN0000"
ENV = {"JIRA_EMAIL": EMAIL, "JIRA_TOKEN": JIRA_TOKEN, "GH_TOKEN": GH_TOKEN}


def event(
    kind: str = "trigger", resource: str = "aws_s3_bucket.logs", **changes: Any
) -> AlertEvent:
    return AlertEvent(**{
        "kind": kind, "dedup_key": dedup_key("production", "AWS-S3-001", resource),
        "check_id": "AWS-S3-001", "title": "S3 bucket allows public read", "severity": "critical",
        "risk": 90, "resource": resource, "resource_type": "aws_s3_bucket",
        "message": "bucket is public", "remediation": "Block public access.",
        "controls": {"pci_dss": ["1.3.1"]}, "scope": "production", "scan_id": "scan-1",
        "occurred_at": "2026-12-07T00:00:00Z", **changes,
    })  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with open_store(str(tmp_path / "state.db")) as opened:
        yield opened


@pytest.fixture
def jira() -> Iterator[JiraDouble]:
    with JiraDouble(email=EMAIL, token=JIRA_TOKEN) as double:
        yield double


@pytest.fixture
def github() -> Iterator[GitHubDouble]:
    with GitHubDouble(token=GH_TOKEN) as double:
        yield double


def jira_channel(double: JiraDouble, store: StateStore, **extra: Any) -> JiraChannel:
    raw = {"type": "jira", "url": double.url, "project": "SEC", "email_env": "JIRA_EMAIL",
           "token_env": "JIRA_TOKEN", "priorities": {"critical": "Highest"},
           "labels": ["compliance"], "fields": {"components": [{"name": "cloud"}]},
           "report_url": "https://reports.example.com/{scan_id}", "timeout": 2,
           **extra}  # fmt: skip
    channel = resolve_secrets(parse_channel("jira", raw), ENV)
    assert isinstance(channel, JiraChannel)
    bound = bind_store({"j": channel}, store)["j"]
    assert isinstance(bound, JiraChannel)
    return replace(bound, sleep=lambda _: None)


def github_channel(double: GitHubDouble, store: StateStore) -> GitHubChannel:
    raw = {"type": "github", "url": double.url, "repository": "acme/estate",
           "token_env": "GH_TOKEN", "labels": ["compliance"], "timeout": 2,
           "search_retries": 1, "search_delay": 0.05}  # fmt: skip
    channel = resolve_secrets(parse_channel("gh", raw), ENV)
    assert isinstance(channel, GitHubChannel)
    bound = bind_store({"gh": channel}, store)["gh"]
    assert isinstance(bound, GitHubChannel)
    return bound


def test_jira_cloud_episode_create_close_reopen(jira: JiraDouble, store: StateStore) -> None:
    channel = jira_channel(jira, store)
    opened = event()
    channel.send([opened])
    channel.send([opened])  # a repeated delivery: the store knows the ticket
    assert len(jira.issues) == 1
    issue = jira.issues[0]
    assert issue.key == "SEC-1"
    assert issue.labels == ["compliance", opened.dedup_key]
    assert issue.fields["priority"] == {"name": "Highest"}
    assert issue.fields["issuetype"] == {"name": "Task"}
    assert issue.fields["components"] == [{"name": "cloud"}]
    assert issue.summary == "[critical] S3 bucket allows public read: aws_s3_bucket.logs"
    check_adf(issue.description)
    texts = [n["text"] for p in issue.description["content"] for n in p["content"]]
    assert "https://reports.example.com/scan-1" in texts
    assert "pci_dss: 1.3.1" in texts
    assert ticket_store.lookup(store, "jira", opened.dedup_key) == ticket_store.TicketRecord(
        "SEC-1", "open", "scan-1"
    )
    # The first search went to search/jql (never the removed /search).
    assert jira.calls("POST", "/rest/api/3/search/jql")
    channel.send([event("resolve", scan_id="scan-2")])
    assert issue.transitions == ["Done"]
    assert not issue.open
    assert "Fixed" in str(issue.comments[-1])
    channel.send([event(scan_id="scan-3")])
    assert issue.transitions == ["Done", "Reopen"]
    assert issue.open
    assert "Regressed" in str(issue.comments[-1])
    assert len(jira.issues) == 1
    assert jira.errors == []


def test_jira_finds_a_ticket_by_label_across_pages_after_a_lagging_search(
    jira: JiraDouble, store: StateStore
) -> None:
    opened = event()
    # Two tickets already carry the label (someone copied one): both pages are read
    # (nextPageToken), the oldest is chosen.
    for number in (1, 2):
        jira.issues.append(Issue(number, f"SEC-{number}", "x", None, [opened.dedup_key], {}))
    jira_channel(jira, store).send([opened])
    assert len(jira.issues) == 2
    tokens = [s.body.get("nextPageToken") for s in jira.calls("POST", "/rest/api/3/search/jql")]
    assert tokens == [None, "page-1"]
    assert ticket_store.lookup(store, "jira", opened.dedup_key).ticket == "SEC-1"  # type: ignore[union-attr]
    assert jira.errors == []


def test_jira_retries_a_search_that_has_not_seen_the_ticket_yet(
    jira: JiraDouble, store: StateStore
) -> None:
    opened = event()
    jira.issues.append(Issue(1, "SEC-1", "x", None, [opened.dedup_key], {}))
    jira.miss_next_search()
    jira_channel(jira, store).send([opened])
    assert len(jira.calls("POST", "/rest/api/3/search/jql")) == 2
    assert len(jira.issues) == 1
    assert ticket_store.lookup(store, "jira", opened.dedup_key).ticket == "SEC-1"  # type: ignore[union-attr]


def test_jira_search_retries_are_bounded_then_it_creates(
    jira: JiraDouble, store: StateStore
) -> None:
    jira_channel(jira, store, search_retries=2).send([event()])
    assert len(jira.calls("POST", "/rest/api/3/search/jql")) == 3
    assert len(jira.issues) == 1


def test_jira_failures_classify(jira: JiraDouble, store: StateStore) -> None:
    channel = jira_channel(jira, store)
    jira.fail_next(429, {"Retry-After": "7"})
    with pytest.raises(DeliveryFailed) as limited:
        channel.send([event()])
    assert (limited.value.permanent, limited.value.retry_after) == (False, 7.0)
    jira.fail_next(500)
    with pytest.raises(DeliveryFailed) as broken:
        channel.send([event()])
    assert not broken.value.permanent
    jira.fail_next(403)
    with pytest.raises(DeliveryFailed) as refused:
        channel.send([event()])
    assert refused.value.permanent
    assert JIRA_TOKEN not in str(refused.value.detail)
    channel.send([event()])
    assert len(jira.issues) == 1


def test_jira_a_missing_transition_is_permanent(jira: JiraDouble, store: StateStore) -> None:
    channel = jira_channel(jira, store, close_transition="Resolve")
    channel.send([event()])
    with pytest.raises(DeliveryFailed, match=r"no transition 'Resolve'.*Done") as caught:
        channel.send([event("resolve")])
    assert caught.value.permanent


def test_jira_data_center_v2_bearer_and_wiki(store: StateStore) -> None:
    with JiraDouble(token="dc-pat", deployment="datacenter") as dc:
        raw = {"type": "jira", "deployment": "datacenter", "url": dc.url, "project": "SEC",
               "token_env": "PAT"}  # fmt: skip
        channel = resolve_secrets(parse_channel("dc", raw), {"PAT": "dc-pat"})
        channel = bind_store({"dc": channel}, store)["dc"]
        channel.send([event(message="*bold* [link|http://x]")])
        channel.send([event("resolve")])
        issue = dc.issues[0]
        assert isinstance(issue.description, str)
        assert "\\*bold\\* \\[link\\|http://x\\]" in issue.description
        assert not issue.open
        assert dc.errors == []


def test_github_episode_close_waive_reopen(github: GitHubDouble, store: StateStore) -> None:
    channel = github_channel(github, store)
    channel.send([event(message="@octocat <!-- x -->")])
    assert len(github.issues) == 1
    issue = github.issues[0]
    assert "@octocat" not in issue.description
    assert "&lt;!--" in issue.description
    assert sorted(issue.labels) == sorted(["compliance", event().dedup_key])
    channel.send([event("resolve", message="Waived: migration in Q1 (owner payments)")])
    assert (issue.open, issue.state_reason) == (False, "not_planned")
    assert "migration in Q1" in issue.comments[-1]
    channel.send([event(scan_id="scan-3")])
    assert (issue.open, issue.state_reason) == (True, "reopened")
    channel.send([event("resolve", scan_id="scan-4")])
    assert issue.state_reason == "completed"
    assert github.errors == []


def test_github_finds_by_label_skipping_pull_requests(github: GitHubDouble, tmp_path: Path) -> None:
    with open_store(str(tmp_path / "first.db")) as first:
        github_channel(github, first).send([event()])
    github.miss_next_search()  # a lagging answer (a caching proxy): searched again
    with open_store(str(tmp_path / "second.db")) as second:
        github_channel(github, second).send([event()])
        assert ticket_store.lookup(second, "gh", event().dedup_key).ticket == "1"  # type: ignore[union-attr]
    assert len(github.issues) == 1
    pages = [s.path for s in github.calls("GET", r"/repos/acme/estate/issues\?.*")]
    assert any("page=2" in p for p in pages)
    assert github.errors == []


# --- the real CLI -------------------------------------------------------------------------


def ticketing(tmp_path: Path, jira: JiraDouble, github: GitHubDouble) -> Estate:
    channels = {
        "jira": {"type": "jira", "url": jira.url, "project": "SEC", "email_env": "JIRA_EMAIL",
                 "token_env": "JIRA_TOKEN", "search_retries": 2, "search_delay": 0.1,
                 "timeout": 3},
        "issues": {"type": "github", "url": github.url, "repository": "acme/estate",
                   "token_env": "GH_TOKEN", "search_retries": 1, "search_delay": 0.1,
                   "timeout": 3},
    }  # fmt: skip
    rules = [{"name": "tickets", "match": {"check": ["AWS-RDS-001"]},
              "channels": ["jira", "issues"]}]  # fmt: skip
    estate = make_estate(tmp_path, channels, rules)
    estate.resource(PATIENTS)["attributes"]["storage_encrypted"] = False
    estate.write()
    estate.env = dict(ENV)
    return estate


def by_label(issues: list[Issue], key: str) -> list[Issue]:
    return [i for i in issues if key in i.labels]


def test_drift_opens_fixes_regresses_and_waives_tickets(
    tmp_path: Path, jira: JiraDouble, github: GitHubDouble
) -> None:
    estate = ticketing(tmp_path, jira, github)
    jira.fail_next(429, {"Retry-After": "1"})
    github.fail_next(500)
    first = estate.drift()
    assert first.code == 0, first.stderr
    rds = {(c, r) for c, r in failing(first) if c == "AWS-RDS-001"}
    assert {r for _, r in rds} == {ORDERS, PATIENTS}
    orders, patients = (dedup_key("production", "AWS-RDS-001", r) for r in (ORDERS, PATIENTS))
    for double in (jira, github):
        assert len(double.issues) == 2
        assert len(by_label(double.issues, orders)) == len(by_label(double.issues, patients)) == 1
    assert "0 dead" in first.stderr

    # Nothing changed: nothing is created.
    assert estate.drift().code == 0
    assert (len(jira.issues), len(github.issues)) == (2, 2)
    assert all(not i.comments for i in [*jira.issues, *github.issues])

    # Changed (now staging: a lower risk): the open tickets get a comment, once.
    estate.resource(ORDERS)["environment"] = "staging"
    estate.write()
    assert estate.drift().code == 0
    assert estate.drift().code == 0
    for issue in (*by_label(jira.issues, orders), *by_label(github.issues, orders)):
        assert len(issue.comments) == 1
        assert "Changed" in str(issue.comments[0])
        assert issue.open
    assert all(not i.comments for i in (*by_label(jira.issues, patients),
                                        *by_label(github.issues, patients)))  # fmt: skip
    assert (len(jira.issues), len(github.issues)) == (2, 2)

    # Fixed: the orders tickets close.
    estate.resource(ORDERS)["attributes"]["storage_encrypted"] = True
    estate.write()
    assert estate.drift().code == 0
    (j_orders,) = by_label(jira.issues, orders)
    (g_orders,) = by_label(github.issues, orders)
    assert (j_orders.open, j_orders.transitions) == (False, ["Done"])
    assert (g_orders.open, g_orders.state_reason) == (False, "completed")

    # Regressed: the same tickets reopen, none is created.
    estate.resource(ORDERS)["attributes"]["storage_encrypted"] = False
    estate.write()
    assert estate.drift().code == 0
    assert (j_orders.open, j_orders.transitions) == (True, ["Done", "Reopen"])
    assert (g_orders.open, g_orders.state_reason) == (True, "reopened")
    assert (len(jira.issues), len(github.issues)) == (2, 2)

    # Waived: the patients tickets close with the waiver's reason.
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(yaml.safe_dump({"waivers": [{
        "check": "AWS-RDS-001", "resource": PATIENTS, "reason": "re-encrypting in Q1",
        "owner": "payments", "approver": "ciso@example.com", "ticket": "SEC-9",
        "expires": time.strftime("%Y-%m-%d", time.gmtime()),
    }]}))  # fmt: skip
    assert estate.drift("--waivers", waivers).code == 0
    (g_patients,) = by_label(github.issues, patients)
    (j_patients,) = by_label(jira.issues, patients)
    assert (g_patients.open, g_patients.state_reason) == (False, "not_planned")
    assert "re-encrypting in Q1" in g_patients.comments[-1]
    assert "re-encrypting in Q1" in str(j_patients.comments[-1])
    assert not j_patients.open
    assert jira.errors == []
    assert github.errors == []
    assert JIRA_TOKEN not in first.stderr
    assert GH_TOKEN not in first.stderr


def test_a_run_killed_after_creating_a_ticket_creates_no_second(
    tmp_path: Path, jira: JiraDouble, github: GitHubDouble
) -> None:
    estate = ticketing(tmp_path, jira, github)
    jira.hang_after_create()
    command = [
        sys.executable, "-m", "compliance_opa", "drift", str(estate.snapshot), "--config",
        str(estate.config), "--state", str(estate.state), "--format", "json", "--fail-on", "none",
    ]  # fmt: skip
    env = {**os.environ, "OPA_BINARY": str(opa_binary()), "XDG_STATE_HOME": TEST_STATE_HOME,
           **estate.env}  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    kill_when(process, lambda: len(jira.issues) >= 1, "Jira has created the first issue")
    jira.release.set()
    created = len(jira.issues)
    assert created == 1
    jira.miss_next_search()  # Jira Cloud's search has not indexed it yet
    again = estate.drift()
    assert again.code == 0, again.stderr
    assert len(jira.issues) == 2  # the other finding's ticket, and no second first one
    labels = [label for i in jira.issues for label in i.labels]
    assert len(labels) == len(set(labels))
    assert len(github.issues) == 2
    assert jira.errors == []
    assert github.errors == []
