"""The configuration file: parameter overrides for the checks, what to collect, where
state lives, waivers, drift and alerts.

```yaml
parameters:
  allowed_regions: [eu-west-1, eu-central-1]
  minimum_log_retention_days: 400
aws:                      # `collect aws` and `scan --collect aws`; options override it
  regions: [eu-west-1, eu-central-1]
  role_arns: [arn:aws:iam::111111111111:role/opa-comply-audit]
```

Other sections: `postgres:` (like `aws:`), `state:` (url, lock_timeout), `waivers:`
(file, max_days, warn_days), `drift:` (collect, scope), `alerts:` (channels, rules,
delivery), `report:` (threshold), `publish:` (target, kms_key_id, expires_seconds),
`evidence:` (store, signing keys, retention_days) and `serve:` (config/serve.py); see the
README.

Each parameter must be one the bundled defaults (policies/config/data.json)
define, with a value of the same JSON type, so a typo fails the scan (exit 2)
instead of silently leaving the default in force. The `aws` section is checked
against a JSON Schema (collectors/aws/options.py) for the same reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from collectors.auditlog.options import AUDIT_LOGS_CONFIG_SCHEMA as AUDIT_LOGS_SCHEMA
from collectors.aws.options import AWS_CONFIG_SCHEMA
from collectors.postgres.options import POSTGRES_CONFIG_SCHEMA
from compliance_opa.alerts.settings import ALERTS_SCHEMA
from compliance_opa.collect.registry import names as collector_names
from compliance_opa.config.remediation import REMEDIATION_SCHEMA, resolve_policy_path
from compliance_opa.config.serve import SERVE_SCHEMA
from compliance_opa.config.waivers_file import WAIVER_POLICY_SCHEMA
from compliance_opa.errors import InputError
from compliance_opa.evidence.settings import EVIDENCE_SCHEMA, resolve_paths
from compliance_opa.inventory.parameters import check_parameters
from compliance_opa.reports.publish import PUBLISH_SCHEMA
from compliance_opa.support import strict_yaml
from compliance_opa.support.bundled import policies_dir
from compliance_opa.support.textfile import read_text_file

_MAX_CONFIG_BYTES = 1024 * 1024


@cache
def default_parameters() -> dict[str, Any]:
    defaults: dict[str, Any] = json.loads(
        (policies_dir() / "config" / "data.json").read_text(encoding="utf-8")
    )
    return defaults


SECTIONS = (
    "parameters",
    "aws",
    "postgres",
    "audit_logs",
    "waivers",
    "alerts",
    "drift",
    "state",
    "report",
    "publish",
    "evidence",
    "serve",
    "remediation",
)

REPORT_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # The compliance rate a framework must reach for the report to call it passing.
        "threshold": {"type": "number", "minimum": 0, "maximum": 1},
    },
}

DRIFT_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "collect": {
            "type": "array",
            "uniqueItems": True,
            "items": {"enum": collector_names()},
        },
        "scope": {"type": "string", "minLength": 1, "maxLength": 200},
    },
}

STATE_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "minLength": 1},
        "lock_timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 3600},
    },
}


@dataclass(frozen=True)
class Config:
    parameters: dict[str, Any] = field(default_factory=dict)
    aws: dict[str, Any] = field(default_factory=dict)  # AwsOptions fields, validated
    postgres: dict[str, Any] = field(default_factory=dict)  # PostgresOptions fields
    audit_logs: dict[str, Any] = field(default_factory=dict)  # postgres, cloudtrail, period
    waivers: dict[str, Any] = field(default_factory=dict)  # file (relative to the config)
    alerts: dict[str, Any] = field(default_factory=dict)  # channels, rules, delivery
    drift: dict[str, Any] = field(default_factory=dict)  # collect, scope
    state: dict[str, Any] = field(default_factory=dict)  # url, lock_timeout
    report: dict[str, Any] = field(default_factory=dict)  # threshold
    publish: dict[str, Any] = field(default_factory=dict)  # target, kms_key_id, expires_seconds
    evidence: dict[str, Any] = field(default_factory=dict)  # store, keys, retention_days
    serve: dict[str, Any] = field(default_factory=dict)  # tokens, limits, run_task
    remediation: dict[str, Any] = field(default_factory=dict)  # approval_policy, aws, postgres


def load_parameters(path: Path) -> dict[str, Any]:
    """The parameter overrides in a config file, checked against the defaults."""
    return load_config(path).parameters


def load_config(path: Path) -> Config:
    """The whole config file, every section checked."""
    text = read_text_file(path, _MAX_CONFIG_BYTES, "config file")
    document = strict_yaml.load(path, text)
    if document is None:
        return Config()
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a mapping with a `parameters` key")
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        expected = ", ".join(f"`{name}`" for name in SECTIONS)
        raise InputError(f"{path}: unknown key {unknown[0]!r} (expected {expected})")
    waivers = _section(path, "waivers", document.get("waivers") or {}, WAIVER_POLICY_SCHEMA)
    if "file" in waivers:  # relative to the config file, wherever the command runs
        waivers = {**waivers, "file": str(path.parent / waivers["file"])}
    return Config(
        _parameters(path, document),
        _section(path, "aws", document.get("aws") or {}, AWS_CONFIG_SCHEMA),
        _section(path, "postgres", document.get("postgres") or {}, POSTGRES_CONFIG_SCHEMA),
        _relative_audit_log_paths(
            _section(path, "audit_logs", document.get("audit_logs") or {}, AUDIT_LOGS_SCHEMA),
            path.parent,
        ),
        waivers,
        _section(path, "alerts", document.get("alerts") or {}, ALERTS_SCHEMA),
        _section(path, "drift", document.get("drift") or {}, DRIFT_SCHEMA),
        _section(path, "state", document.get("state") or {}, STATE_SCHEMA),
        _section(path, "report", document.get("report") or {}, REPORT_SCHEMA),
        _section(path, "publish", document.get("publish") or {}, PUBLISH_SCHEMA),
        resolve_paths(
            _section(path, "evidence", document.get("evidence") or {}, EVIDENCE_SCHEMA),
            path.parent,
        ),
        _section(path, "serve", document.get("serve") or {}, SERVE_SCHEMA),
        resolve_policy_path(
            _section(path, "remediation", document.get("remediation") or {}, REMEDIATION_SCHEMA),
            path.parent,
        ),
    )


def _relative_audit_log_paths(section: dict[str, Any], base: Path) -> dict[str, Any]:
    """Log files, the classification snapshot and key files named relative to the config
    file, wherever the command runs."""
    postgres = dict(section.get("postgres") or {})
    if "logs" in postgres:
        postgres["logs"] = [str(base / p) for p in postgres["logs"]]
    if "classification" in postgres:
        postgres["classification"] = str(base / postgres["classification"])
    cloudtrail = dict(section.get("cloudtrail") or {})
    if "public_keys" in cloudtrail:
        cloudtrail["public_keys"] = {k: str(base / v) for k, v in cloudtrail["public_keys"].items()}
    resolved = dict(section)
    if postgres:
        resolved["postgres"] = postgres
    if cloudtrail:
        resolved["cloudtrail"] = cloudtrail
    return resolved


def _section(path: Path, name: str, section: Any, schema: dict[str, object]) -> dict[str, Any]:
    validator = jsonschema.Draft7Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(section))
    if error is not None:
        where = ".".join([name, *map(str, error.absolute_path)])
        raise InputError(f"{path}: {where}: {_without_value(error)}")
    checked: dict[str, Any] = section
    return checked


def _without_value(error: jsonschema.ValidationError) -> str:
    """What is wrong, without repeating the value: it may be a DSN with its password."""
    if error.validator == "type":
        return f"expected {error.validator_value}"
    if error.validator == "additionalProperties":
        return error.message  # names the unknown keys, not their values
    if error.validator in (
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "minLength",
        "pattern",
        "enum",
    ):
        return f"does not satisfy {error.validator} {error.validator_value!r}"
    return f"invalid value ({error.validator})"


def _parameters(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    parameters = document.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise InputError(f"{path}: parameters: expected a mapping of name -> value")
    defaults = default_parameters()
    for name, value in parameters.items():
        if name not in defaults:
            known = ", ".join(sorted(defaults))
            raise InputError(f"{path}: parameters.{name}: unknown parameter (known: {known})")
        expected, actual = _json_type(defaults[name]), _json_type(value)
        if actual != expected:
            raise InputError(f"{path}: parameters.{name}: expected {expected}, got {actual}")
        if isinstance(value, list) and not all(
            _json_type(item) == _json_type(defaults[name][0]) for item in value
        ):
            raise InputError(f"{path}: parameters.{name}: every item must be like the default's")
    check_parameters(path, parameters)
    return dict(parameters)


# bool before int: True is an int in Python, a boolean in JSON.
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "list"),
    (dict, "mapping"),
)


def _json_type(value: Any) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "null")
