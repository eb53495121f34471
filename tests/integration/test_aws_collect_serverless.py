"""AWS collection of the serverless, messaging and edge services end to end: moto in server
mode over real HTTP on loopback, one account (base credentials) and two regions, collected
by the real CLI and judged by the real OPA (tests/aws_estate_serverless.py provisions it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from collectors.aws import AwsOptions, collect_aws
from collectors.aws.services import SERVICES
from collectors.aws.services.awslambda import VALUE_NOT_COLLECTED
from compliance_opa.inventory.load import load_inventory
from tests.aws_estate import Estate
from tests.aws_estate_serverless import (
    ACCOUNT,
    AUTH_TOKEN,
    ENV_SECRET,
    PAGED_BUSES,
    REGIONS,
    provision,
)
from tests.aws_estate_serverless import (
    SERVICES as ESTATE_SERVICES,
)
from tests.aws_support import BASE_ENV, MotoServer, aws_env, least_privilege_gaps, serve_moto
from tests.conftest import CliResult, run_cli

REGION_ARGS = [arg for region in REGIONS for arg in ("--region", region)]

TYPES = {
    "aws_acm_certificate",
    "aws_api_gateway_domain_name",
    "aws_api_gateway_method",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_stage",
    "aws_apigatewayv2_domain_name",
    "aws_apigatewayv2_route",
    "aws_apigatewayv2_stage",
    "aws_cloudfront_distribution",
    "aws_cloudwatch_event_bus_policy",
    "aws_elasticache_replication_group",
    "aws_elb",
    "aws_kinesis_stream",
    "aws_lambda_function",
    "aws_lambda_function_url",
    "aws_lambda_permission",
    "aws_lb",
    "aws_lb_listener",
    "aws_sns_topic",
    "aws_sqs_queue",
}


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def estate(moto: MotoServer) -> Iterator[Estate]:
    moto.reset()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        yield provision(moto.url)


@dataclass(frozen=True)
class Scanned:
    result: CliResult
    snapshot: dict[str, Any]
    report: dict[str, Any]


@pytest.fixture(scope="module")
def scanned(moto: MotoServer, estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    folder = tmp_path_factory.mktemp("aws-serverless")
    result = run_cli(
        "scan",
        "--collect",
        "aws",
        "--endpoint-url",
        moto.url,
        *REGION_ARGS,
        "--services",
        ",".join(ESTATE_SERVICES),
        "--save-snapshot",
        folder / "snapshot.json",
        "--format",
        "json",
        "--output",
        folder / "report.json",
        env=aws_env(),
        timeout=300,
    )
    assert result.code == 1, result.stderr  # findings at or above low
    return Scanned(
        result,
        json.loads((folder / "snapshot.json").read_text()),
        json.loads((folder / "report.json").read_text()),
    )


def _key(resource: dict[str, Any]) -> tuple[str, str | None, str, str]:
    return (resource["account"], resource["region"], resource["type"], resource["name"])


def _outcomes(scanned: Scanned, status: str) -> dict[tuple[str, str | None, str, str], set[str]]:
    by_address = {r["address"]: r for r in scanned.snapshot["resources"]}
    outcomes: dict[tuple[str, str | None, str, str], set[str]] = {
        _key(r): set() for r in scanned.snapshot["resources"]
    }
    for finding in scanned.report["findings"]:
        if finding["status"] == status:
            outcomes[_key(by_address[finding["resource"]])].add(finding["check_id"])
    return outcomes


def test_the_scan_judges_every_collected_resource_exactly(scanned: Scanned, estate: Estate) -> None:
    failed = _outcomes(scanned, "fail")
    assert set(failed) == set(estate.expected), "collected resources differ from those provisioned"
    wrong = {
        k: (sorted(estate.expected[k]), sorted(v))
        for k, v in failed.items()
        if v != estate.expected[k]
    }
    assert wrong == {}, "resource: (expected failures, actual failures)"
    undecided = {k: v for k, v in _outcomes(scanned, "indeterminate").items() if v}
    assert undecided == estate.undecided


def test_every_type_in_both_regions(scanned: Scanned) -> None:
    resources = scanned.snapshot["resources"]
    assert {r["type"] for r in resources} == TYPES
    assert {r["account"] for r in resources} == {ACCOUNT}
    for kind in TYPES - {"aws_cloudfront_distribution"}:
        assert {r["region"] for r in resources if r["type"] == kind} == set(REGIONS), kind
    # CloudFront is account-wide.
    assert {r["region"] for r in resources if r["type"] == "aws_cloudfront_distribution"} == {None}
    assert len({r["address"] for r in resources}) == len(resources)


def test_snapshot_is_schema_valid_and_coverage_complete(scanned: Scanned, tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(scanned.snapshot))
    load_inventory(path)  # raises on any schema violation
    services = [SERVICES[name] for name in ESTATE_SERVICES]
    expected = {f"{ACCOUNT}/{s.name}/{r}" for s in services if not s.is_global for r in REGIONS} | {
        f"{ACCOUNT}/{s.name}/global" for s in services if s.is_global
    }
    sources = scanned.snapshot["sources"]
    assert {s["scope"] for s in sources} == expected
    assert {s["status"] for s in sources} == {"complete"}, sources
    assert scanned.report["summary"]["collection"]["complete"] is True


def test_no_secret_reaches_the_snapshot_but_variable_names_do(scanned: Scanned) -> None:
    text = json.dumps(scanned.snapshot)
    assert ENV_SECRET not in text
    assert AUTH_TOKEN not in text
    [function] = [
        r
        for r in scanned.snapshot["resources"]
        if r["type"] == "aws_lambda_function"
        and r["name"] == "bad-function"
        and r["region"] == REGIONS[0]
    ]
    assert function["attributes"]["environment"] == {
        "variables": {"DB_PASSWORD": VALUE_NOT_COLLECTED, "TABLE_NAME": VALUE_NOT_COLLECTED}
    }
    [cache] = [
        r
        for r in scanned.snapshot["resources"]
        if r["name"] == "good-cache" and r["region"] == REGIONS[0]
    ]
    assert cache["attributes"]["auth_token_enabled"] is True
    assert "auth_token" not in cache["attributes"]
    assert cache["environment"] == "production"


def test_folded_policies_and_permissions_keep_the_terraform_shape(scanned: Scanned) -> None:
    by_name = {
        (r["type"], r["name"]): r["attributes"]
        for r in scanned.snapshot["resources"]
        if r["region"] == REGIONS[0]
    }
    permission = by_name[("aws_lambda_permission", "good-function/good-s3")]
    assert permission["principal"] == "s3.amazonaws.com"
    assert permission["source_arn"] == "arn:aws:s3:::good-uploads"
    assert permission["source_account"] == ACCOUNT
    assert by_name[("aws_lambda_permission", "bad-function/bad-anyone")]["principal"] == "*"
    topic = by_name[("aws_sns_topic", "bad-topic")]
    assert topic["policy"]["Statement"][0]["Principal"] == "*"
    bus = by_name[("aws_cloudwatch_event_bus_policy", "good-bus")]
    assert bus["policy"]["Statement"][0]["Condition"]
    listener = by_name[("aws_lb_listener", "good-alb:80")]
    assert listener["default_action"][0]["redirect"]["protocol"] == "HTTPS"


def test_listings_follow_every_page(scanned: Scanned) -> None:
    paged = [
        r
        for r in scanned.snapshot["resources"]
        if r["type"] == "aws_cloudwatch_event_bus_policy" and r["name"].startswith("good-paged-")
    ]
    assert len(paged) == PAGED_BUSES


def test_every_call_is_declared_and_every_declared_action_used(
    moto: MotoServer, estate: Estate
) -> None:
    calls: set[tuple[str, str]] = set()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in BASE_ENV.items():
            patch.setenv(name, value)
        snapshot = collect_aws(
            AwsOptions(regions=REGIONS, endpoint_url=moto.url, services=ESTATE_SERVICES),
            observer=lambda service, operation: calls.add((service, operation)),
        )
    assert {s["status"] for s in snapshot["sources"]} == {"complete"}
    undeclared, unused = least_privilege_gaps(calls, ESTATE_SERVICES)
    assert undeclared == set(), "calls their service does not declare"
    assert unused == set(), "declared actions the collector never uses"
