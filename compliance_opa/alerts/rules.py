"""Routing rules: which findings go to which channels. Pure: no I/O.

```yaml
alerts:
  rules:
    - name: phi-to-oncall
      match:                       # every key given must match; a list matches any item
        severity: [critical, high]
        framework: [hipaa]
        check: ["AWS-RDS-*"]       # check id globs
        data_class: [phi]
        tag: {Environment: production}   # every tag must be present (value globs)
        owner: ["payments*"]
        environment: [production]
        min_risk: 70
      channels: [oncall, security-slack]
```

A rule without `match` takes every failing finding and every data change (a data store
that became classified, moved region or lost encryption: alerts/planning.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from compliance_opa.alerts.events import AlertEvent
from compliance_opa.domain.findings import FRAMEWORKS, Finding, Severity
from compliance_opa.domain.risk import ResourceFacts

MATCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "severity": {
            "type": "array",
            "minItems": 1,
            "items": {"enum": [s.value for s in Severity]},
        },
        "framework": {"type": "array", "minItems": 1, "items": {"enum": list(FRAMEWORKS)}},
        "check": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "data_class": {
            "type": "array",
            "minItems": 1,
            "items": {"enum": ["pii", "phi", "pci", "confidential", "public"]},
        },
        "tag": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        "owner": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "environment": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "minLength": 1},
        },
        "min_risk": {"type": "integer", "minimum": 0, "maximum": 100},
    },
}

RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "channels"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "match": MATCH_SCHEMA,
        "channels": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {"type": "string", "minLength": 1},
        },
    },
}


@dataclass(frozen=True)
class Rule:
    name: str
    channels: tuple[str, ...]
    match: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, finding: Finding, facts: ResourceFacts | None) -> bool:
        return self._matches(
            finding.check.severity.value,
            finding.check.controls,
            finding.check.check_id,
            set(facts.data_classes) if facts else set(),
            dict(facts.tags or {}) if facts else {},
            facts.owner if facts else None,
            facts.environment if facts else None,
            finding.risk,
        )

    def matches_event(self, event: AlertEvent, facts: ResourceFacts | None) -> bool:
        """A data change's event (no finding behind it): its own severity, controls,
        check-like id, risk and data classes (those the change is about), the store's
        tags from the scan's facts when it has any."""
        return self._matches(
            event.severity,
            event.controls,
            event.check_id,
            set(event.data_classes),
            dict(facts.tags or {}) if facts else {},
            event.owner,
            event.environment,
            event.risk,
        )

    def _matches(
        self,
        severity: str,
        controls: Mapping[str, Any],
        check_id: str,
        classes: set[str],
        tags: dict[str, str],
        owner: str | None,
        environment: str | None,
        risk: int,
    ) -> bool:
        m = self.match
        tests = (
            ("severity", lambda v: severity in v),
            ("framework", lambda v: any(controls.get(f) for f in v)),
            ("check", lambda v: any(fnmatchcase(check_id, g) for g in v)),
            ("data_class", lambda v: bool(classes & set(v))),
            (
                "tag",
                lambda v: all(k in tags and fnmatchcase(tags[k], g) for k, g in v.items()),
            ),
            ("owner", lambda v: owner is not None and any(fnmatchcase(owner, g) for g in v)),
            (
                "environment",
                lambda v: environment is not None and environment.lower() in {e.lower() for e in v},
            ),
            ("min_risk", lambda v: risk >= v),
        )
        return all(test(m[key]) for key, test in tests if key in m)


def parse_rules(raw: list[dict[str, Any]]) -> tuple[Rule, ...]:
    """Rules from an already schema-checked `alerts.rules` list."""
    return tuple(
        Rule(name=str(r["name"]), channels=tuple(r["channels"]), match=dict(r.get("match") or {}))
        for r in raw
    )
