"""CloudTrail summaries read from a moto S3 server over loopback: log and digest files built
in AWS's published formats and signed with a test key; each kind of tampering is caught."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from collectors.auditlog.cloudtrail import summarise_cloudtrail
from collectors.auditlog.period import Period
from compliance_opa.errors import InputError
from tests import cloudtrail_support as ct
from tests.aws_support import MotoServer, serve_moto

BUCKET = "audit-trail-logs"


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    yield from serve_moto()


@pytest.fixture(scope="module")
def s3(moto: MotoServer) -> Any:
    return ct.s3_with_bucket(moto.url, BUCKET)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return ct.new_key()


PERIOD = Period(ct.PERIOD_START, ct.PERIOD_END)


def _scenario(
    s3: Any,
    key: rsa.RSAPrivateKey,
    prefix: str,
    change: Callable[[ct.Trail], None] | None = None,
    **options: Any,
) -> tuple[ct.Trail, dict[str, Any]]:
    trail = ct.build_trail(BUCKET, prefix, key, **options)
    if change is not None:
        change(trail)
    trail.upload(s3)
    [summary] = summarise_cloudtrail(
        f"s3://{BUCKET}/{prefix}",
        period=PERIOD,
        s3=s3,
        public_keys={ct.fingerprint(key): ct.public_der(key)},
    )
    return trail, summary


def _integrity(summary: dict[str, Any]) -> dict[str, int]:
    return {k: v for k, v in summary["attributes"]["integrity_totals"].items() if v}


def test_clean_trail_summarised_with_exact_counts(s3: Any, key: rsa.RSAPrivateKey) -> None:
    _, summary = _scenario(s3, key, "clean")
    a = summary["attributes"]
    assert summary["address"] == f"s3://{BUCKET}/clean#{ct.ACCOUNT}"
    assert summary["type"] == "aws_cloudtrail_summary"
    assert summary["account"] == ct.ACCOUNT
    assert a["period_start"] == "2026-03-02T10:00:00Z"
    assert a["period_end"] == "2026-03-02T14:00:00Z"
    assert a["organization_id"] is None
    assert _integrity(summary) == {}
    assert a["signatures_unverified"] is False
    # 10:05 .. 14:35: ten files; digests ending 10:00 .. 15:00: six.
    assert a["log_files_read"] == 10
    assert a["digest_files_read"] == 6
    assert a["trails"] == [ct.TRAIL]
    # Four hours of seven events, the StopLogging at 13:50 and the 13:58 event delivered at
    # 14:05; the 09:59 and 14:02 events are outside.
    assert a["total_events"] == 30
    assert a["events_outside_period"] == 2
    assert a["regions"] == {"eu-west-1": {"events": 30, "log_files": 10, "digest_files": 6}}
    assert a["root_activity"]["total"] == 4
    assert {e["event_name"] for e in a["root_activity"]["events"]} == {"ListBuckets"}
    assert a["console_logins_without_mfa"]["total"] == 4
    assert {e["principal_arn"] for e in a["console_logins_without_mfa"]["events"]} == {
        f"arn:aws:iam::{ct.ACCOUNT}:user/bob"
    }
    assert a["failed_console_logins"]["total"] == 4
    assert a["security_group_ingress_opened"]["total"] == 4
    assert a["security_group_ingress_opened"]["events"][0]["group_id"] == "sg-010"
    assert a["security_group_ingress_opened"]["events"][0]["open_to"] == ["0.0.0.0/0"]
    assert a["access_denied"] == {
        "total": 4,
        "by_principal": [
            {
                "principal_arn": f"arn:aws:iam::{ct.ACCOUNT}:user/mallory",
                "principal_type": "IAMUser",
                "count": 4,
            }
        ],
        "truncated": False,
    }
    sensitive = a["sensitive_events"]
    assert sensitive["trail_changes"]["by_event_name"] == {"StopLogging": 1}
    assert sensitive["trail_changes"]["events"][0]["target"] == "main-trail"
    assert sensitive["iam_changes"]["by_event_name"] == {"CreateUser": 4}
    assert sensitive["iam_changes"]["total"] == 4
    assert sensitive["security_group_changes"]["by_event_name"] == {
        "AuthorizeSecurityGroupIngress": 4
    }
    assert sensitive["kms_key_disabling"]["total"] == 0
    assert "StopLogging" in a["tracked_event_names"]
    [digests, logs] = sorted(a["sources"], key=lambda s: s["kind"])
    assert (digests["kind"], digests["objects"]) == ("cloudtrail_digest_files", 6)
    assert (logs["kind"], logs["objects"]) == ("cloudtrail_log_files", 10)
    assert logs["uri"] == f"s3://{BUCKET}/clean/AWSLogs/{ct.ACCOUNT}/CloudTrail/{ct.REGION}/"
    assert len(logs["sha256"]) == 64
    # Request parameters, error messages and tags are never copied.
    assert "secret-literal" not in json.dumps(summary)


def test_without_public_keys_signatures_are_unverified(s3: Any, key: rsa.RSAPrivateKey) -> None:
    ct.build_trail(BUCKET, "unverified", key, wrong_key_at=12).upload(s3)
    [summary] = summarise_cloudtrail(f"s3://{BUCKET}/unverified", period=PERIOD, s3=s3)
    assert summary["attributes"]["signatures_unverified"] is True
    assert _integrity(summary) == {}


def test_tampered_log_file_is_caught(s3: Any, key: rsa.RSAPrivateKey) -> None:
    def tamper(trail: ct.Trail) -> None:
        target = next(k for k in ct.all_log_keys(trail) if "T1105Z" in k)
        records = ct.log_records(trail, target)
        records[0]["sourceIPAddress"] = "198.51.100.1"
        ct.replace_object(trail, target, {"Records": records})

    trail, summary = _scenario(s3, key, "tampered-log", tamper)
    a = summary["attributes"]
    assert _integrity(summary) == {"hash_mismatches": 1}
    [mismatch] = a["hash_mismatches"]
    assert "T1105Z" in mismatch["object"]
    assert mismatch["digest"] == trail.digest_key(ct.hour(12))


def test_removed_digest_is_caught(s3: Any, key: rsa.RSAPrivateKey) -> None:
    def remove(trail: ct.Trail) -> None:
        del trail.objects[trail.digest_key(ct.hour(12))]

    trail, summary = _scenario(s3, key, "removed-digest", remove)
    a = summary["attributes"]
    assert _integrity(summary) == {
        "missing_digests": 1,
        "broken_chain": 1,
        "logs_not_in_digest": 2,
    }
    assert a["missing_digests"] == [
        {
            "region": ct.REGION,
            "trail": ct.TRAIL,
            "from": "2026-03-02T11:00:00Z",
            "to": "2026-03-02T12:00:00Z",
        }
    ]
    [broken] = a["broken_chain"]
    assert broken["digest"] == trail.digest_key(ct.hour(13))
    assert "is missing" in broken["detail"]
    assert {e["object"].rsplit("_", 2)[-2] for e in a["logs_not_in_digest"]} == {
        "20260302T1105Z",
        "20260302T1135Z",
    }


def test_broken_previous_hash_link_is_caught(s3: Any, key: rsa.RSAPrivateKey) -> None:
    trail, summary = _scenario(s3, key, "broken-link", bad_previous_hash_at=12)
    assert _integrity(summary) == {"broken_chain": 1}
    [broken] = summary["attributes"]["broken_chain"]
    assert broken["digest"] == trail.digest_key(ct.hour(13))
    assert "hash" in broken["detail"]


def test_wrong_signature_is_caught(s3: Any, key: rsa.RSAPrivateKey) -> None:
    trail, summary = _scenario(s3, key, "wrong-signature", wrong_key_at=11)
    assert _integrity(summary) == {"bad_signatures": 1}
    assert summary["attributes"]["bad_signatures"] == [
        {"digest": trail.digest_key(ct.hour(12)), "detail": "signature does not verify"}
    ]


def test_edited_digest_is_caught_by_signature_and_chain(s3: Any, key: rsa.RSAPrivateKey) -> None:
    """A digest rewritten to drop a log file's entry (hiding a deleted log) breaks its own
    signature and the next digest's previous-hash link."""

    def edit(trail: ct.Trail) -> None:
        target = trail.digest_key(ct.hour(12))
        data = json.loads(gzip.decompress(trail.objects[target][0]))
        removed = data["logFiles"].pop()
        del trail.objects[removed["s3Object"]]
        ct.replace_object(trail, target, data)

    _, summary = _scenario(s3, key, "edited-digest", edit)
    assert _integrity(summary) == {"bad_signatures": 1, "broken_chain": 1}


def test_deleted_log_file_is_caught(s3: Any, key: rsa.RSAPrivateKey) -> None:
    def delete(trail: ct.Trail) -> None:
        del trail.objects[next(k for k in ct.all_log_keys(trail) if "T1235Z" in k)]

    _, summary = _scenario(s3, key, "deleted-log", delete)
    assert _integrity(summary) == {"missing_log_files": 1}
    assert summary["attributes"]["total_events"] == 26


def test_organization_trail_layout(s3: Any, key: rsa.RSAPrivateKey) -> None:
    org = "o-abcdefghij"
    for account in ("444455556666", "777788889999"):
        ct.build_trail(BUCKET, "org/logs", key, organization_id=org, account=account).upload(s3)
    summaries = summarise_cloudtrail(
        f"s3://{BUCKET}/org/logs",
        period=PERIOD,
        s3=s3,
        public_keys={ct.fingerprint(key): ct.public_der(key)},
    )
    assert [s["address"] for s in summaries] == [
        f"s3://{BUCKET}/org/logs#444455556666",
        f"s3://{BUCKET}/org/logs#777788889999",
    ]
    for summary in summaries:
        a = summary["attributes"]
        assert a["organization_id"] == org
        assert _integrity(summary) == {}
        assert a["total_events"] == 30
        assert a["root_activity"]["total"] == 4


def test_period_outside_the_logs_reads_nothing_and_reports_missing_digests(
    s3: Any, key: rsa.RSAPrivateKey
) -> None:
    ct.build_trail(BUCKET, "later", key).upload(s3)
    later = Period(ct.utc("2026-03-05T00:00:00"), ct.utc("2026-03-05T06:00:00"))
    [summary] = summarise_cloudtrail(f"s3://{BUCKET}/later", period=later, s3=s3)
    a = summary["attributes"]
    assert (a["total_events"], a["log_files_read"]) == (0, 0)
    assert a["missing_digests"] == [
        {
            "region": ct.REGION,
            "trail": None,
            "from": "2026-03-05T00:00:00Z",
            "to": "2026-03-05T06:00:00Z",
        }
    ]


def test_empty_location_and_missing_bucket_are_input_errors(s3: Any) -> None:
    with pytest.raises(InputError, match="no CloudTrail files"):
        summarise_cloudtrail(f"s3://{BUCKET}/nothing-here", period=PERIOD, s3=s3)
    with pytest.raises(InputError, match="NoSuchBucket"):
        summarise_cloudtrail("s3://no-such-bucket-here/x", period=PERIOD, s3=s3)
    with pytest.raises(InputError, match="not an s3://"):
        summarise_cloudtrail("https://example.com/x", period=PERIOD, s3=s3)
