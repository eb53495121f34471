"""Property-based tests of the validation API from its own OpenAPI document
(schemathesis, positive and negative cases): never a 500 nor a traceback, every answer
other than 2xx in the error shape, answers conforming to the document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.serve_support import RunningService, running_service

MAX_EXAMPLES = 120


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    folder = tmp_path_factory.mktemp("serve-properties")
    serve = {
        "max_batch": 5,
        "max_body_bytes": 256 * 1024,
        "rate_limit": {"per_second": 10000, "burst": 10000},
    }
    # A run-task key is set, so unsigned or wrongly signed payloads meet the signature
    # check (401) rather than "not configured" (503).
    env = {"OPA_COMPLY_RUN_TASK_KEY": "property-test-key-2f9c"}
    with running_service(folder, serve=serve, env=env) as service:
        yield service


@pytest.fixture(scope="module")
def api_schema(svc: RunningService) -> Any:
    answer = requests.get(svc.url + "/v1/openapi.json", headers=svc.auth("reader"), timeout=10)
    assert answer.status_code == 200, answer.text
    return schemathesis.openapi.from_dict(answer.json())


def check_answer(case: Case[Any], svc: RunningService) -> None:
    # Every check of schemathesis but positive_data_acceptance: the document does not
    # spell out the inventory shape or a plan's (it points to their schemas), so a
    # body it allows may still be refused, as documented, with a 400. For the run task,
    # not negative_data_rejection either: its list of refusals has no 413, which is how
    # the run task refuses a body over 64 KiB (read before its signature is checked).
    excluded: list[CheckFunction] = [positive_data_acceptance]
    if case.operation.definition.raw.get("operationId") == "runTaskTerraform":
        excluded.append(negative_data_rejection)
    response = case.call_and_validate(
        base_url=svc.url,
        headers=svc.auth("validator"),
        excluded_checks=excluded,
        timeout=30,
    )
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    if response.status_code >= 400:
        document = response.json()
        assert set(document) == {"error"}
        error = document["error"]
        assert set(error) == {"status", "code", "message"}
        assert error["status"] == response.status_code
        assert isinstance(error["code"], str)
        assert isinstance(error["message"], str)


# schemathesis's own pytest integration (parametrize, from_fixture) does not run under
# pytest 9: each operation's strategy is driven by hypothesis here instead.
@pytest.mark.parametrize(
    ("operation_id", "mode"),
    [
        ("validate", GenerationMode.POSITIVE),
        ("validate", GenerationMode.NEGATIVE),
        ("plans", GenerationMode.POSITIVE),
        ("plans", GenerationMode.NEGATIVE),
        ("runTaskTerraform", GenerationMode.POSITIVE),  # never signed right: 401, shaped
        ("runTaskTerraform", GenerationMode.NEGATIVE),
        ("listRunTasks", GenerationMode.POSITIVE),  # with a validate token: 403, shaped
        ("listRunTasks", GenerationMode.NEGATIVE),
        ("metrics", GenerationMode.POSITIVE),
        ("healthz", GenerationMode.POSITIVE),  # nothing to negate in the two health checks
        ("ready", GenerationMode.POSITIVE),
    ],
)
def test_the_api_holds_to_its_document(
    api_schema: Any, svc: RunningService, operation_id: str, mode: GenerationMode
) -> None:
    operation = api_schema.find_operation_by_id(operation_id)
    calls: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def holds(case: Case[Any]) -> None:
        calls.append(1)
        check_answer(case, svc)

    holds()
    assert calls, "hypothesis generated no case"


def test_the_server_log_holds_no_traceback(svc: RunningService) -> None:
    """Run after the properties (same module): nothing they sent was logged as a crash."""
    log = svc.log_text()
    assert "Traceback" not in log
    assert "unexpected" not in log
    assert " 500 " not in log
