"""Sensitive values never leave a scan in a finding's message, however they overlap."""

from __future__ import annotations

from typing import Any

import pytest

from compliance_opa.domain.findings import CheckResult
from compliance_opa.domain.redact import PLACEHOLDER, kept_attributes, redact, sensitive_values
from tests.report_builder import check, finding


def _resource(address: str, **attributes: Any) -> dict[str, Any]:
    return {"address": address, "attributes": attributes, "sensitive": sorted(attributes)}


def _messages(messages: list[str], resources: list[dict[str, Any]]) -> list[str]:
    c = check("AWS-X-001")
    result = CheckResult(c, ("a",), tuple(finding(c, "a", message=m) for m in messages))
    secrets = {r["address"]: sensitive_values(r) for r in resources}
    (redacted,) = redact([result], secrets)
    return [f.message for f in redacted.findings]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # A shorter secret starting first must not leave the end of a longer one.
        ("token xabcdef end", f"token {PLACEHOLDER} end"),
        ("abcdef then xabc", f"{PLACEHOLDER} then {PLACEHOLDER}"),
        ("no secret here", "no secret here"),
        # As Rego's %q quotes it.
        ('value "p\\"w<d" shown', f'value "{PLACEHOLDER}" shown'),
    ],
)
def test_every_secret_is_covered(message: str, expected: str) -> None:
    resources = [
        _resource("aws_db_instance.a", password="abcdef"),
        _resource("aws_db_instance.b", token="xabc", other='p"w<d'),
    ]
    assert _messages([message], resources) == [expected]


def test_without_sensitive_values_messages_are_unchanged() -> None:
    resources = [{"address": "x", "attributes": {"password": "abcdef"}}]
    assert _messages(["abcdef"], resources) == ["abcdef"]


def test_sensitive_tags_stay_out_of_the_facts_kept_and_alerted() -> None:
    from compliance_opa.domain.risk import facts_of

    resource = {
        "address": "aws_db_instance.orders",
        "type": "aws_db_instance",
        "tags": {"Environment": "production", "cost": "secret-tag-value"},
        "sensitive": ["tags.cost"],
        "attributes": {},
    }
    assert facts_of(resource).tags == {"Environment": "production"}
    assert facts_of({**resource, "sensitive": ["tags"]}).tags == {}
    assert dict(facts_of({**resource, "sensitive": []}).tags or {})["cost"] == "secret-tag-value"


def test_kept_attributes_hide_values_under_secret_names_even_unmarked() -> None:
    """An inventory that marks nothing sensitive still keeps no password or key text."""
    resource = {
        "address": "db",
        "attributes": {
            "master_password": "hunter2-planted",
            "manage_master_user_password": True,
            "engine": "postgres",
            "user_data": "#!/bin/sh\nexport TOKEN=abc",
            "auth": {"API_KEY": 12345, "token_ttl_seconds": None},
            "tags": [{"key": "Name", "value": "orders"}],
            "password_last_used_days": 50,
            "secret_days": "hunter2-as-days",
        },
    }
    kept = kept_attributes(resource)
    assert kept == {
        "master_password": PLACEHOLDER,
        "manage_master_user_password": True,
        "engine": "postgres",
        "user_data": PLACEHOLDER,
        "auth": {"API_KEY": PLACEHOLDER, "token_ttl_seconds": None},
        "tags": [{"key": "Name", "value": "orders"}],
        "password_last_used_days": 50,  # a whole number of days, no secret
        "secret_days": PLACEHOLDER,  # text under such a name is still hidden
    }
