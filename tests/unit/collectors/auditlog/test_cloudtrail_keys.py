"""CloudTrail object keys: what CloudTrail writes parses back to its parts; nothing else
parses, and no key makes the parser fail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.auditlog.cloudtrail_keys import (
    DigestKey,
    LogKey,
    digest_key,
    log_key,
    parse_key,
    parse_location,
)
from compliance_opa.errors import InputError

prefixes = st.sampled_from(["", "logs", "a/b/c", "trail-logs.2026"])
organizations = st.none() | st.from_regex(r"o-[a-z0-9]{10,32}", fullmatch=True)
accounts = st.from_regex(r"\d{12}", fullmatch=True)
regions = st.sampled_from(
    ["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "il-central-1"]
)
times = st.datetimes(
    min_value=datetime(2013, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
trails = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{1,60}[A-Za-z0-9]", fullmatch=True)
uniques = st.from_regex(r"[A-Za-z0-9]{1,16}", fullmatch=True)


@given(prefixes, organizations, accounts, regions, times, uniques)
def test_log_keys_round_trip(
    prefix: str, org: str | None, account: str, region: str, t: datetime, unique: str
) -> None:
    parts = LogKey(org, account, region, t.replace(second=0, microsecond=0), unique)
    assert parse_key(prefix, log_key(prefix, parts)) == parts


@given(prefixes, organizations, accounts, regions, trails, regions, times)
def test_digest_keys_round_trip(
    prefix: str, org: str | None, account: str, region: str, trail: str, home: str, t: datetime
) -> None:
    parts = DigestKey(org, account, region, trail, home, t.replace(microsecond=0))
    assert parse_key(prefix, digest_key(prefix, parts)) == parts


@given(prefixes, st.text(max_size=300))
def test_any_key_parses_or_is_ignored(prefix: str, key: str) -> None:
    assert parse_key(prefix, key) is None or isinstance(parse_key(prefix, key), LogKey | DigestKey)


@given(prefixes, accounts, regions, times, uniques)
def test_a_key_in_another_date_folder_or_prefix_is_ignored(
    prefix: str, account: str, region: str, t: datetime, unique: str
) -> None:
    key = log_key(prefix, LogKey(None, account, region, t.replace(second=0, microsecond=0), unique))
    folder = f"/{t:%Y/%m/%d}/"
    other = "/1999/01/01/" if t.year != 1999 else "/2000/01/01/"
    assert parse_key(prefix, key.replace(folder, other)) is None
    assert parse_key("elsewhere", key) is None


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # The User Guide's examples.
        (
            "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/"
            "111122223333_CloudTrail_us-east-2_20150817T1505Z_Mu0KsOhtH1ar15ZZ.json.gz",
            LogKey(
                None,
                "111122223333",
                "us-east-2",
                datetime(2015, 8, 17, 15, 5, tzinfo=UTC),
                "Mu0KsOhtH1ar15ZZ",
            ),
        ),
        (
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/"
            "111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_"
            "20150817T150131Z.json.gz",
            DigestKey(
                None,
                "111122223333",
                "us-east-2",
                "your-trail-name",
                "us-east-2",
                datetime(2015, 8, 17, 15, 1, 31, tzinfo=UTC),
            ),
        ),
        # A trail name with underscores; the home region differs from the file's region.
        (
            "AWSLogs/o-exampleorgid/111122223333/CloudTrail-Digest/eu-west-1/2026/03/02/"
            "111122223333_CloudTrail-Digest_eu-west-1_org_trail_us-east-1_20260302T100000Z.json.gz",
            DigestKey(
                "o-exampleorgid",
                "111122223333",
                "eu-west-1",
                "org_trail",
                "us-east-1",
                datetime(2026, 3, 2, 10, tzinfo=UTC),
            ),
        ),
        # Not CloudTrail's: an account that differs in the name, a folder marker, an insight.
        (
            "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/"
            "999999999999_CloudTrail_us-east-2_20150817T1505Z_Mu0KsOhtH1ar15ZZ.json.gz",
            None,
        ),
        ("AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/", None),
        (
            "AWSLogs/111122223333/CloudTrail-Insight/us-east-2/2015/08/17/"
            "111122223333_CloudTrail-Insight_us-east-2_20150817T1505Z_abc.json.gz",
            None,
        ),
        (
            "AWSLogs/111122223333/CloudTrail/us-east-2/2015/02/30/"
            "111122223333_CloudTrail_us-east-2_20150230T1505Z_abc.json.gz",
            None,
        ),
    ],
)
def test_published_examples(key: str, expected: LogKey | DigestKey | None) -> None:
    assert parse_key("", key) == expected


def test_locations() -> None:
    assert parse_location("s3://my-trail-bucket") == ("my-trail-bucket", "")
    assert parse_location("s3://my-trail-bucket/a/b/") == ("my-trail-bucket", "a/b")
    with pytest.raises(InputError, match="not an s3://"):
        parse_location("/local/path")
    with pytest.raises(InputError, match="not an S3 bucket name"):
        parse_location("s3://Bad_Bucket/x")
