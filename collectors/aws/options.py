"""What to collect and how: the options `collect aws`, `scan --collect aws` and config share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RETRY_MODES = ("standard", "adaptive")


@dataclass(frozen=True)
class TagKeys:
    """Tag keys read into the inventory model; the first key present wins."""

    data_classes: tuple[str, ...] = ("DataClassification", "data_classification", "Classification")
    owner: tuple[str, ...] = ("Owner", "owner", "Team", "team")
    environment: tuple[str, ...] = ("Environment", "environment", "Env", "env")
    model_family: tuple[str, ...] = ("ModelFamily", "model_family")
    adversarial_testing_date: tuple[str, ...] = ("AdversarialTestingDate",)
    adversarial_testing_report: tuple[str, ...] = ("AdversarialTestingReport",)


@dataclass(frozen=True)
class AwsOptions:
    profile: str | None = None
    regions: tuple[str, ...] = ()  # empty: the profile's region, unless all_regions
    all_regions: bool = False
    role_arns: tuple[str, ...] = ()  # empty: the caller's own account
    external_id: str | None = None
    endpoint_url: str | None = None  # one endpoint for every service (tests, proxies)
    services: tuple[str, ...] = ()  # empty: every service
    retry_mode: str = "standard"
    max_attempts: int = 5  # total attempts per call, first one included
    max_workers: int = 8
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    tag_keys: TagKeys = field(default_factory=TagKeys)


_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}

# The `aws:` section of the config file: the same fields as AwsOptions.
AWS_CONFIG_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "profile": {"type": "string", "minLength": 1},
        "regions": _NAMES,
        "all_regions": {"type": "boolean"},
        "role_arns": _NAMES,
        "external_id": {"type": "string", "minLength": 2},
        "endpoint_url": {"type": "string", "pattern": "^https?://"},
        "services": _NAMES,
        "retry_mode": {"enum": list(RETRY_MODES)},
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 20},
        "max_workers": {"type": "integer", "minimum": 1, "maximum": 64},
        "connect_timeout": {"type": "number", "exclusiveMinimum": 0},
        "read_timeout": {"type": "number", "exclusiveMinimum": 0},
        "tag_keys": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: _NAMES for name in TagKeys.__dataclass_fields__},
        },
    },
}


def options_from(config: dict[str, Any], **given: Any) -> AwsOptions:
    """Options from a validated config section, with command-line values (not None) on top."""
    merged: dict[str, Any] = {**config, **{k: v for k, v in given.items() if v is not None}}
    tag_keys = TagKeys(**{k: tuple(v) for k, v in merged.pop("tag_keys", {}).items()})
    lists = ("regions", "role_arns", "services")
    fields: dict[str, Any] = {k: tuple(v) if k in lists else v for k, v in merged.items()}
    return AwsOptions(**fields, tag_keys=tag_keys)
