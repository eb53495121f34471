"""What `evidence audit-logs` (and `drift` with `audit_logs` in `drift.collect`) reads:
PostgreSQL server logs with pgaudit lines and CloudTrail log locations, for a period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LOG_FORMATS = ("auto", "csvlog", "jsonlog", "stderr")
DEFAULT_PERIOD_DAYS = 1  # without --from: the last day (a scheduled drift: since its last run)


@dataclass(frozen=True)
class AuditLogOptions:
    start: datetime | None = None  # None: `period_days` before the end (or the last run)
    end: datetime | None = None  # None: now
    period_days: int = DEFAULT_PERIOD_DAYS
    postgres_logs: tuple[str, ...] = ()  # files or directories
    postgres_server: str = "postgresql"  # the server's name in the summary's address
    log_format: str = "auto"
    log_line_prefix: str | None = None  # the server's, for stderr logs
    classification: str | None = None  # a snapshot whose tables carry data classes
    pgaudit_configured: bool | None = None
    cloudtrail: tuple[str, ...] = ()  # s3://bucket/prefix locations
    public_keys: dict[str, str] = field(default_factory=dict)  # fingerprint -> key file
    # category -> CloudTrail event names; None: collectors/auditlog/cloudtrail.py's defaults
    sensitive_events: dict[str, list[str]] | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    region: str | None = None


_PATHS = {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True}

# The `audit_logs:` section of the config file.
AUDIT_LOGS_CONFIG_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "period_days": {"type": "integer", "minimum": 1, "maximum": 366},
        "postgres": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "logs": _PATHS,
                "server": {"type": "string", "minLength": 1, "maxLength": 200},
                "format": {"enum": list(LOG_FORMATS)},
                "log_line_prefix": {"type": "string", "maxLength": 500},
                "classification": {"type": "string", "minLength": 1},
                "pgaudit_configured": {"type": "boolean"},
            },
        },
        "cloudtrail": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "locations": {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"type": "string", "pattern": "^s3://[a-z0-9.-]{3,63}(/.*)?$"},
                },
                "public_keys": {
                    "type": "object",
                    "propertyNames": {"pattern": "^[0-9a-fA-F]{16,128}$"},
                    "additionalProperties": {"type": "string", "minLength": 1},
                },
                "sensitive_events": {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": {"pattern": "^[a-z][a-z0-9_]{0,63}$"},
                    "additionalProperties": {
                        "type": "array",
                        "uniqueItems": True,
                        "items": {"type": "string", "pattern": "^[A-Za-z0-9]{1,128}$"},
                    },
                },
                "endpoint_url": {"type": "string", "pattern": "^https?://"},
                "profile": {"type": "string", "minLength": 1},
                "region": {"type": "string", "minLength": 1},
            },
        },
    },
}


def options_from(section: dict[str, Any], **given: Any) -> AuditLogOptions:
    """Options from a validated `audit_logs:` section, with command-line values (not None,
    not empty) on top."""
    postgres = section.get("postgres") or {}
    cloudtrail = section.get("cloudtrail") or {}
    merged: dict[str, Any] = {
        "period_days": section.get("period_days", DEFAULT_PERIOD_DAYS),
        "postgres_logs": tuple(postgres.get("logs", ())),
        "postgres_server": postgres.get("server", "postgresql"),
        "log_format": postgres.get("format", "auto"),
        "log_line_prefix": postgres.get("log_line_prefix"),
        "classification": postgres.get("classification"),
        "pgaudit_configured": postgres.get("pgaudit_configured"),
        "cloudtrail": tuple(cloudtrail.get("locations", ())),
        "public_keys": dict(cloudtrail.get("public_keys", {})),
        "sensitive_events": cloudtrail.get("sensitive_events"),
        "endpoint_url": cloudtrail.get("endpoint_url"),
        "profile": cloudtrail.get("profile"),
        "region": cloudtrail.get("region"),
    }
    for name, value in given.items():
        if value is not None and value != () and value != {}:
            merged[name] = tuple(value) if isinstance(value, list) else value
    return AuditLogOptions(**merged)
