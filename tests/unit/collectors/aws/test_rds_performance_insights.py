"""Performance Insights of RDS instances and Aurora clusters. moto keeps no Performance
Insights setting, so the collector's reading of DescribeDBInstances/DescribeDBClusters
answers is tested here on given answers, with KMS's KeyManager answers given too."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3

from collectors.aws.accounts import Account
from collectors.aws.options import AwsOptions
from collectors.aws.services import rds
from collectors.aws.services.base import Collection

CUSTOMER = "arn:aws:kms:eu-west-1:111111111111:key/0f6c1a52-0000-4000-8000-00000000000c"
AWS_OWNED = "arn:aws:kms:eu-west-1:111111111111:key/0f6c1a52-0000-4000-8000-00000000000a"
ALIAS = "arn:aws:kms:eu-west-1:111111111111:alias/aws/rds"


def _collection() -> Collection:
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="y")
    account = Account("111111111111", "aws", session, AwsOptions(), "eu-west-1")
    original = account.key_manager

    def answer(key_arn: str, describe: object) -> str:
        return original(key_arn, lambda: "AWS" if key_arn == AWS_OWNED else "CUSTOMER")

    account.key_manager = answer  # type: ignore[method-assign]
    return Collection(account, "eu-west-1", ("eu-west-1",), datetime.now(UTC))


def _instance(enabled: bool | None, key: str | None = None) -> dict[str, Any]:
    db: dict[str, Any] = {"DBInstanceIdentifier": "db"}
    if enabled is not None:
        db["PerformanceInsightsEnabled"] = enabled
    if key:
        db["PerformanceInsightsKMSKeyId"] = key
    return db


def test_an_instance_names_the_aws_managed_key_by_its_alias() -> None:
    attributes: dict[str, Any] = {}
    rds._performance_insights(_collection(), "db", attributes, _instance(True, AWS_OWNED))
    assert attributes == {
        "performance_insights_enabled": True,
        "performance_insights_kms_key_id": ALIAS,
    }


def test_off_or_not_reported_is_off_without_a_key() -> None:
    for db in (_instance(False, CUSTOMER), _instance(None)):
        attributes: dict[str, Any] = {}
        rds._performance_insights(_collection(), "db", attributes, db)
        assert attributes == {
            "performance_insights_enabled": False,
            "performance_insights_kms_key_id": None,
        }


def test_an_aurora_cluster_takes_its_members_weakest_key() -> None:
    attributes: dict[str, Any] = {}
    members = [_instance(True, CUSTOMER), _instance(False), _instance(True, AWS_OWNED)]
    rds._members_performance_insights(_collection(), "cluster", attributes, members)
    assert attributes == {
        "performance_insights_enabled": True,
        "performance_insights_kms_key_id": ALIAS,
    }


def test_an_aurora_cluster_with_customer_keys_only_keeps_one() -> None:
    attributes: dict[str, Any] = {}
    members = [_instance(True, CUSTOMER), _instance(True, CUSTOMER)]
    rds._members_performance_insights(_collection(), "cluster", attributes, members)
    assert attributes["performance_insights_kms_key_id"] == CUSTOMER


def test_an_aurora_cluster_whose_members_are_all_off_is_off() -> None:
    attributes: dict[str, Any] = {}
    rds._members_performance_insights(_collection(), "cluster", attributes, [_instance(False)])
    assert attributes == {
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": None,
    }
