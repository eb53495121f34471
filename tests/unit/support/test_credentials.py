"""Credentials in URLs never show, whatever characters the password holds."""

from __future__ import annotations

import pytest

from compliance_opa.state.store import masked
from compliance_opa.support.credentials import mask_userinfo


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("mysql://root:p@ss#w0rd@db/x", "ss#w0rd"),
        ("mysql://root:pa ss@db/x: connection refused", "pa ss"),
        ("postgresql://u:pw/with/slashes@h:5432/db", "with/slashes"),
        ("https://key:s3cr3t@s3.example:9000/bucket", "s3cr3t"),
    ],
)
def test_no_part_of_a_password_is_shown(text: str, secret: str) -> None:
    for shown in (mask_userinfo(text), masked(text)):
        assert secret not in shown
        assert "****@" in shown


def test_text_without_credentials_is_kept() -> None:
    assert mask_userinfo("sqlite:///var/lib/state.db") == "sqlite:///var/lib/state.db"
