"""What the AWS fixers share: the platform, where a resource's calls go, short names."""

from __future__ import annotations

from typing import Any, ClassVar

from remediators.base import Fixer, Platform

# The check parameters a fixer aims at: policies/config/data.json's defaults (a unit
# test holds them equal). A scan that overrides a parameter builds the fixer with it.
MINIMUM_BACKUP_RETENTION_DAYS = 7
MINIMUM_LOG_RETENTION_DAYS = 365
MINIMUM_PASSWORD_LENGTH = 14
PASSWORD_REUSE_PREVENTION = 24
CREDENTIAL_MAX_AGE_DAYS = 90


class AwsFixer(Fixer):
    platform: ClassVar[Platform] = "aws"


def region_of(resource: dict[str, Any]) -> str:
    """The resource's region; "" for account-wide resources (the clients' default region)."""
    region = resource.get("region")
    return region if isinstance(region, str) else ""


def account_of(resource: dict[str, Any]) -> str:
    return str(resource.get("account") or "")


def where(resource: dict[str, Any]) -> str:
    """ "account N, region R" for blast-radius lines."""
    region = region_of(resource)
    account = account_of(resource) or "unknown"
    return f"account {account}, region {region}" if region else f"account {account}"


def attribute(resource: dict[str, Any], name: str, fallback: str = "") -> str:
    value = (resource.get("attributes") or {}).get(name)
    return value if isinstance(value, str) and value else fallback
