"""CloudTrail log and digest files in AWS's published formats, signed with a test RSA key.

Written from the CloudTrail User Guide ("CloudTrail log file examples", "CloudTrail digest
file structure", "Custom implementations of CloudTrail log file integrity validation"), not
from the code under test: hashes over the uncompressed files, the signature SHA256withRSA
over "<digestEndTime>\\n<bucket>/<key>\\n<hex sha256 of the digest>\\n<previous signature or
null>", hex-encoded in the object's metadata ``signature``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.aws_support import BASE_ENV

ACCOUNT = "111122223333"
REGION = "eu-west-1"
TRAIL = "org_audit-trail.main"  # a name with '_' and '.', as trail names may have
SECRET = "secret-literal-7f3a9c"  # planted in request parameters; must appear in no output


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(key: rsa.RSAPrivateKey) -> str:
    return hashlib.md5(public_der(key), usedforsecurity=False).hexdigest()


def event(
    name: str,
    time: datetime,
    *,
    source: str,
    identity: dict[str, Any] | None = None,
    region: str = REGION,
    ip: str = "203.0.113.7",
    error: str | None = None,
    request: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    event_type: str = "AwsApiCall",
) -> dict[str, Any]:
    """One CloudTrail record (eventVersion 1.08 fields)."""
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": identity or user("alice"),
        "eventTime": stamp(time),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ip,
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": request,
        "responseElements": response,
        "requestID": hashlib.sha1(f"{name}{time}".encode(), usedforsecurity=False).hexdigest(),
        "eventID": hashlib.md5(f"{name}{time}{ip}".encode(), usedforsecurity=False).hexdigest(),
        "readOnly": False,
        "eventType": event_type,
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
    }
    if error:
        record["errorCode"] = error
        record["errorMessage"] = f"User is not authorized ({SECRET}-in-message)"
    if extra is not None:
        record["additionalEventData"] = extra
    return record


def user(name: str, account: str = ACCOUNT) -> dict[str, Any]:
    return {
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLE" + name.upper(),
        "arn": f"arn:aws:iam::{account}:user/{name}",
        "accountId": account,
        "accessKeyId": "AKIAEXAMPLEKEY",
        "userName": name,
    }


def root(account: str = ACCOUNT) -> dict[str, Any]:
    return {
        "type": "Root",
        "principalId": account,
        "arn": f"arn:aws:iam::{account}:root",
        "accountId": account,
    }


def gz(document: Any) -> tuple[bytes, bytes]:
    """(gzip bytes, uncompressed bytes) of a JSON document."""
    plain = json.dumps(document).encode()
    return gzip.compress(plain, mtime=0), plain


@dataclass
class Trail:
    """One trail's files for one account and region, kept in memory until uploaded."""

    bucket: str
    prefix: str
    key: rsa.RSAPrivateKey
    account: str = ACCOUNT
    region: str = REGION
    trail: str = TRAIL
    organization_id: str | None = None
    objects: dict[str, tuple[bytes, dict[str, str]]] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)
    previous: tuple[str, str, str] | None = None  # key, sha256 of its content, signature
    counter: int = 0

    def _root(self) -> str:
        head = f"{self.prefix}/AWSLogs/" if self.prefix else "AWSLogs/"
        org = f"{self.organization_id}/" if self.organization_id else ""
        return f"{head}{org}{self.account}/"

    def log(self, delivered: datetime, records: list[dict[str, Any]]) -> str:
        """A log file delivered at ``delivered`` holding ``records``; its key."""
        self.counter += 1
        unique = f"Ab{self.counter:04d}Cd"
        key = (
            f"{self._root()}CloudTrail/{self.region}/{delivered:%Y/%m/%d}/"
            f"{self.account}_CloudTrail_{self.region}_{delivered:%Y%m%dT%H%MZ}_{unique}.json.gz"
        )
        body, plain = gz({"Records": records})
        self.objects[key] = (body, {})
        times = sorted(r["eventTime"] for r in records) or [stamp(delivered)]
        self.pending.append(
            {
                "s3Bucket": self.bucket,
                "s3Object": key,
                "hashValue": hashlib.sha256(plain).hexdigest(),
                "hashAlgorithm": "SHA-256",
                "newestEventTime": times[-1],
                "oldestEventTime": times[0],
            }
        )
        return key

    def digest_key(self, end: datetime) -> str:
        return (
            f"{self._root()}CloudTrail-Digest/{self.region}/{end:%Y/%m/%d}/"
            f"{self.account}_CloudTrail-Digest_{self.region}_{self.trail}_{self.region}_"
            f"{end:%Y%m%dT%H%M%SZ}.json.gz"
        )

    def digest(
        self,
        start: datetime,
        end: datetime,
        *,
        signing_key: rsa.RSAPrivateKey | None = None,
        previous_hash: str | None = None,
    ) -> str:
        """The digest of [start, end) listing the log files since the last digest, chained to
        the previous one and signed; ``signing_key`` and ``previous_hash`` break it on purpose."""
        key = self.digest_key(end)
        previous = self.previous
        data: dict[str, Any] = {
            "awsAccountId": self.account,
            "digestStartTime": stamp(start),
            "digestEndTime": stamp(end),
            "digestS3Bucket": self.bucket,
            "digestS3Object": key,
            "digestPublicKeyFingerprint": fingerprint(self.key),
            "digestSignatureAlgorithm": "SHA256withRSA",
            "newestEventTime": max((f["newestEventTime"] for f in self.pending), default=None),
            "oldestEventTime": min((f["oldestEventTime"] for f in self.pending), default=None),
            "previousDigestS3Bucket": self.bucket if previous else None,
            "previousDigestS3Object": previous[0] if previous else None,
            "previousDigestHashValue": (previous_hash or previous[1]) if previous else None,
            "previousDigestHashAlgorithm": "SHA-256" if previous else None,
            "previousDigestSignature": previous[2] if previous else None,
            "logFiles": self.pending,
        }
        body, plain = gz(data)
        digest_hash = hashlib.sha256(plain).hexdigest()
        to_sign = (
            f"{stamp(end)}\n{self.bucket}/{key}\n{digest_hash}\n"
            f"{previous[2] if previous else 'null'}"
        ).encode()
        signature = (
            (signing_key or self.key).sign(to_sign, padding.PKCS1v15(), hashes.SHA256()).hex()
        )
        self.objects[key] = (body, {"signature": signature, "signature-algorithm": "SHA256withRSA"})
        self.pending = []
        self.previous = (key, digest_hash, signature)
        return key

    def upload(self, s3: Any) -> None:
        for key, (body, metadata) in self.objects.items():
            s3.put_object(Bucket=self.bucket, Key=key, Body=body, Metadata=metadata)


# The estate every scenario starts from: period 10:00-14:00 on 2026-03-02, hourly digests
# from 09:00 (the trail's first) to 15:00, two log files an hour.
PERIOD_START = utc("2026-03-02T10:00:00")
PERIOD_END = utc("2026-03-02T14:00:00")


def hour(h: int, m: int = 0, s: int = 0) -> datetime:
    return PERIOD_START.replace(hour=h, minute=m, second=s)


def events_for(h: int, account: str = ACCOUNT) -> list[list[dict[str, Any]]]:
    """The records of the two log files delivered in hour ``h`` (at :05 and :35)."""
    ec2 = "ec2.amazonaws.com"
    iam = "iam.amazonaws.com"
    first = [
        event("DescribeInstances", hour(h, 1), source=ec2),
        event(
            "CreateUser",
            hour(h, 2),
            source=iam,
            request={"userName": f"svc-{h}", "tags": [{"key": "token", "value": SECRET}]},
        ),
        event("ListBuckets", hour(h, 3), source="s3.amazonaws.com", identity=root(account)),
    ]
    second = [
        event(
            "ConsoleLogin",
            hour(h, 20),
            source="signin.amazonaws.com",
            identity=user("bob", account),
            response={"ConsoleLogin": "Success"},
            extra={"LoginTo": "https://console.aws.amazon.com", "MFAUsed": "No"},
        ),
        event(
            "ConsoleLogin",
            hour(h, 21),
            source="signin.amazonaws.com",
            identity=user("carol", account),
            response={"ConsoleLogin": "Failure"},
            extra={"MFAUsed": "No"},
            error=None,
        ),
        event(
            "AuthorizeSecurityGroupIngress",
            hour(h, 22),
            source=ec2,
            request={
                "groupId": f"sg-0{h}",
                "ipPermissions": {
                    "items": [
                        {
                            "ipProtocol": "tcp",
                            "fromPort": 22,
                            "toPort": 22,
                            "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]},
                        }
                    ]
                },
            },
        ),
        event(
            "GetSecretValue",
            hour(h, 23),
            source="secretsmanager.amazonaws.com",
            identity=user("mallory", account),
            error="AccessDenied",
            request={"secretId": SECRET},
        ),
    ]
    return [first, second]


def build_trail(
    bucket: str,
    prefix: str,
    key: rsa.RSAPrivateKey,
    *,
    organization_id: str | None = None,
    account: str = ACCOUNT,
    wrong_key_at: int | None = None,
    bad_previous_hash_at: int | None = None,
) -> Trail:
    """The standard estate: per hour 09..14 two log files, and one digest per hour 09..15.

    Also: an event at 09:59 in the 10:05 file (before the period), a StopLogging at 13:50
    and an event at 14:02 in the 14:05 file (after the period), and a log file at 09:35
    (not read: delivered before the period)."""
    trail = Trail(bucket, prefix, key, account=account, organization_id=organization_id)
    for h in range(9, 15):
        first, second = events_for(h, account)
        if h == 10:
            first = [event("DescribeRegions", hour(9, 59), source="ec2.amazonaws.com"), *first]
        if h == 13:
            second = [
                *second,
                event(
                    "StopLogging",
                    hour(13, 50),
                    source="cloudtrail.amazonaws.com",
                    request={"name": "main-trail"},
                ),
            ]
        if h == 14:
            first = [event("DescribeRegions", hour(13, 58), source="ec2.amazonaws.com")]
            second = [event("DescribeRegions", hour(14, 2), source="ec2.amazonaws.com")]
        trail.log(hour(h, 5), first)
        trail.log(hour(h, 35), second)
        trail.digest(
            hour(h),
            hour(h + 1),
            signing_key=new_key() if wrong_key_at == h else None,
            previous_hash="0" * 64 if bad_previous_hash_at == h else None,
        )
    return trail


def replace_object(trail: Trail, key: str, document: Any) -> None:
    body, _ = gz(document)
    trail.objects[key] = (body, trail.objects[key][1])


def log_records(trail: Trail, key: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(gzip.decompress(trail.objects[key][0]))["Records"]
    return records


def all_log_keys(trail: Trail) -> list[str]:
    return sorted(k for k in trail.objects if "/CloudTrail/" in k)


def all_digest_keys(trail: Trail) -> list[str]:
    return sorted(k for k in trail.objects if "/CloudTrail-Digest/" in k)


def s3_with_bucket(endpoint: str, bucket: str) -> Any:
    """A client of the S3 at `endpoint` (moto on loopback) with `bucket` created."""
    client = boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=BASE_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BASE_ENV["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client
