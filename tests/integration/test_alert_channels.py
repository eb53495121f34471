"""Alert channels against real receivers on loopback: what arrives, and how failures classify."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, TypeVar

import pytest
import yaml

from compliance_opa.alerts.channels import (
    CHANNEL_SCHEMA,
    Channel,
    EmailChannel,
    PagerDutyChannel,
    SlackChannel,
    WebhookChannel,
    parse_channel,
    parse_channels,
    recipients,
    resolve_secrets,
)
from compliance_opa.alerts.events import AlertEvent, DeliveryFailed, EventKind
from compliance_opa.alerts.webhook import parse_retry_after, verify_signature
from compliance_opa.errors import InputError
from tests.receivers import HttpReceiver, Reply, SmtpReceiver

SLACK_PATH = "/services/T0001/B0002/sl4ckS3cretPath"
ROUTING_KEY = "R0UTINGKEYsecret0000000000000000"
HMAC_SECRET = "whsec-0123456789abcdef"
SMTP_PASSWORD = "smtp-p4ssw0rd-secret"

DOCUMENTED = """
alerts:
  channels:
    security-slack: {type: slack, url_env: SLACK_WEBHOOK_URL}
    oncall: {type: pagerduty, routing_key_env: PAGERDUTY_ROUTING_KEY}
    siem: {type: webhook, url: https://siem.example.com/hooks/opa,
           secret_env: OPA_COMPLY_WEBHOOK_SECRET}
    owners-mail: {type: email, host: smtp.example.com, port: 587, starttls: true,
                  username_env: SMTP_USER, password_env: SMTP_PASSWORD,
                  sender: compliance@example.com, to: [secops@example.com], to_owner: true,
                  owners: {payments: payments-team@example.com}}
"""


def event(number: int = 0, kind: EventKind = "trigger", **changes: Any) -> AlertEvent:
    base = AlertEvent(
        kind="trigger",
        dedup_key=f"prod:aws.s3.public_read:bucket-{number}",
        check_id="aws.s3.public_read",
        title="S3 bucket allows public read",
        severity="high",
        risk=50 + number % 50,
        resource=f"arn:aws:s3:::bucket-{number}",
        resource_type="aws_s3_bucket",
        message=f"Bucket bucket-{number} grants READ to AllUsers",
        remediation="Enable the bucket's public access block",
        controls={"PCI DSS": ["1.3.1"], "GDPR": ["Art. 32"]},
        scope="prod",
        scan_id="scan-1",
        occurred_at="2025-05-01T10:00:00Z",
        owner="payments",
    )
    return replace(base, kind=kind, **changes)


@pytest.fixture
def http() -> Iterator[HttpReceiver]:
    with HttpReceiver(default_status=200) as receiver:
        yield receiver


Kind = TypeVar("Kind", SlackChannel, PagerDutyChannel, WebhookChannel, EmailChannel)


def configured(kind: type[Kind], raw: dict[str, Any], environ: dict[str, str]) -> Kind:
    """A channel as the CLI would build it: parsed from config, secrets resolved."""
    channel = resolve_secrets(parse_channel("test-channel", raw), environ)
    assert isinstance(channel, kind)
    return channel


def slack(receiver: HttpReceiver, timeout: float = 2.0) -> SlackChannel:
    raw = {"type": "slack", "url_env": "SLACK_URL", "timeout": timeout}
    return configured(SlackChannel, raw, {"SLACK_URL": receiver.url + SLACK_PATH})


def pagerduty(receiver: HttpReceiver) -> PagerDutyChannel:
    raw = {"type": "pagerduty", "routing_key_env": "PD_KEY", "url": receiver.url + "/v2/enqueue"}
    return configured(PagerDutyChannel, raw, {"PD_KEY": ROUTING_KEY})


def webhook(receiver: HttpReceiver) -> WebhookChannel:
    raw = {"type": "webhook", "url": receiver.url + "/hooks/opa", "secret_env": "HOOK_SECRET"}
    return configured(WebhookChannel, raw, {"HOOK_SECRET": HMAC_SECRET})


def failure(channel: Channel, *events: AlertEvent) -> DeliveryFailed:
    with pytest.raises(DeliveryFailed) as caught:
        channel.send(list(events) or [event()], None)
    assert "\n" not in caught.value.detail
    return caught.value


# --- configuration ------------------------------------------------------------------------


def test_the_documented_example_parses_into_one_channel_per_type() -> None:
    channels = parse_channels(yaml.safe_load(DOCUMENTED)["alerts"]["channels"])
    assert {name: type(c).__name__ for name, c in channels.items()} == {
        "security-slack": "SlackChannel",
        "oncall": "PagerDutyChannel",
        "siem": "WebhookChannel",
        "owners-mail": "EmailChannel",
    }
    assert [c.batches for c in channels.values()] == [True, False, False, True]
    mail = channels["owners-mail"]
    assert isinstance(mail, EmailChannel)
    assert (mail.port, mail.starttls, mail.tls, mail.to) == (
        587,
        True,
        False,
        ("secops@example.com",),
    )
    assert CHANNEL_SCHEMA["$schema"].startswith("http://json-schema.org/draft-07")


def test_resolved_secrets_stay_out_of_reprs() -> None:
    channels = parse_channels(yaml.safe_load(DOCUMENTED)["alerts"]["channels"])
    environ = {
        "SLACK_WEBHOOK_URL": "https://hooks.slack.com" + SLACK_PATH,
        "PAGERDUTY_ROUTING_KEY": ROUTING_KEY,
        "OPA_COMPLY_WEBHOOK_SECRET": HMAC_SECRET,
        "SMTP_USER": "alerts",
        "SMTP_PASSWORD": SMTP_PASSWORD + "\n",
    }
    resolved = {name: resolve_secrets(c, environ) for name, c in channels.items()}
    mail = resolved["owners-mail"]
    assert isinstance(mail, EmailChannel)
    assert (mail.username, mail.password) == ("alerts", SMTP_PASSWORD)
    text = repr(resolved)
    for secret in (SLACK_PATH, ROUTING_KEY, HMAC_SECRET, SMTP_PASSWORD):
        assert secret not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"type": "pagerduty", "routing_key_env": 123},
            "alerts.channels.oncall: routing_key_env: expected string",
        ),
        (
            {"type": "pagerduty", "routing_key_env": "K", "routng_key": ROUTING_KEY},
            "alerts.channels.oncall: unknown key 'routng_key' (known: routing_key_env, timeout,"
            " type, url)",
        ),
        (
            {"type": "slack", "url": "https://hooks.slack.com" + SLACK_PATH, "url_env": "X"},
            "alerts.channels.oncall: exactly one of url, url_env is required",
        ),
        ({"type": "slack"}, "alerts.channels.oncall: exactly one of url, url_env is required"),
        (
            {"type": "slack", "url": "hooks.slack.com" + SLACK_PATH},
            "alerts.channels.oncall: url: expected an http(s) URL",
        ),
        (
            {"type": "slack", "url_env": "X", "timeout": 500},
            "alerts.channels.oncall: timeout: must be at most 120",
        ),
        (
            {"type": "sms"},
            "alerts.channels.oncall: type: expected one of slack, pagerduty, webhook, email, jira,"
            " github",
        ),
        (
            {"type": "email", "host": "h", "sender": "a@b.c", "to": [f"{ROUTING_KEY}"]},
            "alerts.channels.oncall: to[0]: expected an e-mail address",
        ),
        (
            {
                "type": "email",
                "host": "h",
                "sender": "a@b.c",
                "to": ["x@y.z"],
                "starttls": False,
                "username": "u",
                "password_env": "P",
            },
            "alerts.channels.oncall: refusing to send a password over plain SMTP"
            " (set starttls or tls, or allow_insecure: true)",
        ),
        (
            {
                "type": "email",
                "host": "h",
                "sender": "a@b.c",
                "to": ["x@y.z"],
                "tls": True,
                "starttls": True,
            },
            "alerts.channels.oncall: tls (implicit TLS) and starttls are exclusive",
        ),
        (
            {"type": "email", "host": "h", "sender": "a@b.c", "to": ["x@y.z"], "username": "u"},
            "alerts.channels.oncall: 'password_env' is a dependency of 'username'",
        ),
        ([], "alerts.channels.oncall: expected a mapping"),
    ],
)
def test_config_errors_are_one_line_and_never_echo_values(raw: Any, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_channel("oncall", raw)
    message = str(caught.value)
    assert message == expected
    assert ROUTING_KEY not in message
    assert "sl4ckS3cret" not in message


def test_plain_smtp_with_a_password_needs_allow_insecure() -> None:
    raw = {
        "type": "email",
        "host": "h",
        "sender": "a@b.c",
        "to": ["x@y.z"],
        "starttls": False,
        "username_env": "U",
        "password_env": "P",
        "allow_insecure": True,
    }
    channel = parse_channel("mail", raw)
    assert isinstance(channel, EmailChannel)
    assert (channel.starttls, channel.tls, channel.port) == (False, False, 25)


def test_a_missing_or_bad_environment_variable_names_the_variable_not_the_value() -> None:
    oncall = parse_channel("oncall", {"type": "pagerduty", "routing_key_env": "PD_KEY"})
    with pytest.raises(InputError) as caught:
        resolve_secrets(oncall, {})
    assert str(caught.value) == ("alerts.channels.oncall: environment variable PD_KEY is not set")
    hook = parse_channel("siem", {"type": "webhook", "url_env": "URL", "secret_env": "S"})
    with pytest.raises(InputError) as caught:
        resolve_secrets(hook, {"URL": ROUTING_KEY, "S": HMAC_SECRET})
    assert str(caught.value) == (
        "alerts.channels.siem: environment variable URL is not an http(s) URL"
    )
    with pytest.raises(RuntimeError, match="resolve_secrets"):
        oncall.send([event()], None)


# --- Slack --------------------------------------------------------------------------------


def test_slack_sends_one_readable_escaped_message_per_batch(http: HttpReceiver) -> None:
    opened = [event(n) for n in range(23)]
    opened[5] = event(
        5, risk=99, severity="critical", title="Public <!channel> & <b>", owner="team <@U123>"
    )
    resolved = [event(100, "resolve"), event(101, "resolve")]
    slack(http).send(opened + resolved, None)
    (request,) = http.wait_for(1)
    assert request.path == SLACK_PATH
    message = request.json
    assert message["text"] == "opa-comply: 23 new findings, 2 resolved in scope prod"
    blocks = message["blocks"]
    assert blocks[0]["text"]["text"] == "opa-comply: 23 new findings, 2 resolved in scope prod"
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    findings, resolved_text = sections[:-1], sections[-1]
    assert len(findings) == 20
    assert findings[0].startswith(":red_circle: *CRITICAL* · risk 99 · `aws.s3.public_read`")
    assert "Public &lt;!channel&gt; &amp; &lt;b&gt;" in findings[0]
    assert "*Owner:* team &lt;@U123&gt;" in findings[0]
    assert "*Resource:* arn:aws:s3:::bucket-5 (aws_s3_bucket)" in findings[0]
    assert "Bucket bucket-5 grants READ to AllUsers" in findings[0]
    assert "<!channel>" not in request.body.decode()
    more = [b for b in blocks if b["type"] == "context"]
    assert more[0]["elements"][0]["text"] == "…and 3 more new findings"
    assert resolved_text.startswith("*Resolved (2)*")
    assert "arn:aws:s3:::bucket-100" in resolved_text
    assert "arn:aws:s3:::bucket-101" in resolved_text


def test_slack_only_resolved_findings(http: HttpReceiver) -> None:
    slack(http).send([event(1, "resolve")], None)
    (request,) = http.wait_for(1)
    assert request.json["text"] == "opa-comply: 1 finding resolved in scope prod"


def test_a_server_error_is_transient_and_hides_the_webhook_path(http: HttpReceiver) -> None:
    http.script(Reply(500, body=f"boom at {SLACK_PATH}".encode()))
    failed = failure(slack(http))
    assert not failed.permanent
    assert failed.retry_after is None
    assert failed.detail.startswith(f"{http.url}: HTTP 500: boom at (secret)")
    assert "sl4ckS3cret" not in failed.detail


def test_too_many_requests_is_transient_with_retry_after(http: HttpReceiver) -> None:
    http.script(Reply(429, headers={"Retry-After": "1"}, body=b"rate_limited"))
    failed = failure(slack(http))
    assert (failed.permanent, failed.retry_after) == (False, 1.0)
    assert failed.detail == f"{http.url}: HTTP 429: rate_limited"


def test_retry_after_as_an_http_date_is_capped() -> None:
    now = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert parse_retry_after(format_datetime(now + timedelta(days=1), usegmt=True), now) == 3600
    assert parse_retry_after("7200") == 3600
    assert parse_retry_after("soon") is None


def test_a_timeout_is_transient(http: HttpReceiver) -> None:
    http.script("timeout")
    started = time.monotonic()
    failed = failure(slack(http, timeout=0.3))
    assert time.monotonic() - started < 1.5
    assert not failed.permanent
    assert failed.detail == f"{http.url}: timed out after 0.3s"


def test_a_client_error_is_permanent_with_the_body_excerpt(http: HttpReceiver) -> None:
    http.script(Reply(400, body=b"invalid_payload " + b"x" * 500))
    failed = failure(slack(http))
    assert failed.permanent
    assert failed.detail.startswith(f"{http.url}: HTTP 400: invalid_payload xxx")
    assert len(failed.detail) < len(http.url) + 230


def test_redirects_are_not_followed(http: HttpReceiver) -> None:
    http.script(Reply(302, headers={"Location": http.url + "/elsewhere"}))
    failed = failure(slack(http))
    assert failed.permanent
    assert "redirects are not followed" in failed.detail
    assert [r.path for r in http.requests] == [SLACK_PATH]


def test_connection_refused_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    channel = resolve_secrets(
        parse_channel("s", {"type": "slack", "url": f"http://127.0.0.1:{port}{SLACK_PATH}"}), {}
    )
    failed = failure(channel)
    assert not failed.permanent
    assert failed.detail == f"http://127.0.0.1:{port}: connection refused"


# --- PagerDuty ----------------------------------------------------------------------------


def test_pagerduty_triggers_and_resolves_with_the_same_dedup_key() -> None:
    severities = ["critical", "high", "medium", "low", "info"]
    triggers = [event(n, severity=s, title="T" * 2000) for n, s in enumerate(severities)]
    with HttpReceiver(default_status=202, default_body=b'{"status":"success"}') as receiver:
        channel = pagerduty(receiver)
        channel.send(triggers, None)
        channel.send([event(0, "resolve")], None)
        requests = receiver.wait_for(6)
    bodies = [r.json for r in requests]
    assert {r.path for r in requests} == {"/v2/enqueue"}
    assert [b["payload"]["severity"] for b in bodies[:5]] == [
        "critical",
        "error",
        "warning",
        "info",
        "info",
    ]
    first = bodies[0]
    assert first["routing_key"] == ROUTING_KEY
    assert first["event_action"] == "trigger"
    assert first["dedup_key"] == "prod:aws.s3.public_read:bucket-0"
    payload = first["payload"]
    assert len(payload["summary"]) == 1024
    assert payload["summary"].startswith("[CRITICAL] aws.s3.public_read: TTT")
    assert (payload["source"], payload["component"], payload["group"], payload["class"]) == (
        "arn:aws:s3:::bucket-0",
        "aws_s3_bucket",
        "prod",
        "aws.s3.public_read",
    )
    assert payload["custom_details"]["remediation"] == "Enable the bucket's public access block"
    assert payload["custom_details"]["controls"] == {"PCI DSS": ["1.3.1"], "GDPR": ["Art. 32"]}
    assert bodies[5] == {
        "routing_key": ROUTING_KEY,
        "event_action": "resolve",
        "dedup_key": "prod:aws.s3.public_read:bucket-0",
    }


def test_pagerduty_rejection_blanks_an_echoed_routing_key() -> None:
    with HttpReceiver(default_status=202) as receiver:
        receiver.script(Reply(400, body=f'{{"message":"bad key {ROUTING_KEY}"}}'.encode()))
        failed = failure(pagerduty(receiver))
    assert failed.permanent
    assert failed.detail == f'{receiver.url}: HTTP 400: {{"message":"bad key (secret)"}}'


# --- generic webhook ----------------------------------------------------------------------


def test_webhook_signs_each_event_and_sends_an_idempotency_key(http: HttpReceiver) -> None:
    opened, closed = event(1), event(2, "resolve")
    before = int(time.time())
    webhook(http).send([opened, closed], None)
    first, second = http.wait_for(2)
    for request, sent, name in (
        (first, opened, "finding.opened"),
        (second, closed, "finding.resolved"),
    ):
        headers = request.headers
        assert headers["content-type"] == "application/json"
        key = f"{sent.dedup_key}:{sent.kind}:{sent.scan_id}"
        assert headers["idempotency-key"] == key
        assert request.json == {"event": name, "idempotency_key": key, "finding": sent.as_json()}
        timestamp = headers["x-opa-comply-timestamp"]
        assert before <= int(timestamp) <= time.time()
        signature = headers["x-opa-comply-signature"]
        assert re.fullmatch(r"sha256=[0-9a-f]{64}", signature)
        assert verify_signature(HMAC_SECRET, timestamp, request.body, signature)
        assert not verify_signature(HMAC_SECRET, timestamp, request.body + b" ", signature)
        assert not verify_signature(HMAC_SECRET, int(timestamp) + 1, request.body, signature)
        assert not verify_signature("other-secret", timestamp, request.body, signature)


# --- e-mail -------------------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver(username="alerts", password=SMTP_PASSWORD) as receiver:
        yield receiver


def mail_channel(
    receiver: SmtpReceiver, password: str = SMTP_PASSWORD, **extra: Any
) -> EmailChannel:
    raw = {
        "type": "email",
        "host": receiver.host,
        "port": receiver.port,
        "username_env": "SMTP_USER",
        "password_env": "SMTP_PASSWORD",
        "sender": "compliance@example.com",
        "to": ["secops@example.com", "audit@example.com"],
        "to_owner": True,
        "owners": {"payments": "payments-team@example.com"},
        "ca_bundle": str(receiver.ca_path),
        "timeout": 3,
        **extra,
    }
    return configured(EmailChannel, raw, {"SMTP_USER": "alerts", "SMTP_PASSWORD": password})


def test_email_goes_to_owners_over_starttls_with_auth(smtp: SmtpReceiver) -> None:
    channel = mail_channel(smtp)
    events = [
        event(1, owner="payments", severity="medium"),
        event(2, owner="payments", severity="critical", risk=97),
        event(3, owner="alice@example.com"),
        event(4, owner="unknown-team"),
        event(5, "resolve", owner=None),
    ]
    groups: dict[str | None, list[AlertEvent]] = {}
    for item in events:
        for to in recipients(channel, item):
            groups.setdefault(to, []).append(item)
    assert sorted(g for g in groups if g) == [
        "alice@example.com",
        "audit@example.com",
        "payments-team@example.com",
        "secops@example.com",
    ]
    for to, batch in groups.items():
        channel.send(batch, to)
    mails = {m.rcpt_tos[0]: m for m in smtp.wait_for(4)}
    assert all(m.tls and m.login == "alerts" and len(m.rcpt_tos) == 1 for m in mails.values())
    payments = mails["payments-team@example.com"].message
    assert payments["Subject"] == "opa-comply: 2 new findings (highest: critical) in prod"
    assert payments["From"] == "compliance@example.com"
    assert payments["To"] == "payments-team@example.com"
    text = payments.get_content()
    assert text.index("arn:aws:s3:::bucket-2") < text.index("arn:aws:s3:::bucket-1")
    for expected in (
        "[CRITICAL] risk 97 -- aws.s3.public_read: S3 bucket allows public read",
        "Message:     Bucket bucket-2 grants READ to AllUsers",
        "Remediation: Enable the bucket's public access block",
    ):
        assert expected in text
    fallback = mails["secops@example.com"].message
    assert fallback["Subject"] == ("opa-comply: 1 new finding (highest: high), 1 resolved in prod")
    assert "Resolved (1)" in fallback.get_content()
    assert "arn:aws:s3:::bucket-5" in fallback.get_content()
    assert mails["alice@example.com"].message["To"] == "alice@example.com"


def test_the_same_batch_gets_the_same_message_id(smtp: SmtpReceiver) -> None:
    channel = mail_channel(smtp)
    batch = [event(1), event(2)]
    channel.send(batch, "secops@example.com")
    channel.send(list(reversed(batch)), "secops@example.com")
    channel.send([event(1), event(2, scan_id="scan-2")], "secops@example.com")
    first, second, later = (m.message["Message-ID"] for m in smtp.wait_for(3))
    assert first == second != later
    assert first.endswith("@example.com>")


def test_a_refused_recipient_is_permanent(smtp: SmtpReceiver) -> None:
    smtp.refuse("gone@example.com", "550 5.1.1 no such user")
    with pytest.raises(DeliveryFailed) as caught:
        mail_channel(smtp).send([event()], "gone@example.com")
    assert caught.value.permanent
    assert caught.value.detail == (
        f"smtp://127.0.0.1:{smtp.port}: recipient gone@example.com refused: 550 5.1.1 no such user"
    )
    assert smtp.messages == []


def test_a_temporary_refusal_is_transient(smtp: SmtpReceiver) -> None:
    smtp.fail_data("451 4.3.0 try again later")
    with pytest.raises(DeliveryFailed) as caught:
        mail_channel(smtp).send([event()], "secops@example.com")
    assert not caught.value.permanent
    assert "451 4.3.0 try again later" in caught.value.detail
    smtp.refuse("busy@example.com", "452 4.2.2 mailbox full")
    with pytest.raises(DeliveryFailed) as caught:
        mail_channel(smtp).send([event()], "busy@example.com")
    assert not caught.value.permanent


def test_a_wrong_password_is_permanent_and_not_shown(smtp: SmtpReceiver) -> None:
    with pytest.raises(DeliveryFailed) as caught:
        mail_channel(smtp, password="wrong-" + SMTP_PASSWORD).send([event()], None)
    assert caught.value.permanent
    assert "authentication refused: 535" in caught.value.detail
    assert SMTP_PASSWORD not in caught.value.detail
    assert smtp.messages == []


def test_an_untrusted_certificate_is_refused(smtp: SmtpReceiver) -> None:
    channel = replace(mail_channel(smtp), ca_bundle=None)
    with pytest.raises(DeliveryFailed) as caught:
        channel.send([event()], None)
    assert "TLS certificate not trusted" in caught.value.detail
    assert smtp.messages == []


def test_smtp_connection_refused_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    raw = {
        "type": "email",
        "host": "127.0.0.1",
        "port": port,
        "sender": "a@example.com",
        "to": ["b@example.com"],
    }
    with pytest.raises(DeliveryFailed) as caught:
        resolve_secrets(parse_channel("mail", raw), {}).send([event()], None)
    assert not caught.value.permanent
    assert caught.value.detail == f"smtp://127.0.0.1:{port}: connection refused"


def test_only_email_has_per_event_recipients() -> None:
    channel = parse_channel("s", {"type": "slack", "url": "https://hooks.example.com/x"})
    assert recipients(channel, event()) == [None]


def test_email_over_implicit_tls() -> None:
    with SmtpReceiver(username="alerts", password=SMTP_PASSWORD, implicit_tls=True) as receiver:
        channel = mail_channel(receiver, tls=True)
        assert (channel.tls, channel.starttls) == (True, False)
        channel.send([event(1)], None)
        (mail,) = receiver.wait_for(1)
    assert (mail.tls, mail.login) == (True, "alerts")
    assert mail.rcpt_tos == ["secops@example.com", "audit@example.com"]
    assert mail.message["To"] == "secops@example.com, audit@example.com"
