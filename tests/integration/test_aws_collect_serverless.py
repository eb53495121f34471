"""AWS collection of the serverless, messaging and edge services end to end: moto in server
mode over real HTTP on loopback, one account (base credentials) and two regions, collected
by the real CLI and judged by the real OPA (tests/aws_estate_serverless.py provisions it)."""

from __future__ import annotations

import json
from pathlib import Path

from collectors.aws.services.awslambda import VALUE_NOT_COLLECTED
from tests import aws_scan
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
from tests.aws_scan import Scanned, estate_fixtures
from tests.aws_support import MotoServer

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


moto, estate, scanned = estate_fixtures(provision, services=ESTATE_SERVICES, regions=REGIONS)


def test_the_scan_judges_every_collected_resource_exactly(scanned: Scanned, estate: Estate) -> None:
    aws_scan.assert_judged_exactly(scanned, estate)


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
    aws_scan.assert_schema_valid(scanned.snapshot, tmp_path)
    aws_scan.assert_sources_complete(scanned, [ACCOUNT], ESTATE_SERVICES, REGIONS)


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
    calls, snapshot = aws_scan.calls_of(moto.url, services=ESTATE_SERVICES, regions=REGIONS)
    assert {s["status"] for s in snapshot["sources"]} == {"complete"}
    aws_scan.assert_least_privilege(calls, ESTATE_SERVICES)
