"""AWS-managed KMS keys are reported by key ARN; the collector names them by alias so the
customer-managed-key checks can tell them apart. moto creates service default keys as
customer keys, so this decision is tested here on its own, with KeyManager answers given."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest

from collectors.aws.accounts import Account
from collectors.aws.keys import effective_key
from collectors.aws.options import AwsOptions
from collectors.aws.services.base import Collection

KEY = "arn:aws:kms:eu-west-1:111111111111:key/0f6c1a52-0000-4000-8000-000000000001"


def _collection(manager: str | None) -> tuple[Collection, list[str]]:
    asked: list[str] = []
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="y")
    account = Account("111111111111", "aws", session, AwsOptions(), "eu-west-1")
    if manager is not None:
        original = account.key_manager

        def answer(key_arn: str, describe: object) -> str:
            asked.append(key_arn)
            return original(key_arn, lambda: manager)

        account.key_manager = answer  # type: ignore[method-assign]
    return Collection(account, "eu-west-1", ("eu-west-1",), datetime.now(UTC)), asked


def test_an_aws_managed_key_becomes_its_alias() -> None:
    c, asked = _collection("AWS")
    assert effective_key(c, KEY, "rds") == "arn:aws:kms:eu-west-1:111111111111:alias/aws/rds"
    assert asked == [KEY]


def test_a_customer_key_stays_as_it_is() -> None:
    c, _ = _collection("CUSTOMER")
    assert effective_key(c, KEY, "dynamodb") == KEY


@pytest.mark.parametrize("key", [None, "", "alias/aws/rds", "arn:aws:kms:eu-west-1:1:alias/app"])
def test_no_key_or_an_alias_needs_no_question(key: str | None) -> None:
    c, asked = _collection("AWS")
    assert effective_key(c, key, "rds") == key
    assert asked == []


def test_each_key_is_asked_about_once() -> None:
    c, _ = _collection(None)
    calls: list[str] = []

    def describe() -> str:
        calls.append("describe")
        return "AWS"

    assert c.account.key_manager(KEY, describe) == "AWS"
    assert c.account.key_manager(KEY, describe) == "AWS"
    assert calls == ["describe"]
