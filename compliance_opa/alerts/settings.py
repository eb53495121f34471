"""The config's `alerts:` section: channels, routing rules and delivery settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from compliance_opa.alerts.channels import parse_channel, recipients, resolve_secrets
from compliance_opa.alerts.outbox import DELIVERY_SCHEMA, DeliverySettings
from compliance_opa.alerts.rules import RULE_SCHEMA, Rule, parse_rules
from compliance_opa.errors import InputError

if TYPE_CHECKING:
    from compliance_opa.alerts.channels import Channel
    from compliance_opa.alerts.events import AlertEvent

ALERTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # Each channel is checked by its own schema (parse_channel), for precise errors.
        "channels": {"type": "object", "additionalProperties": {"type": "object"}},
        "rules": {"type": "array", "items": RULE_SCHEMA},
        "delivery": DELIVERY_SCHEMA,
    },
}


@dataclass(frozen=True)
class AlertSettings:
    channels: Mapping[str, Channel] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    delivery: DeliverySettings = field(default_factory=DeliverySettings)


def alert_settings(where: str, section: Mapping[str, Any]) -> AlertSettings:
    """Settings from a schema-checked `alerts:` section; rules must name known channels."""
    channels = {
        name: parse_channel(name, raw) for name, raw in (section.get("channels") or {}).items()
    }
    rules = parse_rules(list(section.get("rules") or []))
    for index, rule in enumerate(rules):
        for channel in rule.channels:
            if channel not in channels:
                known = ", ".join(sorted(channels)) or "none defined"
                raise InputError(
                    f"{where}: alerts.rules[{index}].channels: no channel named {channel!r}"
                    f" (channels: {known})"
                )
    return AlertSettings(
        channels, rules, DeliverySettings.from_config(section.get("delivery") or {})
    )


def resolve_channels(
    channels: Mapping[str, Channel], environ: Mapping[str, str]
) -> dict[str, Channel]:
    """Channels holding their secrets: a missing variable fails before any scan work."""
    resolved: dict[str, Channel] = {}
    for name, channel in channels.items():
        resolved[name] = resolve_secrets(channel, environ)
    return resolved


def tells_changes(channel: Channel) -> bool:
    """Whether the channel hears of an open finding that changed (tickets comment)."""
    from compliance_opa.alerts.github import GitHubChannel
    from compliance_opa.alerts.jira import JiraChannel

    return isinstance(channel, (JiraChannel, GitHubChannel))


def channel_recipients(channel: Channel, event: AlertEvent) -> list[str]:
    """Recipients as the outbox keys them: "" is the channel's own destination."""
    return [r or "" for r in recipients(channel, event)]
