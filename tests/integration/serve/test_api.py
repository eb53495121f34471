"""The validation API against a real `opa-comply serve` and a real OPA: a validated
resource gets the verdict a scan gives it, /v1/plans answers as `opa-comply plan` does,
frameworks, batches, the decision log, tokens and security headers."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import requests

from compliance_opa.app.evaluate import run_scan
from compliance_opa.domain.findings import Finding, Status
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.connect import EngineSettings, started_engine
from compliance_opa.engine.evaluator import REPORT_PATH, Evaluation
from compliance_opa.inventory.load import inventory_from_bytes
from tests.conftest import EXAMPLES, REPO, run_cli, write_json
from tests.plan_builder import resource_change
from tests.serve_support import TOKENS, RunningService, running_service

EXAMPLE_FILES = sorted(
    [*EXAMPLES.glob("*.json"), *(EXAMPLES / "library").glob("*.json"),
     *(EXAMPLES / "compliant").glob("*.json")]
)  # fmt: skip
PLANS = REPO / "tests" / "fixtures" / "terraform-plans"
MAX_BATCH = 20
SECRET = "sk_live_DO-NOT-LOG-7f3c9a1e55b2"  # looks like a key: must never reach the store

FindingKey = tuple[str, str, str, int, str, tuple[str, ...]]


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    folder = tmp_path_factory.mktemp("serve-api")
    serve = {"max_batch": MAX_BATCH, "rate_limit": {"per_second": 1000, "burst": 1000}}
    with running_service(folder, serve=serve) as service:
        yield service


class DigestOnce:
    """A client whose policy digest is asked once (it hashes every module: most of a
    one-resource scan's time), every query going to OPA as a scan's does."""

    def __init__(self, client: OpaClient) -> None:
        self._client = client
        self._digest = client.policy_digest()

    @property
    def display_url(self) -> str:
        return self._client.display_url

    def evaluate(self, document: dict[str, Any], path: str = REPORT_PATH) -> Evaluation:
        return self._client.evaluate(document, path)

    def evaluate_body(self, body: bytes, path: str = REPORT_PATH) -> Evaluation:
        return self._client.evaluate_body(body, path)

    def policy_digest(self) -> str:
        return self._digest


@pytest.fixture(scope="module")
def opa() -> Iterator[DigestOnce]:
    """A managed OPA on the bundled policies, for scans run in this process."""
    with started_engine(EngineSettings()) as (client, wait):
        wait()
        yield DigestOnce(client)


def post(
    svc: RunningService,
    path: str,
    body: Any,
    token: str = "validator",  # noqa: S107 - a name in TOKENS
) -> requests.Response:
    return requests.post(svc.url + path, json=body, headers=svc.auth(token), timeout=60)


def validate(svc: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    answer = post(svc, "/v1/validate", body)
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


def batches(items: Sequence[Any], size: int = MAX_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def api_key(f: dict[str, Any]) -> FindingKey:
    paths = tuple(f["unresolved_paths"])
    return (f["check_id"], f["status"], f["severity"], f["risk"], f["message"], paths)


def report_key(f: Finding) -> FindingKey:
    return (f.check.check_id, f.status.value, f.check.severity.value, f.risk, f.message, f.paths)


def expected_verdict(findings: Sequence[FindingKey], evaluated: int) -> str:
    statuses = {f[1] for f in findings}
    if "fail" in statuses:
        return "NON_COMPLIANT"
    if "indeterminate" in statuses or evaluated == 0:
        return "INDETERMINATE"
    return "COMPLIANT"


def single_resource_inventories(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Each example resource alone in an inventory with its file's envelope."""
    written = []
    for source in EXAMPLE_FILES:
        document = json.loads(source.read_text(encoding="utf-8"))
        for index, resource in enumerate(document["resources"]):
            path = folder / f"{source.parent.name}-{source.stem}-{index}.json"
            write_json(path, {**document, "resources": [resource]})
            written.append((path, resource))
    return written


def test_every_example_resource_is_judged_as_a_scan_judges_it(
    svc: RunningService, opa: DigestOnce, tmp_path: Path
) -> None:
    alone = single_resource_inventories(tmp_path)
    assert len(alone) > 90
    # The API, in batches of at most max_batch (one example file's resources at a time,
    # so that addresses stay unique within a request).
    answered: dict[Path, dict[str, Any]] = {}
    by_file: dict[str, list[tuple[Path, dict[str, Any]]]] = defaultdict(list)
    for path, resource in alone:
        by_file[path.stem.rsplit("-", 1)[0]].append((path, resource))
    for group in by_file.values():
        for batch in batches(group):
            document = validate(svc, {"resources": [r for _, r in batch]})
            assert [r["address"] for r in document["results"]] == [r["address"] for _, r in batch]
            answered.update(zip([p for p, _ in batch], document["results"], strict=True))
    # The scan, each resource alone in its inventory, read as the CLI reads a file.
    verdicts = set()
    for path, resource in alone:
        inventory = inventory_from_bytes(path, path.read_bytes())
        report = run_scan([inventory], opa)
        address = resource["address"]
        evaluated = {r.check.check_id for r in report.results if address in r.evaluated}
        expected = sorted(report_key(f) for f in report.findings)
        result = answered[path]
        assert sorted(api_key(f) for f in result["findings"]) == expected, address
        assert result["checks_evaluated"] == len(evaluated), address
        assert result["status"] == expected_verdict(expected, len(evaluated)), address
        assert ("reason" in result) == (not evaluated), address
        verdicts.add(result["status"])
    assert verdicts == {"COMPLIANT", "NON_COMPLIANT", "INDETERMINATE"}


def test_the_cli_scan_of_each_resource_alone_agrees_with_the_api(
    svc: RunningService, tmp_path: Path
) -> None:
    """`opa-comply scan` itself, on one inventory per resource (a few runs: addresses must
    be unique within a run), gives each resource the API's findings."""
    alone = single_resource_inventories(tmp_path)
    runs: list[list[tuple[Path, dict[str, Any]]]] = []
    for item in alone:
        run = next((r for r in runs if all(x[1]["address"] != item[1]["address"] for x in r)), None)
        if run is None:
            runs.append(run := [])
        run.append(item)
    assert len(runs) <= 3
    for run in runs:
        result = run_cli("scan", "--format", "json", "--fail-on", "none", *[p for p, _ in run])
        assert result.code == 0, result.stderr
        report = result.json()
        cli: dict[str, list[FindingKey]] = defaultdict(list)
        for f in report["findings"]:
            cli[f["resource"]].append(api_key(f))
        evaluated_total = sum(c["resources_evaluated"] for c in report["checks"])
        api_total = 0
        for batch in batches(run):
            document = validate(svc, {"resources": [r for _, r in batch]})
            for result_ in document["results"]:
                found = sorted(api_key(f) for f in result_["findings"])
                assert found == sorted(cli[result_["address"]]), result_["address"]
                api_total += result_["checks_evaluated"]
        assert api_total == evaluated_total


def aws_terraform_resources() -> list[dict[str, Any]]:
    """The AWS resources of the examples as Terraform resources (type and values)."""
    items: list[dict[str, Any]] = []
    for source in EXAMPLE_FILES:
        for resource in json.loads(source.read_text(encoding="utf-8"))["resources"]:
            if resource["type"].startswith("aws_"):
                name = f"r{len(items)}"
                values = resource.get("attributes", {})
                items.append({"type": resource["type"], "name": name, "values": values})
    return items


def test_terraform_resources_get_the_verdicts_of_opa_comply_plan(
    svc: RunningService, tmp_path: Path
) -> None:
    items = aws_terraform_resources()
    assert len(items) > 40
    # One plan holding them all (no check looks across resources of these types), the
    # API in batches of max_batch.
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [
            resource_change(f"{i['type']}.{i['name']}", i["type"], i["values"], ["create"])
            for i in items
        ],
    }
    result = run_cli("plan", "--format", "json", "--fail-on", "none",
                     write_json(tmp_path / "plan.json", plan))  # fmt: skip
    assert result.code == 0, result.stderr
    cli: dict[str, list[FindingKey]] = defaultdict(list)
    for f in result.json()["findings"]:
        cli[f["resource"]].append(api_key(f))
    seen = set()
    for batch in batches(items):
        document = validate(svc, {"terraform_resources": list(batch)})
        for item, answered in zip(batch, document["results"], strict=True):
            address = f"{item['type']}.{item['name']}"
            assert answered["address"] == address
            found = sorted(api_key(f) for f in answered["findings"])
            assert found == sorted(cli[address]), address
            want = expected_verdict(found, answered["checks_evaluated"])
            assert answered["status"] == want, address
            seen.add(answered["status"])
    assert {"COMPLIANT", "NON_COMPLIANT"} <= seen


# /v1/plans


def plan_findings(document: dict[str, Any]) -> list[tuple[str, str, str, str, int, str]]:
    return sorted(
        (f["check_id"], f["resource"], f["status"], f["severity"], f["risk"], f["message"])
        for f in document["findings"]
    )


@pytest.mark.parametrize(
    "fixture",
    [
        "bridgecrewio__checkov__tests__terraform__runner__resources__plan__tfplan.json",
        "bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_iam_policies__tfplan.json",
        "fugue__regula__rego__tests__rules__tf__aws__cloudtrail__inputs__issue355_infra.json",
        "snyk__policy-engine__pkg__input__golden_test__tfplan__resource-changes__plan.json",
    ],
)
def test_plans_answers_as_opa_comply_plan(svc: RunningService, fixture: str) -> None:
    plan = PLANS / fixture
    cli = run_cli("plan", "--format", "json", "--fail-on", "none", plan)
    assert cli.code == 0, cli.stderr
    answer = requests.post(
        svc.url + "/v1/plans?fail_on=none",
        data=plan.read_bytes(),
        headers={**svc.auth("validator"), "Content-Type": "application/json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert document["gate"] == {"fail_on": "none", "status": "passed"}
    assert plan_findings(document["report"]) == plan_findings(cli.json())
    assert document["report"]["summary"]["checks"] == cli.json()["summary"]["checks"]
    assert plan_findings(cli.json()), "a plan with findings, so the comparison means something"


def test_plans_gate_formats_and_frameworks(svc: RunningService) -> None:
    plan = PLANS / "bridgecrewio__checkov__tests__terraform__runner__resources__plan__tfplan.json"
    raw = plan.read_bytes()
    headers = {**svc.auth("validator"), "Content-Type": "application/json"}

    def call(query: str) -> requests.Response:
        return requests.post(svc.url + "/v1/plans" + query, data=raw, headers=headers, timeout=60)

    failing = call("?fail_on=low")
    assert failing.status_code == 200
    assert failing.json()["gate"] == {"fail_on": "low", "status": "failed"}
    severities = {f["severity"] for f in failing.json()["report"]["findings"]
                  if f["status"] == "fail"}  # fmt: skip
    # A gate above every failing severity passes.
    order = ["info", "low", "medium", "high", "critical"]
    top = max(severities, key=order.index)
    if top != "critical":
        above = order[order.index(top) + 1]
        assert call(f"?fail_on={above}").json()["gate"]["status"] == "passed"
    assert call(f"?fail_on={top}").json()["gate"]["status"] == "failed"
    media = {
        "sarif": "application/sarif+json",
        "junit": "application/xml",
        "markdown": "text/markdown; charset=utf-8",
        "html": "text/html; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "oscal": "application/json",
    }
    for output, content_type in media.items():
        answer = call(f"?format={output}")
        assert answer.status_code == 200, (output, answer.text)
        assert answer.headers["content-type"] == content_type
        assert answer.headers["x-opa-comply-gate"] == "failed"
        assert answer.text.strip()
    sarif = call("?format=sarif").json()
    assert sarif["version"] == "2.1.0"
    only = call("?framework=pci_dss").json()["report"]
    assert only["scan"]["frameworks"] == ["pci_dss"]
    assert all("pci_dss" in f["controls"] for f in only["findings"])
    assert len(only["findings"]) <= len(failing.json()["report"]["findings"])


def test_plans_refuses_json_that_is_not_a_plan(svc: RunningService) -> None:
    headers = {**svc.auth("validator"), "Content-Type": "application/json"}
    for body, says in (
        # An inventory, not a plan: said so, not which plan field it lacks.
        ((EXAMPLES / "aws-production.json").read_bytes(), "not a Terraform plan JSON"),
        (b'{"hello": "world"}', "not a Terraform plan JSON"),
        (b"[1, 2, 3]", "not a Terraform plan JSON"),
        (b'{"format_version": "1.2"}', "needs resource_changes or planned_values"),
    ):
        answer = requests.post(svc.url + "/v1/plans", data=body, headers=headers, timeout=30)
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert error["status"] == 400
        assert error["code"] == "bad_request"
        assert says in error["message"], error
    for query in ("?fail_on=extreme", "?format=pdf", "?framework=sox"):
        answer = requests.post(svc.url + "/v1/plans" + query, data=b"{}", headers=headers,
                               timeout=30)  # fmt: skip
        assert answer.status_code == 400
        assert answer.json()["error"]["code"] == "bad_request"


# Frameworks, batches, addresses


def test_frameworks_narrow_the_checks(svc: RunningService) -> None:
    resources = json.loads((EXAMPLES / "aws-production.json").read_text())["resources"]
    every = validate(svc, {"resources": resources})
    assert every["frameworks"] == ["gdpr", "hipaa", "pci_dss", "soc2", "iso27001"]
    for framework in ("pci_dss", "gdpr"):
        narrowed = validate(svc, {"resources": resources, "frameworks": [framework]})
        assert narrowed["frameworks"] == [framework]
        for wide, narrow in zip(every["results"], narrowed["results"], strict=True):
            assert narrow["checks_evaluated"] <= wide["checks_evaluated"]
            for finding in narrow["findings"]:
                assert list(finding["controls"]) == [framework]
                assert finding["controls"][framework]
            wide_ids = {f["check_id"] for f in wide["findings"]}
            assert {f["check_id"] for f in narrow["findings"]} <= wide_ids
    answer = post(svc, "/v1/validate", {"resources": resources, "frameworks": ["iso"]})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid"


def test_a_batch_over_max_batch_is_refused(svc: RunningService) -> None:
    items = [{"type": "aws_s3_bucket", "name": f"b{i}", "values": {}} for i in range(MAX_BATCH)]
    assert post(svc, "/v1/validate", {"terraform_resources": items}).status_code == 200
    over = [*items, {"type": "aws_s3_bucket", "name": "one_more", "values": {}}]
    answer = post(svc, "/v1/validate", {"terraform_resources": over})
    assert answer.status_code in (400, 422)
    error = answer.json()["error"]
    assert error["status"] == answer.status_code
    assert f"{MAX_BATCH + 1} resources" in error["message"]
    assert str(MAX_BATCH) in error["message"]


def test_duplicate_addresses_are_refused(svc: RunningService) -> None:
    resource = json.loads((EXAMPLES / "aws-production.json").read_text())["resources"][0]
    answer = post(svc, "/v1/validate", {"resources": [resource, resource]})
    assert answer.status_code == 400
    assert resource["address"] in answer.json()["error"]["message"]
    twice = [{"type": "aws_s3_bucket", "name": "same"}, {"type": "aws_s3_bucket", "name": "same"}]
    answer = post(svc, "/v1/validate", {"terraform_resources": twice})
    assert answer.status_code == 400
    assert "aws_s3_bucket.same" in answer.json()["error"]["message"]
    # The same address given once in each form.
    mixed = {
        "resources": [{**resource, "address": "aws_s3_bucket.r0"}],
        "terraform_resources": [{"type": "aws_s3_bucket", "values": {}}],
    }
    answer = post(svc, "/v1/validate", mixed)
    assert answer.status_code == 400
    assert "aws_s3_bucket.r0" in answer.json()["error"]["message"]


# The decision log


def test_the_decision_log_keeps_verdicts_never_values(tmp_path: Path) -> None:
    production = json.loads((EXAMPLES / "aws-production.json").read_text())["resources"]
    planted = json.loads(json.dumps(production[:3]))
    for resource in planted:
        resource["attributes"]["api_key"] = SECRET
        resource["tags"] = {**resource.get("tags", {}), "Owner": SECRET}
    terraform = [{"type": "aws_s3_bucket", "name": "planted", "values": {"bucket": SECRET}}]
    store = tmp_path / "state.db"
    with running_service(tmp_path, serve={"decision_log": True}, state=str(store)) as svc:
        answer = post(svc, "/v1/validate", {"resources": planted, "terraform_resources": terraform})
        assert answer.status_code == 200, answer.text
        document = answer.json()
        other = post(svc, "/v1/validate", {"resources": planted[:1]}, token="all")
        assert other.status_code == 200
        assert SECRET not in svc.log_text()
    with sqlite3.connect(store) as db:
        rows = db.execute(
            "SELECT decision_id, caller, endpoint, resource_type, resource_digest, verdict,"
            " policy_digest, opa_version, address_digest, decided_at FROM decisions ORDER BY seq"
        ).fetchall()
    assert len(rows) == 5  # one per resource of each request
    first = [r for r in rows if r[0] == document["decision_id"]]
    assert [r[5] for r in first] == [r["status"] for r in document["results"]]
    assert [r[3] for r in first] == [r["type"] for r in document["results"]]
    for row in first:
        assert row[1] == "validator"
        assert row[2] == "validate"
        assert len(row[4]) == 64
        assert row[6] == document["policy_digest"]
        assert row[7] == document["opa_version"]
        assert len(row[8]) == 64
    assert [r[1] for r in rows if r[0] != document["decision_id"]] == ["all"]
    # The same resource digests the same way in both requests.
    assert rows[0][4] == rows[4][4]
    # Never a value, nor an address, anywhere in the store's files.
    for path in tmp_path.glob("state.db*"):
        content = path.read_bytes()
        assert SECRET.encode() not in content, path
        for resource in planted:
            assert resource["address"].encode() not in content, path


# Tokens


def test_tokens_missing_malformed_wrong_and_without_the_scope(svc: RunningService) -> None:
    body = {"terraform_resources": [{"type": "aws_s3_bucket", "values": {}}]}
    validator = TOKENS["validator"][0]
    cases: list[tuple[dict[str, str], int, str]] = [
        ({}, 401, "unauthorized"),
        ({"Authorization": ""}, 401, "unauthorized"),
        ({"Authorization": "Bearer"}, 401, "unauthorized"),
        ({"Authorization": f"Basic {validator}"}, 401, "unauthorized"),
        ({"Authorization": f"Token {validator}"}, 401, "unauthorized"),
        ({"Authorization": "Bearer " + "x" * 10_000}, 401, "unauthorized"),
        ({"Authorization": "Bearer wrong-token-0000"}, 401, "unauthorized"),
        ({"Authorization": f"Bearer {validator}x"}, 401, "unauthorized"),
        ({"Authorization": f"Bearer {validator[:-1]}"}, 401, "unauthorized"),
        (svc.auth("reader"), 403, "forbidden"),
        (svc.auth("runtask"), 403, "forbidden"),
        # The dashboard's cookie counts for reading only, never for validating.
        ({"Cookie": f"opa_comply_token={validator}"}, 401, "unauthorized"),
        ({"Cookie": f"opa_comply_token={TOKENS['all'][0]}"}, 401, "unauthorized"),
    ]
    for path in ("/v1/validate", "/v1/plans"):
        for headers, status, code in cases:
            answer = requests.post(svc.url + path, json=body, headers=headers, timeout=30)
            assert answer.status_code == status, (path, headers.keys(), answer.text)
            assert answer.json()["error"] == {
                "status": status,
                "code": code,
                "message": answer.json()["error"]["message"],
            }
            if status == 401:
                assert answer.headers["www-authenticate"].startswith("Bearer")
            assert validator not in answer.text
    for name in ("validator", "all"):
        assert post(svc, "/v1/validate", body, token=name).status_code == 200
    # The OpenAPI document needs a read token (the cookie does for reading).
    assert requests.get(svc.url + "/v1/openapi.json", timeout=10).status_code == 401
    assert requests.get(svc.url + "/v1/openapi.json", headers=svc.auth("validator"),
                        timeout=10).status_code == 403  # fmt: skip
    cookie = {"Cookie": f"opa_comply_token={TOKENS['reader'][0]}"}
    assert requests.get(svc.url + "/v1/openapi.json", headers=cookie, timeout=10).ok


# Security headers


def test_every_answer_carries_the_security_headers(svc: RunningService) -> None:
    headers = {**svc.auth("validator"), "Content-Type": "application/json"}
    answers = [
        requests.get(svc.url + "/healthz", timeout=10),
        requests.get(svc.url + "/healthz/ready", timeout=10),
        requests.get(svc.url + "/v1/openapi.json", headers=svc.auth("reader"), timeout=10),
        requests.get(svc.url + "/no-such-page", timeout=10),
        requests.put(svc.url + "/v1/validate", timeout=10),
        requests.post(svc.url + "/v1/validate", timeout=10),
        requests.post(svc.url + "/v1/validate", data=b"{", headers=headers, timeout=10),
        requests.post(svc.url + "/v1/validate", data=b"{}", headers=svc.auth(), timeout=10),
        post(svc, "/v1/validate", {"terraform_resources": [{"type": "aws_s3_bucket"}]}),
        requests.post(svc.url + "/v1/plans?format=html", headers=headers, timeout=30,
                      data=(PLANS / "bridgecrewio__checkov__tests__terraform__runner__resources"
                            "__plan__tfplan.json").read_bytes()),
    ]  # fmt: skip
    statuses = {a.status_code for a in answers}
    assert {200, 400, 401, 404, 405, 415} <= statuses
    for answer in answers:
        csp = answer.headers["content-security-policy"]
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"
        assert "server" not in answer.headers
        if answer.status_code >= 400:
            assert set(answer.json()) == {"error"}


def test_a_fail_finding_makes_the_answer_non_compliant(svc: RunningService) -> None:
    """Worst verdict of the batch: a fail anywhere, else indeterminate anywhere."""
    hardened = json.loads((EXAMPLES / "compliant" / "hardened.json").read_text())["resources"]
    clean = validate(svc, {"resources": hardened})
    per = {r["status"] for r in clean["results"]}
    want = "NON_COMPLIANT" if "NON_COMPLIANT" in per else (
        "INDETERMINATE" if "INDETERMINATE" in per else "COMPLIANT")  # fmt: skip
    assert clean["status"] == want
    bare = [{"type": "aws_s3_bucket", "values": {}}]
    mixed = validate(svc, {"resources": hardened, "terraform_resources": bare})
    assert mixed["status"] == "NON_COMPLIANT"
    assert any(f["status"] == Status.FAIL.value for f in mixed["results"][-1]["findings"])
    for finding in mixed["results"][-1]["findings"]:
        assert finding["remediation"]
        assert 0 <= finding["risk"] <= 100
        assert set(finding["controls"]) <= {"gdpr", "hipaa", "pci_dss", "soc2", "iso27001"}
