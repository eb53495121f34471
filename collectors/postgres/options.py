"""What `collect postgres` connects to and how carefully; shared with `scan --collect postgres`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


@dataclass(frozen=True)
class PostgresOptions:
    dsns: tuple[str, ...] = field(default=(), repr=False)  # may hold passwords
    databases: tuple[str, ...] = ()  # empty: every database that accepts connections
    sample_rows: int = 0  # 0: classify by names and comments only
    exclude_schemas: tuple[str, ...] = ()
    statement_timeout_ms: int = 30_000
    lock_timeout_ms: int = 5_000
    connect_timeout: int = 10  # seconds


_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}

# The `postgres:` section of the config file: the same fields as PostgresOptions.
POSTGRES_CONFIG_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "dsns": _NAMES,
        "databases": _NAMES,
        "sample_rows": {"type": "integer", "minimum": 0, "maximum": 100_000},
        "exclude_schemas": _NAMES,
        "statement_timeout_ms": {"type": "integer", "minimum": 100},
        "lock_timeout_ms": {"type": "integer", "minimum": 10},
        "connect_timeout": {"type": "integer", "minimum": 1, "maximum": 300},
    },
}


def options_from(config: dict[str, Any], **given: Any) -> PostgresOptions:
    """Options from a validated config section, with command-line values (not None) on top."""
    merged: dict[str, Any] = {**config, **{k: v for k, v in given.items() if v is not None}}
    lists = ("dsns", "databases", "exclude_schemas")
    fields: dict[str, Any] = {k: tuple(v) if k in lists else v for k, v in merged.items()}
    return PostgresOptions(**fields)
