"""Sensitive values (a plan's `sensitive` paths) taken out of everything a scan prints.

OPA judges the real values, so a check decides as it would after apply; only the
messages that leave the scan are rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from compliance_opa.domain.findings import CheckResult

PLACEHOLDER = "(sensitive value)"


def sensitive_values(resource: dict[str, Any]) -> set[str]:
    """The text of every value under the resource's sensitive paths."""
    found: set[str] = set()
    for path in resource.get("sensitive") or []:
        value: Any = resource.get("attributes", {})
        for part in str(path).split("."):
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                value = None
                break
        found |= _leaves(value)
    return {text for text in found if text.strip()}


def _leaves(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {t for v in value.values() for t in _leaves(v)}
    if isinstance(value, list):
        return {t for v in value for t in _leaves(v)}
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {str(value)}
    return set()


def _escaped(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _quoted(value: str) -> str:
    return (
        json.dumps(value)[1:-1]
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def redact(
    results: Iterable[CheckResult], secrets: Mapping[str, Iterable[str]]
) -> tuple[CheckResult, ...]:
    """The results with every secret (address -> sensitive values of that resource, as
    ``sensitive_values`` gives them) taken out of their messages."""
    # Also as a JSON string would quote it (Rego's %q and json.marshal escape " \\ < > &).
    forms = {f for values in secrets.values() for v in values for f in (v, _escaped(v), _quoted(v))}
    everything = sorted({f for f in forms if f.strip()}, key=len, reverse=True)
    if not everything:
        return tuple(results)
    secrets_in = _Finder(everything)
    redacted: list[CheckResult] = []
    for result in results:
        findings = tuple(
            replace(f, message=secrets_in.redacted(f.message)) for f in result.findings
        )
        redacted.append(replace(result, findings=findings))
    return tuple(redacted)


class _Finder:
    """Every secret at once: one regex pass tells whether a message quotes any (most do
    not; trying each secret in turn made big plans quadratic). A message that does has
    every occurrence of every secret covered, overlapping ones merged, so no part of a
    longer secret survives next to a shorter one."""

    def __init__(self, secrets: list[str]) -> None:
        alternatives = "|".join(map(re.escape, secrets))  # longest first
        self._any = re.compile(alternatives)
        # A lookahead matches at every position, overlapping matches included.
        self._at = re.compile(f"(?=({alternatives}))")

    def redacted(self, message: str) -> str:
        if not self._any.search(message):
            return message
        spans: list[list[int]] = []
        for match in self._at.finditer(message):
            start, end = match.start(), match.start() + len(match.group(1))
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        parts, last = [], 0
        for start, end in spans:
            parts += [message[last:start], PLACEHOLDER]
            last = end
        return "".join(parts) + message[last:]


# A resource's attributes are kept with its findings (the dashboard's resource page); past
# this many characters of JSON they are left out, so one huge policy document cannot
# bloat every stored scan.
MAX_KEPT_ATTRIBUTES_CHARS = 32_768


def kept_attributes(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource's attributes as a scan may keep and show them: every value under a
    sensitive path replaced by PLACEHOLDER, and any sensitive value quoted elsewhere (a
    password echoed in a connection string) taken out of the text that quotes it."""
    attributes = resource.get("attributes")
    if not isinstance(attributes, dict):
        return {}
    paths = [str(p).split(".") for p in resource.get("sensitive") or []]
    masked: dict[str, Any] = _named_secrets(_masked(attributes, paths))
    secrets = sensitive_values(resource)
    if secrets:
        masked = _scrubbed(masked, _Finder(sorted(secrets, key=len, reverse=True)), secrets)
    size = len(json.dumps(masked, ensure_ascii=False, default=str))
    if size > MAX_KEPT_ATTRIBUTES_CHARS:
        cap = MAX_KEPT_ATTRIBUTES_CHARS
        return {"(omitted)": f"{size:,} characters of attributes, over the {cap:,} kept"}
    return masked


# Attribute names that hold a secret whatever the inventory marks sensitive: collectors
# and hand-written inventories do not always say (a password in a plain attribute).
SECRET_NAME = re.compile(
    r"(?i)(passw(or)?d|passphrase|secret|token|private_?key|credential|api_?key|access_?key"
    r"|auth_?string|user_?data)"
)


# Whole-number facts about a secret, not the secret: how long ago a password was used.
_COUNTS_ABOUT_A_SECRET = re.compile(r"(?i)_(days|count)$")


def _named_secrets(value: Any) -> Any:
    """Text and numbers under a secret-sounding attribute name, replaced by PLACEHOLDER
    (flags such as `manage_master_user_password: true` and nulls stay: they hold none, as
    do whole numbers of days or items such as `password_last_used_days`)."""
    if isinstance(value, dict):
        return {
            k: PLACEHOLDER
            if SECRET_NAME.search(str(k))
            and not (_COUNTS_ABOUT_A_SECRET.search(str(k)) and type(v) is int)
            and isinstance(v, str | int | float)
            and not isinstance(v, bool)
            and v != ""
            else _named_secrets(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_named_secrets(v) for v in value]
    return value


def _masked(value: Any, paths: list[list[str]]) -> Any:
    if any(p == [] for p in paths):
        return PLACEHOLDER
    if isinstance(value, dict):
        return {k: _masked(v, [p[1:] for p in paths if p[0] == str(k)]) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, [p[1:] for p in paths if p[0] == str(i)]) for i, v in enumerate(value)]
    return value


def _scrubbed(value: Any, finder: _Finder, secrets: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _scrubbed(v, finder, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, finder, secrets) for v in value]
    if isinstance(value, str):
        return finder.redacted(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return PLACEHOLDER if str(value) in secrets else value  # a sensitive number elsewhere
    return value
