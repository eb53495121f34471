"""The `evidence:` config section, where the ledger lives by default, and how long
its objects are retained."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema

from compliance_opa.domain.assessment import RETENTION
from compliance_opa.errors import InputError
from compliance_opa.support import strict_yaml
from compliance_opa.support.textfile import read_text_file

# Default retention (days) of ledger objects per framework, from the one table the
# reports state (compliance_opa/domain/assessment.py, with the texts each number comes from); a
# scan covering several frameworks keeps its evidence for the longest of them. Defaults,
# not legal advice: set `evidence.retention_days` where an organisation's differ.
RETENTION_DAYS: dict[str, int] = {framework: days for framework, (days, _) in RETENTION.items()}
MAX_RETENTION_DAYS = 36500
# Each S3 call of the ledger: seconds to connect and to wait for each answer (evidence/s3.py).
S3_TIMEOUT = 10.0
MAX_S3_TIMEOUT = 3600.0

_PROPERTIES: dict[str, object] = {
    "store": {"type": "string", "minLength": 1},  # a folder, or s3://bucket/prefix
    "hmac_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
    "ed25519_private_key": {"type": "string", "minLength": 1},
    "ed25519_public_key": {"type": "string", "minLength": 1},
    "key_id": {"type": "string", "pattern": "^[!-~]{1,128}$"},  # printable, no spaces
    "retention_days": {"type": "integer", "minimum": 1, "maximum": MAX_RETENTION_DAYS},
    "region": {"type": "string", "pattern": "^[a-z0-9-]{1,40}$"},
    "endpoint_url": {"type": "string", "pattern": "^https?://[^\\s]+$"},
}
EVIDENCE_SCHEMA: dict[str, object] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": _PROPERTIES,
}

_VALIDATOR = jsonschema.Draft7Validator(EVIDENCE_SCHEMA)
_MAX_CONFIG_BYTES = 1024 * 1024
_PATH_KEYS = ("ed25519_private_key", "ed25519_public_key", "store")


def retention_days(frameworks: Iterable[str], configured: int | None = None) -> int:
    """`evidence.retention_days` when set, else the longest default of the frameworks
    (of all of them when none are named)."""
    if configured is not None:
        return configured
    chosen = [RETENTION_DAYS[f] for f in frameworks if f in RETENTION_DAYS]
    return max(chosen or RETENTION_DAYS.values())


def default_ledger_path() -> Path:
    """$XDG_STATE_HOME/opa-comply/evidence, i.e. ~/.local/state/opa-comply/evidence."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "opa-comply" / "evidence"


def load_evidence_section(path: Path) -> dict[str, Any]:
    """The `evidence:` section of a config file, checked, with its paths made relative to
    the config file. Other sections are left to compliance_opa.config.load."""
    text = read_text_file(path, _MAX_CONFIG_BYTES, "config file")
    document = strict_yaml.load(path, text)  # a key given twice is an error here too
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a mapping")
    section = document.get("evidence") or {}
    check_section(section, str(path))
    return resolve_paths(section, path.parent)


def check_section(section: Any, where: str) -> None:
    """InputError naming the first bad key of the section, never its value (a path or an
    environment variable name is harmless, but the rule is simpler without exceptions)."""
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(section))
    if error is None:
        return
    key = ".".join(["evidence", *map(str, error.absolute_path)])
    if error.validator == "additionalProperties":
        extra = sorted(set(section) - set(_PROPERTIES))
        why = f"unknown key {extra[0]!r}" if extra else "unknown key"
    elif error.validator == "type":
        why = f"expected {error.validator_value}"
    elif error.validator in ("minimum", "maximum"):
        bound = "at least" if error.validator == "minimum" else "at most"
        why = f"must be {bound} {error.validator_value}"
    else:
        why = f"invalid value ({error.validator} {error.validator_value!r})"
    raise InputError(f"{where}: {key}: {why}")


def resolve_paths(section: dict[str, Any], base: Path) -> dict[str, Any]:
    """Key files and a local store named relative to the config file's folder."""
    resolved = dict(section)
    for key in _PATH_KEYS:
        value = resolved.get(key)
        if isinstance(value, str) and not value.startswith("s3://"):
            resolved[key] = str(base / Path(value).expanduser())
    return resolved
