"""The validation service: resources posted to `opa-comply serve`, judged as a scan judges
them.

A request names resources in the inventory shape, or as Terraform resources (type and
attribute values), which go through the same plan adapter as a plan file. Both become
one in-memory inventory and go through the scan's own evaluation (``run_scan``), so a
validated resource gets the verdicts a scan would give it alone in its inventory.

A resource's verdict is NON_COMPLIANT when a check fails on it, INDETERMINATE when none
fails but one could not decide (a deciding value is missing) or when no check judges it
at all, COMPLIANT only when at least one check evaluated it and every one passed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

from compliance_opa.app.evaluate import run_scan
from compliance_opa.domain.findings import Finding, Status
from compliance_opa.domain.report import ScanReport
from compliance_opa.engine.evaluator import Evaluator
from compliance_opa.errors import InputError
from compliance_opa.inventory import envelope
from compliance_opa.inventory.load import (
    Inventory,
    check_unique_addresses,
    inventory_from_document,
    parse_json,
)
from compliance_opa.support.jsonbytes import dumps

# Every resource posted is named in errors as part of this.
REQUEST = Path("request body")
# A provider name the plan adapter reads as AWS.
_AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"


class Verdict(StrEnum):
    COMPLIANT = "COMPLIANT"
    NON_COMPLIANT = "NON_COMPLIANT"
    INDETERMINATE = "INDETERMINATE"


@dataclass(frozen=True)
class ResourceVerdict:
    address: str
    resource_type: str
    verdict: Verdict
    digest: str  # sha256 of the resource as posted (canonical JSON): the decision log's key
    evaluated: tuple[str, ...]  # ids of the checks that judged it
    findings: tuple[Finding, ...]  # failing and indeterminate ones
    reason: str = ""  # why INDETERMINATE without a finding


@dataclass(frozen=True)
class Validation:
    decision_id: str
    report: ScanReport
    verdicts: tuple[ResourceVerdict, ...]


def validate(
    body: Mapping[str, Any],
    client: Evaluator,
    parameters: dict[str, Any] | None = None,
    max_batch: int = 100,
) -> Validation:
    """Judge the resources of a request body already parsed and schema-checked
    (``resources`` and/or ``terraform_resources``, optional ``frameworks``)."""
    decision_id = uuid.uuid4().hex
    resources = list(body.get("resources", ()))
    terraform = list(body.get("terraform_resources", ()))
    count = len(resources) + len(terraform)
    if count == 0:
        raise InputError(f"{REQUEST}: give at least one of resources, terraform_resources")
    if count > max_batch:
        raise InputError(f"{REQUEST}: {count} resources, more than the batch limit {max_batch}")
    inventories: list[Inventory] = []
    posted: dict[str, tuple[str, str]] = {}  # address -> (type, digest), in request order
    if resources:
        document = {
            "schema_version": envelope.SCHEMA_VERSION,
            "snapshot_id": f"validate-{decision_id}",
            "collected_at": _now(),
            "sources": [{"kind": "manual", "scope": "validation request", "status": "complete"}],
            "resources": resources,
        }
        raw = dumps(document)
        inventories.append(inventory_from_document(REQUEST, document, raw))
        for resource in resources:
            posted[str(resource["address"])] = (str(resource["type"]), _digest(resource))
    if terraform:
        plan = terraform_plan(terraform)
        inventories.append(inventory_from_document(REQUEST, plan, dumps(plan)))
        for change, item in zip(plan["resource_changes"], terraform, strict=True):
            posted[str(change["address"])] = (str(change["type"]), _digest(item))
    check_unique_addresses(inventories)
    frameworks = tuple(body.get("frameworks", ()))
    report = run_scan(inventories, client, frameworks, parameters, summarize=False)
    verdicts = tuple(
        verdict_of(report, address, kind, digest) for address, (kind, digest) in posted.items()
    )
    return Validation(decision_id, report, verdicts)


def terraform_plan(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Terraform resources (type, attribute values, optional name or address) as the
    plan JSON `terraform show -json` would write for creating them."""
    changes = []
    for index, item in enumerate(items):
        kind = str(item["type"])
        name = str(item.get("name") or f"r{index}")
        address = str(item.get("address") or f"{kind}.{name}")
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": kind,
                "name": name,
                "provider_name": _AWS_PROVIDER,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": item.get("values", {}),
                    "after_unknown": {},
                    "after_sensitive": {},
                },
            }
        )
    return {"format_version": "1.2", "resource_changes": changes}


def verdict_of(report: ScanReport, address: str, kind: str, digest: str) -> ResourceVerdict:
    evaluated = tuple(r.check.check_id for r in report.results if address in r.evaluated)
    findings = tuple(f for r in report.results for f in r.findings if f.resource == address)
    reason = ""
    if any(f.status is Status.FAIL for f in findings):
        verdict = Verdict.NON_COMPLIANT
    elif findings:
        verdict = Verdict.INDETERMINATE
    elif not evaluated:
        # Nothing judged it: an unknown type, or one the selected frameworks do not cover.
        verdict = Verdict.INDETERMINATE
        reason = f"no check of the selected frameworks judges a {kind}"
        if address not in report.locations:
            reason = f"not judged: {kind} is not a resource type the inventory knows"
    else:
        verdict = Verdict.COMPLIANT
    return ResourceVerdict(address, kind, verdict, digest, evaluated, findings, reason)


def _digest(resource: Any) -> str:
    try:
        canonical = orjson.dumps(resource, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # an integer past 64 bits, which JSON allows
        canonical = json.dumps(
            resource, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def judge_plan(
    label: Path,
    raw: bytes,
    client: Evaluator,
    frameworks: Sequence[str] = (),
    parameters: dict[str, Any] | None = None,
    threshold: float | None = None,
) -> ScanReport:
    """A whole Terraform plan JSON, judged as `opa-comply plan` judges a plan file."""
    document = parse_json(label, raw)
    if not isinstance(document, dict) or "format_version" not in document:
        # An inventory or anything else: say what is expected, not what it lacks.
        raise InputError(f"{label}: not a Terraform plan JSON (terraform show -json plan.out)")
    inventory = inventory_from_document(label, document, raw)
    report = run_scan([inventory], client, frameworks, parameters)
    return report if threshold is None else replace(report, threshold=threshold)
