"""The validation API, version 1: `POST /v1/validate` and `POST /v1/plans`.

Request bodies are parsed with every check an input file gets (repeated keys, depth,
non-finite numbers) and checked against the JSON Schemas the OpenAPI document is built
from (service/openapi.py), so what the document says is what is enforced.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from compliance_opa.app.validate import REQUEST, Validation, judge_plan, validate
from compliance_opa.domain.findings import FRAMEWORKS, Severity
from compliance_opa.domain.report import breaches
from compliance_opa.inventory.load import parse_json
from compliance_opa.reports import MEDIA_TYPES, RENDERERS
from compliance_opa.reports.json_report import build, finding_dict
from compliance_opa.service.context import Service, service_of
from compliance_opa.service.http import ApiError, json_response, read_body, require_json
from compliance_opa.service.metrics import VALIDATION_LATENCY, VALIDATION_REQUESTS
from compliance_opa.state.decisions import Decision, record_decisions

FAIL_ON = ("critical", "high", "medium", "low", "info", "none")

TERRAFORM_RESOURCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 200},
        "name": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,200}$"},
        "address": {"type": "string", "minLength": 1, "maxLength": 2048},
        "values": {"type": "object", "description": "the resource's planned attribute values"},
    },
}

VALIDATE_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "resources": {
            "type": "array",
            "description": "resources in the inventory shape (inventory_schemas/envelope.json)",
            "items": {"type": "object"},
        },
        "terraform_resources": {"type": "array", "items": TERRAFORM_RESOURCE_SCHEMA},
        "frameworks": {
            "type": "array",
            "uniqueItems": True,
            "items": {"enum": list(FRAMEWORKS)},
        },
    },
}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(VALIDATE_REQUEST_SCHEMA)


async def post_validate(request: Request) -> Response:
    service = service_of(request)
    caller = service.caller(request, "validate")
    service.rate_limited(caller)
    require_json(request)
    started = time.perf_counter()
    outcome = "error"
    try:
        raw = await read_body(request, service.settings.max_body_bytes)
        answer = await run_in_threadpool(_validated, service, raw, caller.name)
        outcome = "ok"
        return json_response(answer)
    finally:
        VALIDATION_REQUESTS.labels(endpoint="validate", outcome=outcome).inc()
        VALIDATION_LATENCY.labels(endpoint="validate").observe(time.perf_counter() - started)


def _validated(service: Service, raw: bytes, caller: str) -> dict[str, Any]:
    body = parse_json(REQUEST, raw)
    error = jsonschema.exceptions.best_match(_validator().iter_errors(body))
    if error is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        raise ApiError(422, f"{REQUEST}: ${where}: {_schema_message(error)}")
    validation = validate(
        body,
        service.engine.verdicts_evaluator(),
        service.config.parameters,
        service.settings.max_batch,
    )
    if service.settings.decision_log:
        _log_decisions(service, validation, caller)
    return validation_answer(validation)


def validation_answer(validation: Validation) -> dict[str, Any]:
    report = validation.report
    controls = {
        r.check.check_id: {
            f: list(r.check.controls[f]) for f in report.frameworks if r.check.controls.get(f)
        }
        for r in report.results
    }
    results = []
    for v in validation.verdicts:
        entry: dict[str, Any] = {
            "address": v.address,
            "type": v.resource_type,
            "status": v.verdict.value,
            "checks_evaluated": len(v.evaluated),
            "findings": [finding_dict(f, controls[f.check.check_id]) for f in v.findings],
        }
        if v.reason:
            entry["reason"] = v.reason
        results.append(entry)
    # The worst verdict of the batch: one non-compliant resource makes the answer so.
    statuses = {v.verdict.value for v in validation.verdicts}
    overall = next((s for s in ("NON_COMPLIANT", "INDETERMINATE") if s in statuses), "COMPLIANT")
    return {
        "decision_id": validation.decision_id,
        "status": overall,
        "policy_digest": report.policy_digest,
        "opa_version": report.opa_version,
        "frameworks": list(report.frameworks),
        "results": results,
    }


def _log_decisions(service: Service, validation: Validation, caller: str) -> None:
    at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    report = validation.report
    decisions = [
        Decision(
            decision_id=validation.decision_id,
            decided_at=at,
            caller=caller,
            endpoint="validate",
            address=v.address,
            resource_type=v.resource_type,
            resource_digest=v.digest,
            verdict=v.verdict.value,
            policy_digest=report.policy_digest,
            opa_version=report.opa_version,
        )
        for v in validation.verdicts
    ]
    with service.store() as store, store.transaction() as tx:
        record_decisions(tx, decisions)


async def post_plan(request: Request) -> Response:
    service = service_of(request)
    caller = service.caller(request, "validate")
    service.rate_limited(caller)
    require_json(request)
    fail_on = request.query_params.get("fail_on", "low")
    output = request.query_params.get("format", "json")
    frameworks = tuple(request.query_params.getlist("framework"))
    if fail_on not in FAIL_ON:
        raise ApiError(400, f"fail_on {fail_on[:40]!r}: expected one of {', '.join(FAIL_ON)}")
    if output not in RENDERERS:
        raise ApiError(400, f"format {output[:40]!r}: expected one of {', '.join(RENDERERS)}")
    unknown = [f for f in frameworks if f not in FRAMEWORKS]
    if unknown:
        raise ApiError(
            400, f"framework {unknown[0][:40]!r}: expected one of {', '.join(FRAMEWORKS)}"
        )
    if not service.plans.try_enter():
        raise ApiError(
            503,
            f"{service.plans.limit} plans are being judged: try again shortly",
            {"Retry-After": "5"},
        )
    started = time.perf_counter()
    outcome = "error"
    try:
        raw = await read_body(request, service.settings.run_task.max_plan_bytes)
        # Judged and rendered off the event loop: a big plan takes seconds.
        answer = await run_in_threadpool(_judged_plan, service, raw, frameworks, fail_on, output)
        outcome = "ok"
        return answer
    finally:
        service.plans.leave()
        VALIDATION_REQUESTS.labels(endpoint="plans", outcome=outcome).inc()
        VALIDATION_LATENCY.labels(endpoint="plans").observe(time.perf_counter() - started)


def _judged_plan(
    service: Service, raw: bytes, frameworks: tuple[str, ...], fail_on: str, output: str
) -> Response:
    report = judge_plan(
        Path("plan"),
        raw,
        service.engine.evaluator(),
        frameworks,
        service.config.parameters,
        service.threshold,
    )
    breached = breaches(report, None if fail_on == "none" else Severity(fail_on))
    gate = "failed" if breached else "passed"
    if output != "json":
        text = RENDERERS[output](report)
        return Response(text, media_type=MEDIA_TYPES[output], headers={"X-Opa-Comply-Gate": gate})
    return json_response({"gate": {"fail_on": fail_on, "status": gate}, "report": build(report)})


def _schema_message(error: jsonschema.ValidationError) -> str:
    """What is wrong, without echoing the value (it may be long, or hold markup)."""
    if error.validator == "type":
        return f"expected {error.validator_value}"
    if error.validator == "additionalProperties":
        return error.message if len(error.message) < 200 else "unexpected property"
    if error.validator == "enum":
        choices: Any = error.validator_value
        return f"expected one of {', '.join(map(str, choices))}"
    if error.validator == "required":
        return error.message if len(error.message) < 200 else "a required property is missing"
    return f"does not satisfy {error.validator} {error.validator_value!r}"[:200]
