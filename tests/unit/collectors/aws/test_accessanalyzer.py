"""IAM Access Analyzer collection. moto implements no Access Analyzer API, so the decision
(active external-access analyzers, else one analyzer with enabled = false) is tested here
with botocore's Stubber answering ListAnalyzers, over two pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber

from collectors.aws.accounts import Account
from collectors.aws.options import AwsOptions
from collectors.aws.services import accessanalyzer
from collectors.aws.services.base import Collection

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _analyzer(name: str, kind: str, status: str) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/{name}",
        "name": name,
        "type": kind,
        "createdAt": NOW,
        "status": status,
        "tags": {"Owner": "security"},
    }


def _collect(*pages: list[dict[str, Any]]) -> Collection:
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="y")
    account = Account("111111111111", "aws", session, AwsOptions(), "eu-west-1")
    c = Collection(account, "eu-west-1", ("eu-west-1",), NOW)
    client = c.client("accessanalyzer")
    with Stubber(client) as stub:
        for index, page in enumerate(pages):
            answer: dict[str, Any] = {"analyzers": page}
            if index < len(pages) - 1:
                answer["nextToken"] = f"page-{index + 1}"
            expected = {"nextToken": f"page-{index}"} if index else {}
            stub.add_response("list_analyzers", answer, expected)
        accessanalyzer.collect(c)
        stub.assert_no_pending_responses()
    return c


def test_active_external_access_analyzers_are_collected_across_pages() -> None:
    c = _collect(
        [_analyzer("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE")],
        [_analyzer("external", "ACCOUNT", "ACTIVE"), _analyzer("broken", "ACCOUNT", "FAILED")],
    )
    [resource] = c.resources
    assert resource["type"] == "aws_accessanalyzer_analyzer"
    assert resource["name"] == "external"
    assert resource["address"].endswith(":analyzer/external")
    assert resource["attributes"] == {
        "analyzer_name": "external",
        "type": "ACCOUNT",
        "enabled": True,
    }
    assert resource["tags"] == {"Owner": "security"}


def test_no_active_analyzer_is_one_disabled_analyzer_for_the_region() -> None:
    c = _collect([_analyzer("broken", "ORGANIZATION", "DISABLED")])
    [resource] = c.resources
    assert (resource["account"], resource["region"]) == ("111111111111", "eu-west-1")
    assert resource["attributes"]["enabled"] is False
    assert c.problems == []
