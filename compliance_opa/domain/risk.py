"""Risk score 0-100 per finding: what is wrong, on what data, how exposed, where. Pure.

    risk = min(100, round_half_up((severity + data + exposure) * environment))

    severity     critical 60, high 45, medium 30, low 15, info 5
    data         the most sensitive class on the resource: phi 20, pci 20, pii 15,
                 confidential 10, none or public 0
    exposure     public 20 (reachable by anyone: a publicly accessible database, a
                 snapshot shared with all accounts, a bucket policy allowing "*"),
                 internet 15 (a network path from anywhere: 0.0.0.0/0 or ::/0 ingress,
                 a notebook with direct internet access, an hba rule for any address),
                 none 0
    environment  production or unknown 1.0 (unknown is treated as production: an
                 untagged resource is not presumed harmless), staging 0.8,
                 development/test/sandbox 0.5

So a critical finding on a public production PHI database scores 100, a low finding
on an internal, unclassified development table 8.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SEVERITY_POINTS = {"critical": 60, "high": 45, "medium": 30, "low": 15, "info": 5}
DATA_POINTS = {"phi": 20, "pci": 20, "pii": 15, "confidential": 10, "public": 0}
EXPOSURE_POINTS = {"public": 20, "internet": 15}
ENVIRONMENT_FACTORS = {
    "production": 1.0,
    "prod": 1.0,
    "prd": 1.0,
    "live": 1.0,
    "staging": 0.8,
    "stage": 0.8,
    "stg": 0.8,
    "preprod": 0.8,
    "uat": 0.8,
    "qa": 0.5,
    "development": 0.5,
    "dev": 0.5,
    "test": 0.5,
    "testing": 0.5,
    "sandbox": 0.5,
}

_ANYWHERE = {"0.0.0.0/0", "::/0", "all", "0.0.0.0", "::"}  # noqa: S104 - matched, not bound


@dataclass(frozen=True)
class ResourceFacts:
    """What the processor needs to know of a finding's resource (scoring, routing, drift)."""

    address: str
    type: str
    account: str | None = None
    region: str | None = None
    owner: str | None = None
    environment: str | None = None
    data_classes: tuple[str, ...] = ()
    tags: Mapping[str, str] | None = None
    exposure: str | None = None  # public | internet | None
    source: str | None = None  # the sources[] scope it was collected under, when known


def facts_of(resource: Mapping[str, Any]) -> ResourceFacts:
    return ResourceFacts(
        address=str(resource["address"]),
        type=str(resource["type"]),
        account=resource.get("account"),
        region=resource.get("region"),
        owner=resource.get("owner"),
        environment=resource.get("environment"),
        data_classes=tuple(resource.get("data_classes") or ()),
        tags=_shown_tags(resource),
        exposure=exposure(resource),
        source=resource.get("source"),
    )


def _shown_tags(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The tags, less those a plan marks sensitive (facts are kept in the state store and
    sent with alerts): a sensitive tag map keeps none."""
    sensitive = {str(path) for path in resource.get("sensitive") or ()}
    if {"tags", "tags_all"} & sensitive:
        return {}
    return {
        key: value
        for key, value in dict(resource.get("tags") or {}).items()
        if f"tags.{key}" not in sensitive and f"tags_all.{key}" not in sensitive
    }


def risk_score(severity: str, facts: ResourceFacts | None) -> int:
    points = SEVERITY_POINTS[severity]
    if facts is None:  # a resource we do not know: judge by severity alone, as production
        return min(100, points)
    points += max((DATA_POINTS.get(c, 0) for c in facts.data_classes), default=0)
    points += EXPOSURE_POINTS.get(facts.exposure or "", 0)
    # Half up, not Python's half-to-even: 37.5 and 22.5 both go up.
    return min(100, math.floor(points * environment_factor(facts.environment) + 0.5))


def environment_factor(environment: str | None) -> float:
    if not environment:
        return 1.0
    return ENVIRONMENT_FACTORS.get(environment.strip().lower(), 1.0)


def exposure(resource: Mapping[str, Any]) -> str | None:
    """public, internet or None, read from the attributes the checks also read."""
    kind = resource.get("type")
    attributes = resource.get("attributes") or {}
    if not isinstance(attributes, dict):
        return None
    if kind in ("aws_db_instance", "aws_rds_cluster", "aws_redshift_cluster"):
        return "public" if attributes.get("publicly_accessible") is True else None
    if kind in ("aws_db_snapshot", "aws_db_cluster_snapshot"):
        return "public" if "all" in (attributes.get("shared_accounts") or []) else None
    if kind == "aws_s3_bucket":
        return "public" if _policy_allows_anyone(attributes.get("policy")) else None
    if kind in ("aws_security_group", "aws_default_security_group"):
        return "internet" if _open_ingress(attributes.get("ingress")) else None
    if kind == "aws_sagemaker_notebook_instance":
        return "internet" if attributes.get("direct_internet_access") == "Enabled" else None
    if kind == "postgresql_hba_rule":
        remote = attributes.get("connection_type") not in (None, "local")
        return "internet" if remote and attributes.get("address") in _ANYWHERE else None
    return None


def _open_ingress(rules: Any) -> bool:
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        blocks = list(rule.get("cidr_blocks") or []) + list(rule.get("ipv6_cidr_blocks") or [])
        if any(block in _ANYWHERE for block in blocks):
            return True
    return False


def _policy_allows_anyone(policy: Any) -> bool:
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if "Condition" in statement:  # conditions usually narrow "*" to an org or a VPC
            continue
        principal = statement.get("Principal")
        if principal == "*" or (
            isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))
        ):
            return True
    return False


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
