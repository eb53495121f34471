"""CloudTrail summary details on an in-memory bucket: the event categories, the caps, the
overridable sensitive events, public keys given as PEM, and fingerprints without a key."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization

from collectors.auditlog import cloudtrail
from collectors.auditlog.cloudtrail import summarise_cloudtrail
from collectors.auditlog.period import Period
from collectors.snapshot import single_resource_snapshot
from compliance_opa.errors import InputError
from compliance_opa.inventory.schema import validate_document
from tests import cloudtrail_support as ct

PERIOD = Period(ct.PERIOD_START, ct.PERIOD_END)


class MemoryS3:
    """The three calls the summariser makes, over a dict of objects."""

    def __init__(self, objects: dict[str, tuple[bytes, dict[str, str]]]) -> None:
        self.objects = objects

    def get_paginator(self, name: str) -> MemoryS3:
        assert name == "list_objects_v2"
        return self

    def paginate(
        self, *, Bucket: str, Prefix: str, Delimiter: str = ""
    ) -> Iterator[dict[str, Any]]:
        keys = sorted(k for k in self.objects if k.startswith(Prefix))
        if Delimiter:
            folders = sorted({Prefix + k[len(Prefix) :].split("/")[0] + "/" for k in keys})
            yield {"CommonPrefixes": [{"Prefix": f} for f in folders if f[:-1] not in keys]}
            return
        for start in range(0, len(keys), 3):  # small pages: pagination is exercised
            yield {"Contents": [{"Key": k} for k in keys[start : start + 3]]}

    def get_object(self, *, Bucket: str, Key: str) -> dict[str, Any]:
        if Key not in self.objects:
            raise ClientError({"Error": {"Code": "NoSuchKey"}}, "GetObject")
        body, metadata = self.objects[Key]
        return {"Body": io.BytesIO(body), "Metadata": metadata}


def _summary(trail: ct.Trail, **options: Any) -> dict[str, Any]:
    [summary] = summarise_cloudtrail(
        f"s3://{trail.bucket}/{trail.prefix}", period=PERIOD, s3=MemoryS3(trail.objects), **options
    )
    return summary


def _trail(records: list[dict[str, Any]]) -> ct.Trail:
    key = ct.new_key()
    trail = ct.Trail("bucket-one", "p", key)
    for h in range(10, 14):
        if h == 10:
            trail.log(ct.hour(10, 30), records)
        trail.digest(ct.hour(h), ct.hour(h + 1))
    return trail


def test_categories_and_judged_events() -> None:
    ec2 = "ec2.amazonaws.com"
    records = [
        ct.event(
            "ModifySecurityGroupRules",
            ct.hour(10, 1),
            source=ec2,
            request={
                "ModifySecurityGroupRulesRequest": {
                    "GroupId": "sg-0abc",
                    "SecurityGroupRule": {
                        "SecurityGroupRuleId": "sgr-1",
                        "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv6": "::/0"},
                    },
                }
            },
        ),
        # Refused: opens nothing.
        ct.event(
            "AuthorizeSecurityGroupIngress",
            ct.hour(10, 2),
            source=ec2,
            error="Client.UnauthorizedOperation",
            request={"groupId": "sg-0def", "cidrIp": "0.0.0.0/0"},
        ),
        # A private range opens nothing to the internet.
        ct.event(
            "AuthorizeSecurityGroupIngress",
            ct.hour(10, 3),
            source=ec2,
            request={"groupId": "sg-0def", "cidrIp": "10.0.0.0/8"},
        ),
        ct.event(
            "ScheduleKeyDeletion",
            ct.hour(10, 4),
            source="kms.amazonaws.com",
            request={"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7},
        ),
        ct.event(
            "PutBucketPolicy",
            ct.hour(10, 5),
            source="s3.amazonaws.com",
            request={"bucketName": "data", "bucketPolicy": {"Statement": ct.SECRET}},
        ),
        # A service acting for the root user is not root activity.
        ct.event(
            "Decrypt",
            ct.hour(10, 6),
            source="kms.amazonaws.com",
            identity={**ct.root(), "invokedBy": "cloudtrail.amazonaws.com"},
        ),
        # A federated sign-in reports MFAUsed No: its MFA is the IdP's.
        ct.event(
            "ConsoleLogin",
            ct.hour(10, 7),
            source="signin.amazonaws.com",
            identity={"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/sso/x"},
            response={"ConsoleLogin": "Success"},
            extra={"MFAUsed": "No"},
        ),
        ct.event(
            "ConsoleLogin",
            ct.hour(10, 8),
            source="signin.amazonaws.com",
            identity=ct.root(),
            response={"ConsoleLogin": "Success"},
            extra={"MFAUsed": "Yes"},
        ),
    ]
    summary = _summary(_trail(records))
    validate_document("summary", single_resource_snapshot(summary))
    a = summary["attributes"]
    assert a["integrity_totals"] == dict.fromkeys(a["integrity_totals"], 0)
    assert a["signatures_unverified"] is True
    opened = a["security_group_ingress_opened"]
    assert opened["total"] == 1
    assert opened["events"][0]["group_id"] == "sg-0abc"
    assert opened["events"][0]["open_to"] == ["::/0"]
    sensitive = a["sensitive_events"]
    assert sensitive["security_group_changes"]["total"] == 3
    assert sensitive["security_group_changes"]["failed"] == 1
    assert sensitive["security_group_changes"]["by_event_name"] == {
        "AuthorizeSecurityGroupIngress": 1,
        "ModifySecurityGroupRules": 1,
    }
    assert sensitive["kms_key_disabling"]["events"][0]["target"] == (
        "1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    assert sensitive["bucket_policy_acl_changes"]["events"][0]["target"] == "data"
    assert a["access_denied"]["total"] == 1
    assert a["root_activity"]["total"] == 1  # the root console login only
    assert a["console_logins_without_mfa"]["total"] == 0
    assert ct.SECRET not in repr(a)
    assert "pendingWindowInDays" not in repr(a)


def test_sensitive_events_are_overridable() -> None:
    records = [ct.event("DeleteBucket", ct.hour(10, 1), source="s3.amazonaws.com")]
    a = _summary(_trail(records), sensitive_events={"deletions": ["DeleteBucket"]})["attributes"]
    assert list(a["sensitive_events"]) == ["deletions"]
    assert a["sensitive_events"]["deletions"]["by_event_name"] == {"DeleteBucket": 1}
    assert a["tracked_event_names"] == ["DeleteBucket"]
    with pytest.raises(InputError, match="not a list of event names"):
        _summary(_trail(records), sensitive_events={"bad": "DeleteBucket"})


def test_lists_are_capped_with_the_total_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cloudtrail, "CAP", 3)
    records = [
        ct.event("ListBuckets", ct.hour(10, m), source="s3.amazonaws.com", identity=ct.root())
        for m in range(10)
    ]
    root = _summary(_trail(records))["attributes"]["root_activity"]
    assert root["total"] == 10
    assert len(root["events"]) == 3
    assert root["truncated"] is True


def test_pem_keys_and_unknown_fingerprints() -> None:
    trail = _trail([])
    pem = trail.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    a = _summary(trail, public_keys={ct.fingerprint(trail.key): pem})["attributes"]
    assert a["bad_signatures"] == []
    other = ct.new_key()
    a = _summary(trail, public_keys={ct.fingerprint(other): ct.public_der(other)})["attributes"]
    assert a["integrity_totals"]["bad_signatures"] == 4
    assert a["bad_signatures"][0]["detail"].startswith("no public key given for fingerprint")
    with pytest.raises(InputError, match="not a DER or PEM public key"):
        _summary(trail, public_keys={"abc": b"not a key"})


def _log_key(trail: ct.Trail) -> str:
    [key] = [k for k in trail.objects if "/CloudTrail/" in k]
    return key


def test_a_log_nested_too_deep_is_unreadable_not_a_crash() -> None:
    trail = _trail([ct.event("DescribeRegions", ct.hour(10, 2), source="ec2.amazonaws.com")])
    key = _log_key(trail)
    body = gzip.compress(b'{"Records": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    trail.objects[key] = (body, trail.objects[key][1])
    attributes = _summary(trail)["attributes"]
    assert [u["object"] for u in attributes["unreadable_files"]] == [key]
    assert [m["object"] for m in attributes["hash_mismatches"]] == [key]  # not what was digested


def test_a_log_inflating_past_the_cap_is_hashed_but_not_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = [ct.event("DescribeRegions", ct.hour(10, 2), source="ec2.amazonaws.com")] * 200
    trail = _trail(many)
    monkeypatch.setattr(cloudtrail, "MAX_CONTENT_BYTES", 20_000)  # digests fit, the log not
    attributes = _summary(trail)["attributes"]
    [unreadable] = attributes["unreadable_files"]
    assert unreadable["object"] == _log_key(trail)
    assert "uncompressed: its events were not read" in unreadable["detail"]
    assert attributes["hash_mismatches"] == []  # its hash still matches its digest
    assert attributes["total_events"] == 0
