"""Alert channels: their configuration, checked against CHANNEL_SCHEMA, and the registry.

```yaml
alerts:
  channels:
    security-slack: {type: slack, url_env: SLACK_WEBHOOK_URL}
    oncall: {type: pagerduty, routing_key_env: PAGERDUTY_ROUTING_KEY}
    siem: {type: webhook, url: https://siem.example.com/hooks/opa,
           secret_env: OPA_COMPLY_WEBHOOK_SECRET}
    owners-mail: {type: email, host: smtp.example.com, port: 587,
                  username_env: SMTP_USER, password_env: SMTP_PASSWORD,
                  sender: compliance@example.com, to: [secops@example.com],
                  to_owner: true, owners: {payments: payments-team@example.com}}
    tickets: {type: jira, url: https://acme.atlassian.net, project: SEC,
              email_env: JIRA_EMAIL, token_env: JIRA_API_TOKEN, issue_type: Bug,
              priorities: {critical: Highest, high: High}, labels: [compliance],
              close_transition: Done, reopen_transition: Reopen,
              fields: {components: [{name: cloud}]},
              report_url: "https://reports.example.com/{scan_id}"}
    issues: {type: github, repository: acme/estate, token_env: GITHUB_TOKEN,
             labels: [compliance]}
```

Every channel takes `timeout` (seconds per network operation, default 10, 0.1..120).
slack: exactly one of `url` / `url_env`. pagerduty: `routing_key_env`, optional `url`
(default the Events API v2 endpoint). webhook: exactly one of `url` / `url_env`, and
`secret_env` (the HMAC key). email: `host`, `sender`, `to`, optional `port` (465 with
`tls`, else 587, or 25 without TLS), `starttls` (default true unless `tls`), `tls`,
`username` or `username_env` with `password_env`, `to_owner`, `owners`, `ca_bundle`,
`allow_insecure` (needed to send a password without TLS).

Ticket channels (compliance_opa/alerts/tickets.py has the episode flow) open one ticket
per finding episode, comment when the open finding changes, close it when a drift scan
verifies it fixed or waived (with the waiver's reason) and reopen it on regression; the
finding -> ticket mapping is in the state store. jira: `url`, `project`, `token_env`;
`deployment` cloud (default: REST v3, ADF bodies, basic auth with `email_env` and the API
token) or datacenter (REST v2, wiki text, the personal access token as bearer);
`issue_type` (Task), `priorities` (severity -> priority name), `labels`,
`close_transition` (Done), `reopen_transition` (Reopen), `fields` (static extra fields,
not project/issuetype/summary/description/labels), `report_url` (`{scan_id}` replaced),
`search_retries` (3) and `search_delay` (1 s): how often to search for the fingerprint
label again before creating (Jira Cloud's search is eventually consistent). github:
`repository` (owner/name), `token_env`, optional `url` (default the public API, or a
GitHub Enterprise `https://host/api/v3`), `labels`, `report_url`, `search_retries` (0).

Secrets are resolved in two steps. `parse_channel` checks the configuration only and
keeps the *names* of the environment variables, so a config check needs no secrets.
`resolve_secrets(channel, environ)` reads them when the channel is about to send and
returns a copy holding them (fields with repr=False, never printed); a channel's
`send` refuses to run before that. Errors are one-line InputErrors that name the key
and never echo a value: config values and environment values may be secrets.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import jsonschema
from jsonschema.exceptions import best_match

from compliance_opa.errors import InputError

# The channel implementations (HTTP sessions, SMTP, Markdown for tickets) are imported
# when a channel is parsed, not by every scan that reads the `alerts:` schema: a scan
# without channels never needs them (about 0.1 s of a small plan's start).
if TYPE_CHECKING:
    from compliance_opa.alerts.email import EmailChannel
    from compliance_opa.alerts.events import AlertEvent
    from compliance_opa.alerts.github import GitHubChannel
    from compliance_opa.alerts.jira import JiraChannel
    from compliance_opa.alerts.pagerduty import PagerDutyChannel
    from compliance_opa.alerts.slack import SlackChannel
    from compliance_opa.alerts.webhook import WebhookChannel
    from compliance_opa.state.store import StateStore

    Channel = (
        SlackChannel
        | PagerDutyChannel
        | WebhookChannel
        | EmailChannel
        | JiraChannel
        | GitHubChannel
    )

_IMPLEMENTATIONS = {
    "EmailChannel": "compliance_opa.alerts.email",
    "GitHubChannel": "compliance_opa.alerts.github",
    "JiraChannel": "compliance_opa.alerts.jira",
    "PagerDutyChannel": "compliance_opa.alerts.pagerduty",
    "SlackChannel": "compliance_opa.alerts.slack",
    "WebhookChannel": "compliance_opa.alerts.webhook",
}


def __getattr__(name: str) -> Any:
    """The channel classes (and the `Channel` union), imported on first use."""
    if name in _IMPLEMENTATIONS:
        return getattr(import_module(_IMPLEMENTATIONS[name]), name)
    if name == "Channel":
        kinds = [__getattr__(n) for n in _IMPLEMENTATIONS]
        union = kinds[0]
        for kind in kinds[1:]:
            union = union | kind
        return union
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHANNEL_SCHEMA",
    "Channel",
    "EmailChannel",
    "GitHubChannel",
    "JiraChannel",
    "PagerDutyChannel",
    "SlackChannel",
    "WebhookChannel",
    "bind_store",
    "parse_channel",
    "parse_channels",
    "recipients",
    "resolve_secrets",
]

AnyChannel = TypeVar("AnyChannel", bound="Channel")

_ENV = {
    "type": "string",
    "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$",
    "description": "expected an environment variable name",
}
_URL = {
    "type": "string",
    "pattern": r"^https?://[^\s/]+\S*$",
    "description": "expected an http(s) URL",
}
_ADDRESS = {
    "type": "string",
    "pattern": r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+$",
    "description": "expected an e-mail address",
}
_COMMON = {
    "type": {"enum": ["slack", "pagerduty", "webhook", "email", "jira", "github"]},
    "timeout": {"type": "number", "minimum": 0.1, "maximum": 120},
}
_ONE_URL = {
    "oneOf": [{"required": ["url"]}, {"required": ["url_env"]}],
    "description": "exactly one of url, url_env is required",
}
_TYPES: dict[str, dict[str, Any]] = {
    "slack": {
        "properties": {**_COMMON, "url": _URL, "url_env": _ENV},
        "allOf": [_ONE_URL],
    },
    "pagerduty": {
        "properties": {**_COMMON, "routing_key_env": _ENV, "url": _URL},
        "required": ["routing_key_env"],
    },
    "webhook": {
        "properties": {**_COMMON, "url": _URL, "url_env": _ENV, "secret_env": _ENV},
        "required": ["secret_env"],
        "allOf": [_ONE_URL],
    },
    "email": {
        "properties": {
            **_COMMON,
            "host": {"type": "string", "pattern": r"^[^\s/]+$", "description": "expected a host"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "starttls": {"type": "boolean"},
            "tls": {"type": "boolean"},
            "username": {"type": "string", "minLength": 1},
            "username_env": _ENV,
            "password_env": _ENV,
            "sender": _ADDRESS,
            "to": {"type": "array", "items": _ADDRESS, "minItems": 1},
            "to_owner": {"type": "boolean"},
            "owners": {"type": "object", "additionalProperties": _ADDRESS},
            "ca_bundle": {"type": "string", "minLength": 1},
            "allow_insecure": {"type": "boolean"},
        },
        "required": ["host", "sender", "to"],
        "dependencies": {
            "username": ["password_env"],
            "username_env": ["password_env"],
            "password_env": {
                "anyOf": [{"required": ["username"]}, {"required": ["username_env"]}],
                "description": "password_env needs username or username_env",
            },
        },
        "allOf": [
            {
                "not": {"required": ["username", "username_env"]},
                "description": "username and username_env are exclusive",
            },
            {
                "not": {
                    "required": ["tls", "starttls"],
                    "properties": {"tls": {"const": True}, "starttls": {"const": True}},
                },
                "description": "tls (implicit TLS) and starttls are exclusive",
            },
        ],
    },
}
_LABEL = {
    "type": "string",
    "pattern": r"^[^\s,]{1,50}$",
    "description": "expected a label (no spaces or commas, at most 50 characters)",
}
_NAME_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_TICKETS: dict[str, Any] = {
    "labels": {"type": "array", "items": _LABEL, "uniqueItems": True},
    "report_url": {
        "type": "string",
        "pattern": r"^https?://[^\s/]+\S*$",
        "description": "expected an http(s) URL ({scan_id} is replaced)",
    },
    "search_retries": {"type": "integer", "minimum": 0, "maximum": 10},
    "search_delay": {"type": "number", "minimum": 0, "maximum": 30},
}
_TYPES["jira"] = {
    "properties": {
        **_COMMON,
        **_TICKETS,
        "url": _URL,
        "deployment": {"enum": ["cloud", "datacenter"]},
        "project": {
            "type": "string",
            "pattern": r"^[A-Za-z][A-Za-z0-9_]{0,49}$",
            "description": "expected a Jira project key",
        },
        "issue_type": _NAME_TEXT,
        "priorities": {
            "type": "object",
            "additionalProperties": False,
            "properties": {s: _NAME_TEXT for s in ("critical", "high", "medium", "low", "info")},
        },
        "close_transition": _NAME_TEXT,
        "reopen_transition": _NAME_TEXT,
        "fields": {"type": "object"},
        "email_env": _ENV,
        "token_env": _ENV,
    },
    "required": ["url", "project", "token_env"],
    "allOf": [
        {
            "if": {
                "not": {
                    "required": ["deployment"],
                    "properties": {"deployment": {"const": "datacenter"}},
                }
            },
            "then": {"required": ["email_env"]},
        }
    ],
}
_TYPES["github"] = {
    "properties": {
        **_COMMON,
        **_TICKETS,
        "url": _URL,
        "repository": {
            "type": "string",
            "pattern": r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$",
            "description": "expected owner/name",
        },
        "token_env": _ENV,
    },
    "required": ["repository", "token_env"],
}
_RESERVED_FIELDS = ("project", "issuetype", "summary", "description", "labels")
CHANNEL_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "opa-comply alert channel",
    "type": "object",
    "required": ["type"],
    "properties": {"type": _COMMON["type"]},
    "allOf": [
        {
            "if": {"required": ["type"], "properties": {"type": {"const": kind}}},
            "then": {**schema, "additionalProperties": False},
        }
        for kind, schema in _TYPES.items()
    ],
}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_VALIDATOR = jsonschema.Draft7Validator(CHANNEL_SCHEMA)


def parse_channels(section: Any) -> dict[str, Channel]:
    """Every channel under `alerts.channels`, checked; secrets not yet read."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise InputError("alerts.channels: expected a mapping of name -> channel")
    return {str(name): parse_channel(str(name), raw) for name, raw in section.items()}


def parse_channel(name: str, raw: Any) -> Channel:
    """One channel entry, checked against CHANNEL_SCHEMA and the rules it cannot express."""
    prefix = f"alerts.channels.{name}"
    if _NAME.fullmatch(name) is None:
        raise InputError(f"{prefix}: a channel name is letters, digits, '.', '_' or '-'")
    if not isinstance(raw, dict):
        raise InputError(f"{prefix}: expected a mapping")
    error = best_match(_VALIDATOR.iter_errors(raw))
    if error is not None:
        where = _where(error.absolute_path)
        raise InputError(f"{prefix}: {where}{_problem(error)}")
    from compliance_opa.alerts.github import API_URL, GitHubChannel
    from compliance_opa.alerts.pagerduty import EVENTS_URL, PagerDutyChannel
    from compliance_opa.alerts.slack import SlackChannel
    from compliance_opa.alerts.webhook import WebhookChannel

    timeout = float(raw.get("timeout", 10.0))
    kind = raw["type"]
    if kind == "slack":
        return SlackChannel(name, url=raw.get("url"), url_env=raw.get("url_env"), timeout=timeout)
    if kind == "pagerduty":
        url = raw.get("url", EVENTS_URL)
        return PagerDutyChannel(name, raw["routing_key_env"], url=url, timeout=timeout)
    if kind == "webhook":
        return WebhookChannel(
            name, raw["secret_env"], url=raw.get("url"), url_env=raw.get("url_env"), timeout=timeout
        )
    if kind == "jira":
        return _jira(name, prefix, raw, timeout)
    if kind == "github":
        return GitHubChannel(
            name,
            repository=raw["repository"],
            token_env=raw["token_env"],
            url=raw.get("url", API_URL),
            labels=tuple(raw.get("labels", ())),
            report_url=raw.get("report_url"),
            search_retries=int(raw.get("search_retries", 0)),
            search_delay=float(raw.get("search_delay", 1.0)),
            timeout=timeout,
        )
    return _email(name, prefix, raw, timeout)


def _jira(name: str, prefix: str, raw: dict[str, Any], timeout: float) -> JiraChannel:
    from compliance_opa.alerts.jira import JiraChannel

    fields = dict(raw.get("fields", {}))
    for reserved in _RESERVED_FIELDS:
        if reserved in fields:
            raise InputError(f"{prefix}: fields.{reserved}: set by the channel, not in fields")
    return JiraChannel(
        name,
        url=raw["url"],
        project=raw["project"],
        token_env=raw["token_env"],
        deployment=raw.get("deployment", "cloud"),
        email_env=raw.get("email_env"),
        issue_type=raw.get("issue_type", "Task"),
        priorities=dict(raw.get("priorities", {})),
        labels=tuple(raw.get("labels", ())),
        close_transition=raw.get("close_transition", "Done"),
        reopen_transition=raw.get("reopen_transition", "Reopen"),
        fields=fields,
        report_url=raw.get("report_url"),
        search_retries=int(raw.get("search_retries", 3)),
        search_delay=float(raw.get("search_delay", 1.0)),
        timeout=timeout,
    )


def _email(name: str, prefix: str, raw: dict[str, Any], timeout: float) -> EmailChannel:
    from compliance_opa.alerts.email import EmailChannel

    tls = bool(raw.get("tls", False))
    starttls = bool(raw.get("starttls", not tls))
    credentials = any(key in raw for key in ("username", "username_env", "password_env"))
    if credentials and not (tls or starttls) and not raw.get("allow_insecure", False):
        raise InputError(
            f"{prefix}: refusing to send a password over plain SMTP"
            " (set starttls or tls, or allow_insecure: true)"
        )
    default_port = 465 if tls else 587 if starttls else 25
    return EmailChannel(
        name,
        host=raw["host"],
        sender=raw["sender"],
        to=tuple(raw["to"]),
        port=int(raw.get("port", default_port)),
        starttls=starttls,
        tls=tls,
        username=raw.get("username"),
        username_env=raw.get("username_env"),
        password_env=raw.get("password_env"),
        to_owner=bool(raw.get("to_owner", False)),
        owners=dict(raw.get("owners", {})),
        ca_bundle=raw.get("ca_bundle"),
        allow_insecure=bool(raw.get("allow_insecure", False)),
        timeout=timeout,
    )


def resolve_secrets(channel: AnyChannel, environ: Mapping[str, str] | None = None) -> AnyChannel:
    """A copy of the channel holding its secrets, read from `environ` (default os.environ).

    Raises InputError naming a variable that is not set, never its value.
    """
    env = os.environ if environ is None else environ
    # Each branch returns a copy of the type it was given: the cast states just that.
    return cast(AnyChannel, _resolve(channel, f"alerts.channels.{channel.name}", env))


def _resolve(channel: Channel, prefix: str, env: Mapping[str, str]) -> Channel:
    from compliance_opa.alerts.github import GitHubChannel
    from compliance_opa.alerts.jira import JiraChannel
    from compliance_opa.alerts.pagerduty import PagerDutyChannel
    from compliance_opa.alerts.slack import SlackChannel
    from compliance_opa.alerts.webhook import WebhookChannel

    if isinstance(channel, SlackChannel):
        if channel.url_env:
            return replace(channel, url=_env_url(prefix, channel.url_env, env))
        return channel
    if isinstance(channel, PagerDutyChannel):
        return replace(channel, routing_key=_env_value(prefix, channel.routing_key_env, env))
    if isinstance(channel, WebhookChannel):
        url = _env_url(prefix, channel.url_env, env) if channel.url_env else channel.url
        secret = _env_value(prefix, channel.secret_env, env)
        return replace(channel, url=url, secret=secret)
    if isinstance(channel, JiraChannel):
        email = _env_value(prefix, channel.email_env, env) if channel.email_env else None
        return replace(channel, email=email, token=_env_value(prefix, channel.token_env, env))
    if isinstance(channel, GitHubChannel):
        return replace(channel, token=_env_value(prefix, channel.token_env, env))
    return _resolve_email(channel, prefix, env)


def bind_store(senders: Mapping[str, Any], store: StateStore) -> dict[str, Any]:
    """The senders, ticket channels given the state store that maps findings to tickets."""
    if not senders:
        return {}
    from compliance_opa.alerts.github import GitHubChannel
    from compliance_opa.alerts.jira import JiraChannel

    return {
        name: replace(s, store=store) if isinstance(s, (JiraChannel, GitHubChannel)) else s
        for name, s in senders.items()
    }


def _resolve_email(channel: EmailChannel, prefix: str, env: Mapping[str, str]) -> EmailChannel:
    if channel.ca_bundle and not Path(channel.ca_bundle).is_file():
        raise InputError(f"{prefix}: ca_bundle: {channel.ca_bundle} is not a readable file")
    username = channel.username
    if channel.username_env:
        username = _env_value(prefix, channel.username_env, env)
    password = None
    if channel.password_env:
        # Only line ends are trimmed: spaces may be part of a password.
        password = _env_value(prefix, channel.password_env, env, strip="\r\n")
    return replace(channel, username=username, password=password)


def recipients(channel: Channel, event: AlertEvent) -> list[str | None]:
    """Who gets this event on this channel; None: the channel's own destination."""
    from compliance_opa.alerts.email import EmailChannel

    if isinstance(channel, EmailChannel):
        return list(channel.recipients_for(event))
    return [None]


def _env_value(prefix: str, variable: str, env: Mapping[str, str], strip: str | None = None) -> str:
    value = env.get(variable)
    if value is None:
        raise InputError(f"{prefix}: environment variable {variable} is not set")
    value = value.strip(strip)
    if not value:
        raise InputError(f"{prefix}: environment variable {variable} is empty")
    return value


def _env_url(prefix: str, variable: str, env: Mapping[str, str]) -> str:
    value = _env_value(prefix, variable, env)
    if re.fullmatch(r"https?://[^\s/]+\S*", value) is None:
        raise InputError(f"{prefix}: environment variable {variable} is not an http(s) URL")
    return value


def _where(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return f"{text}: " if text else ""


def _problem(error: jsonschema.ValidationError) -> str:
    """What is wrong, in words that never repeat the value (it may be a secret)."""
    validator, expected = error.validator, error.validator_value
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if validator in ("oneOf", "anyOf", "not", "pattern", "const") and description:
        return str(description)
    if validator == "type":
        return f"expected {_TYPE_NAMES.get(str(expected), str(expected))}"
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        unknown = sorted(str(key) for key in error.instance if key not in known)
        return f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
    if validator in ("required", "dependencies"):
        return str(error.message)  # names keys only
    if validator == "enum":
        choices = expected if isinstance(expected, list) else []
        return f"expected one of {', '.join(map(str, choices))}"
    if validator == "minimum":
        return f"must be at least {expected}"
    if validator == "maximum":
        return f"must be at most {expected}"
    if validator == "minItems":
        return f"expected at least {expected} item{'s' if expected != 1 else ''}"
    if validator == "minLength":
        return "must not be empty"
    return f"invalid value ({validator})"


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "string",
    "number": "number",
    "integer": "integer",
    "boolean": "boolean (true or false)",
}
