"""CloudTrail audit-log summaries for a period, with the trail's digest files verified.

``summarise_cloudtrail`` reads a trail's S3 location (``s3://bucket/prefix``): for every
account under ``AWSLogs/`` (organization trails: ``AWSLogs/<o-id>/<account>/``) it lists only
the date folders of the period, streams each log file once, and returns one
``aws_cloudtrail_summary`` inventory resource per account, with per-region counts inside.

Integrity (what a check turns into findings; each broken link is an entry of a list):

- every log file in the period is listed in a digest with the same SHA-256
  (``hash_mismatches``, ``missing_log_files``: listed but gone, ``logs_not_in_digest``);
- every hour of the period is covered by a digest of each trail and region that has digests
  (``missing_digests``: the uncovered spans, after a deleted digest or stopped logging);
- every digest's previous-digest hash and signature match that previous digest, which exists
  (``broken_chain``);
- every digest's RSA signature verifies with the public key of its fingerprint, when keys are
  given (``bad_signatures``); without keys, ``signatures_unverified`` is true.

How the signature and hashes are computed follows AWS's documented procedure, "Custom
implementations of CloudTrail log file integrity validation"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html)
and "CloudTrail digest file structure"
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html),
as the AWS CLI's ``cloudtrail validate-logs`` implements it: hashes are over the
*uncompressed* content of a log or digest file; the signature (hex, in the digest object's
S3 metadata ``signature``) is SHA256withRSA (PKCS #1 v1.5) over the UTF-8 string

    <digestEndTime>\\n<digestS3Bucket>/<digestS3Object>\\n<hex sha256 of the uncompressed
    digest>\\n<previousDigestSignature, or "null" for the first digest of a chain>

Events: only names, times, regions, principal ARNs and types, source IPs and error codes are
kept, plus, for the categories that need them, a target identifier from a short allow-list of
request fields (a trail, key, bucket, IAM entity or security group name or id) and whether a
security-group rule opened ingress to 0.0.0.0/0 or ::/0. Other request parameters and response
elements are never copied. Lists are capped at ``CAP`` entries; their totals are kept.

Sensitive event categories (``DEFAULT_SENSITIVE_EVENTS``, overridable by the caller): category
name -> CloudTrail event names. Each category is counted (successful events per name, failed
ones in total) and listed. Root activity, console logins without MFA, failed console logins,
security-group ingress opened to the internet and access denials per principal are judged from
the event itself and always summarised.

A log file's name carries its delivery time; events of the last minutes of the period arrive
in files delivered up to ``LATE_DELIVERY`` later, so those files are read too (events outside
the period are skipped and counted). The period should have ended at least two hours before the
summary is made: the digest of the last hour is delivered about an hour after it, and a digest
not yet delivered is reported as missing.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from collectors.auditlog.cloudtrail_keys import (
    ACCOUNT,
    ORGANIZATION,
    REGION,
    DigestKey,
    LogKey,
    account_root,
    logs_root,
    parse_key,
    parse_location,
)
from collectors.auditlog.period import Period
from compliance_opa.errors import EngineError, InputError

RESOURCE_TYPE = "aws_cloudtrail_summary"
CAP = 500  # entries per list in a summary; the totals are kept beside
LATE_DELIVERY = timedelta(hours=1)  # log files delivered this long after the period are read
DIGEST_DELAY = timedelta(hours=2)  # digests ending this long after the period are read
_CHUNK = 1 << 16
# Content kept to read events from. A gzip object can inflate a thousandfold: past this its
# hash is still checked against the digest, but its events are not read (a file far larger
# than CloudTrail writes is reported unreadable rather than exhausting memory).
MAX_CONTENT_BYTES = 512 * 1024 * 1024
_MAX_TEXT = 256  # longest identifier kept from an event

# Category -> event names. Documented in docs (the summary note) and overridable.
DEFAULT_SENSITIVE_EVENTS: Mapping[str, tuple[str, ...]] = {
    "trail_changes": (
        "StopLogging",
        "DeleteTrail",
        "UpdateTrail",
        "PutEventSelectors",
        "PutInsightSelectors",
    ),
    "iam_changes": (
        "CreateUser",
        "DeleteUser",
        "UpdateUser",
        "CreateRole",
        "DeleteRole",
        "UpdateRole",
        "UpdateAssumeRolePolicy",
        "CreatePolicy",
        "DeletePolicy",
        "CreatePolicyVersion",
        "DeletePolicyVersion",
        "SetDefaultPolicyVersion",
        "AttachUserPolicy",
        "DetachUserPolicy",
        "AttachRolePolicy",
        "DetachRolePolicy",
        "AttachGroupPolicy",
        "DetachGroupPolicy",
        "PutUserPolicy",
        "DeleteUserPolicy",
        "PutRolePolicy",
        "DeleteRolePolicy",
        "PutGroupPolicy",
        "DeleteGroupPolicy",
        "AddUserToGroup",
        "RemoveUserFromGroup",
        "CreateAccessKey",
        "DeleteAccessKey",
        "CreateLoginProfile",
        "UpdateLoginProfile",
        "DeleteLoginProfile",
        "DeactivateMFADevice",
    ),
    "kms_key_disabling": ("DisableKey", "ScheduleKeyDeletion"),
    "bucket_policy_acl_changes": (
        "PutBucketPolicy",
        "DeleteBucketPolicy",
        "PutBucketAcl",
        "PutBucketPublicAccessBlock",
        "DeleteBucketPublicAccessBlock",
    ),
    "security_group_changes": (
        "AuthorizeSecurityGroupIngress",
        "ModifySecurityGroupRules",
        "RevokeSecurityGroupIngress",
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
    ),
}
# Error codes of a refused call (EC2 answers UnauthorizedOperation, most others AccessDenied).
DENIED_ERRORS = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "Client.UnauthorizedOperation",
        "Client.AccessDenied",
    }
)
_INGRESS_EVENTS = frozenset({"AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules"})
_WORLD = frozenset({"0.0.0.0/0", "::/0"})
# The one request field kept per event source: which trail, key, bucket, IAM entity or group.
_TARGET_FIELDS: Mapping[str, tuple[str, ...]] = {
    "cloudtrail.amazonaws.com": ("name", "trailName"),
    "kms.amazonaws.com": ("keyId",),
    "s3.amazonaws.com": ("bucketName",),
    "iam.amazonaws.com": ("roleName", "userName", "groupName", "policyArn"),
    "ec2.amazonaws.com": ("groupId", "groupName"),
}


def summarise_cloudtrail(
    location: str,
    *,
    period: Period,
    s3: Any,
    public_keys: Mapping[str, bytes] | None = None,
    sensitive_events: Mapping[str, Sequence[str]] | None = None,
) -> list[dict[str, Any]]:
    """One ``aws_cloudtrail_summary`` resource per account whose trail files are under
    ``location``, for ``period``. ``s3`` is a boto3 S3 client; ``public_keys`` maps a digest
    public key fingerprint to its DER or PEM public key (None: signatures not verified);
    ``sensitive_events`` replaces ``DEFAULT_SENSITIVE_EVENTS``."""
    bucket, prefix = parse_location(location)
    categories = _categories(
        DEFAULT_SENSITIVE_EVENTS if sensitive_events is None else sensitive_events
    )
    keys = None if public_keys is None else _load_public_keys(public_keys)
    store = _Store(s3, bucket, location)
    accounts = _accounts(store, prefix)
    if not accounts:
        raise InputError(
            f"{location}: no CloudTrail files (no AWSLogs/<account>/ or AWSLogs/<o-id>/<account>/)"
        )
    return [
        _Account(store, prefix, org, account, period, categories, keys).summary()
        for org, account in accounts
    ]


# ---------------------------------------------------------------------------- S3 access


class _Store:
    """Listing and reading one bucket; S3 errors become one-line InputErrors."""

    def __init__(self, s3: Any, bucket: str, location: str) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.location = location

    def folders(self, prefix: str) -> list[str]:
        """The names of the folders right under ``prefix``."""
        names: list[str] = []
        for page in self._pages(Prefix=prefix, Delimiter="/"):
            for entry in page.get("CommonPrefixes", []):
                names.append(entry["Prefix"][len(prefix) :].rstrip("/"))
        return names

    def keys(self, prefix: str) -> Iterator[str]:
        for page in self._pages(Prefix=prefix):
            for entry in page.get("Contents", []):
                yield entry["Key"]

    def _pages(self, **kwargs: str) -> Iterator[dict[str, Any]]:
        try:
            yield from self.s3.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, **kwargs
            )
        except Exception as error:  # botocore ClientError and connection errors
            raise _failure(error)(
                f"{self.location}: cannot list s3://{self.bucket}/{kwargs['Prefix']}: "
                f"{_error_text(error)}"
            ) from error

    def get(self, key: str, bucket: str | None = None) -> tuple[Any, dict[str, str]] | None:
        """The object's streaming body and metadata; None when it does not exist."""
        try:
            answer = self.s3.get_object(Bucket=bucket or self.bucket, Key=key)
        except Exception as error:
            if _error_code(error) in {"NoSuchKey", "404", "NotFound"}:
                return None
            raise _failure(error)(
                f"{self.location}: cannot read s3://{bucket or self.bucket}/{key}: "
                f"{_error_text(error)}"
            ) from error
        return answer["Body"], dict(answer.get("Metadata") or {})


def _failure(error: Exception) -> type[InputError] | type[EngineError]:
    """An S3 answer refusing the location (4xx: no such bucket, access denied) is the
    input's fault, exit 2; no answer (refused, timed out, no credentials) or a server error
    is the environment's, exit 3."""
    response = getattr(error, "response", None)
    status = (
        response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if isinstance(response, dict)
        else None
    )
    return InputError if isinstance(status, int) and 400 <= status < 500 else EngineError


def _error_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _error_text(error: Exception) -> str:
    code = _error_code(error)
    return code or type(error).__name__


@dataclass
class _Read:
    """One object read in full: the bytes' sha256 and the uncompressed content's."""

    raw_sha256: str
    size: int
    sha256: str | None  # of the uncompressed content; None when it is not gzip
    content: bytes | None  # None: not gzip, or over MAX_CONTENT_BYTES (too_large)
    too_large: bool = False


def _read_gzip(body: Any) -> _Read:
    """Stream a gzip object: hash the stored bytes and the uncompressed ones in one pass."""
    raw = hashlib.sha256()
    plain = hashlib.sha256()
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    parts: list[bytes] = []
    size = 0
    kept = 0
    ok = True
    try:
        for chunk in iter(lambda: body.read(_CHUNK), b""):
            raw.update(chunk)
            size += len(chunk)
            if ok:
                try:
                    data = inflater.decompress(chunk)
                except zlib.error:
                    ok = False
                    continue
                plain.update(data)
                kept += len(data)
                if kept <= MAX_CONTENT_BYTES:
                    parts.append(data)
        if ok:
            tail = inflater.flush()
            plain.update(tail)
            kept += len(tail)
            parts.append(tail)
            # Bytes after the gzip stream (another member appended) are neither hashed as
            # content nor read: the file would pass its digest check though altered.
            ok = inflater.eof and not inflater.unused_data
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    if not ok:
        return _Read(raw.hexdigest(), size, None, None)
    if kept > MAX_CONTENT_BYTES:
        return _Read(raw.hexdigest(), size, plain.hexdigest(), None, too_large=True)
    return _Read(raw.hexdigest(), size, plain.hexdigest(), b"".join(parts))


def _json(content: bytes | None) -> Any:
    """The document, or None when it is not JSON (or nested too deep to read)."""
    if content is None:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


@dataclass
class _Manifest:
    """What was read of one kind in one region: a sha256 over ``<key> <sha256>\\n`` lines in
    key order, so the evidence ledger holds one digest per region and kind, however busy."""

    uri: str
    kind: str
    entries: list[tuple[str, str, int]] = field(default_factory=list)

    def add(self, key: str, sha256: str, size: int) -> None:
        self.entries.append((key, sha256, size))

    def as_json(self) -> dict[str, Any]:
        lines = "".join(f"{k} {h}\n" for k, h, _ in sorted(self.entries))
        return {
            "uri": self.uri,
            "kind": self.kind,
            "objects": len(self.entries),
            "bytes": sum(size for _, _, size in self.entries),
            "sha256": hashlib.sha256(lines.encode()).hexdigest(),
        }


# ---------------------------------------------------------------------------- discovery


def _accounts(store: _Store, prefix: str) -> list[tuple[str | None, str]]:
    """(organization id or None, account) for each account folder under AWSLogs/."""
    root = logs_root(prefix)
    found: list[tuple[str | None, str]] = []
    for name in store.folders(root):
        if ACCOUNT.match(name):
            found.append((None, name))
        elif ORGANIZATION.match(name):
            found.extend(
                (name, account)
                for account in store.folders(f"{root}{name}/")
                if ACCOUNT.match(account)
            )
    return sorted(found, key=lambda pair: (pair[1], pair[0] or ""))


def _days(start: datetime, end: datetime) -> Iterator[datetime]:
    """Each UTC date from ``start`` to ``end`` (exclusive), as midnight."""
    day = start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    while day < end:
        yield day
        day += timedelta(days=1)


# ---------------------------------------------------------------------------- digests


@dataclass
class _Digest:
    key: str
    parts: DigestKey
    start: datetime | None
    end: datetime | None
    data: dict[str, Any]
    sha256: str  # of the uncompressed digest
    signature: str | None  # from the object's metadata


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def _rfc3339(t: datetime) -> str:
    return Period.rfc3339(t)


def _load_public_keys(public_keys: Mapping[str, bytes]) -> dict[str, rsa.RSAPublicKey]:
    loaded: dict[str, rsa.RSAPublicKey] = {}
    for fingerprint, data in public_keys.items():
        try:
            if data.lstrip().startswith(b"-----BEGIN"):
                key = serialization.load_pem_public_key(data)
            else:
                key = serialization.load_der_public_key(data)
        except ValueError as error:
            raise InputError(
                f"CloudTrail public key {fingerprint}: not a DER or PEM public key"
            ) from error
        if not isinstance(key, rsa.RSAPublicKey):
            raise InputError(f"CloudTrail public key {fingerprint}: not an RSA key")
        loaded[fingerprint.lower()] = key
    return loaded


def string_to_sign(data: Mapping[str, Any], digest_sha256: str) -> bytes:
    """The data-signing string of a digest (AWS's custom validation procedure, cited above)."""
    previous = data.get("previousDigestSignature")
    return (
        f"{data.get('digestEndTime')}\n{data.get('digestS3Bucket')}/{data.get('digestS3Object')}"
        f"\n{digest_sha256}\n{'null' if previous is None else previous}"
    ).encode()


def _signature_problem(digest: _Digest, keys: Mapping[str, rsa.RSAPublicKey]) -> str | None:
    """Why the digest's signature does not verify; None when it does."""
    if not digest.signature:
        return "the digest object has no signature metadata"
    fingerprint = str(digest.data.get("digestPublicKeyFingerprint") or "").lower()
    key = keys.get(fingerprint)
    if key is None:
        return f"no public key given for fingerprint {fingerprint or '(none)'}"
    algorithm = digest.data.get("digestSignatureAlgorithm")
    if algorithm != "SHA256withRSA":
        return f"unsupported signature algorithm {algorithm!s:.40}"
    try:
        signature = bytes.fromhex(digest.signature)
        key.verify(
            signature,
            string_to_sign(digest.data, digest.sha256),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (ValueError, InvalidSignature):
        return "signature does not verify"
    return None


# ---------------------------------------------------------------------------- events


def _categories(sensitive: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    result: dict[str, frozenset[str]] = {}
    for name, events in sensitive.items():
        if isinstance(events, str) or not all(isinstance(e, str) and e for e in events):
            raise InputError(f"sensitive event category {name!r}: not a list of event names")
        result[str(name)] = frozenset(events)
    return result


class _Capped:
    """A counted list keeping its first CAP entries."""

    def __init__(self) -> None:
        self.total = 0
        self.events: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        self.total += 1
        if len(self.events) < CAP:
            self.events.append(entry)

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "events": sorted(self.events, key=lambda e: (e["time"], e["event_name"])),
            "truncated": self.total > len(self.events),
        }


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)[:_MAX_TEXT]


def _principal(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    identity = record.get("userIdentity")
    if not isinstance(identity, dict):
        return None, None
    kind = _text(identity.get("type"))
    arn = _text(identity.get("arn"))
    if arn is None and kind == "AWSService":
        arn = _text(identity.get("invokedBy"))
    return arn, kind


def _target(record: Mapping[str, Any]) -> str | None:
    request = record.get("requestParameters")
    if not isinstance(request, dict):
        return None
    for name in _TARGET_FIELDS.get(str(record.get("eventSource")), ()):
        value = _text(request.get(name))
        if value:
            return value
    return None


def _world_ingress(request: Any) -> list[str]:
    """The internet-wide ranges (0.0.0.0/0, ::/0) a security-group call opens ingress to."""
    found: set[str] = set()
    if not isinstance(request, dict):
        return []
    if request.get("cidrIp") in _WORLD:
        found.add(str(request["cidrIp"]))
    permissions = request.get("ipPermissions")
    items = permissions.get("items") if isinstance(permissions, dict) else None
    for permission in items if isinstance(items, list) else []:
        if not isinstance(permission, dict):
            continue
        for ranges, name in (("ipRanges", "cidrIp"), ("ipv6Ranges", "cidrIpv6")):
            block = permission.get(ranges)
            entries = block.get("items") if isinstance(block, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and entry.get(name) in _WORLD:
                    found.add(str(entry[name]))
    # ModifySecurityGroupRules: SecurityGroupRule entries of ingress rules.
    modify = request.get("ModifySecurityGroupRulesRequest")
    rules = modify.get("SecurityGroupRule") if isinstance(modify, dict) else None
    for rule in rules if isinstance(rules, list) else [rules] if isinstance(rules, dict) else []:
        body = rule.get("SecurityGroupRule") if isinstance(rule, dict) else None
        if isinstance(body, dict):
            for name in ("CidrIpv4", "CidrIpv6"):
                if body.get(name) in _WORLD:
                    found.add(str(body[name]))
    return sorted(found)


def _group_id(request: Any) -> str | None:
    if not isinstance(request, dict):
        return None
    group = _text(request.get("groupId"))
    if group is None:
        modify = request.get("ModifySecurityGroupRulesRequest")
        group = _text(modify.get("GroupId")) if isinstance(modify, dict) else None
    return group


class _Events:
    """The running event summary of one account."""

    def __init__(self, period: Period, categories: Mapping[str, frozenset[str]]) -> None:
        self.period = period
        self.categories = categories
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for category, names in categories.items():
            for name in names:
                self.by_name[name].append(category)
        self.total = 0
        self.outside = 0
        self.by_region: Counter[str] = Counter()
        self.sensitive = {c: _Capped() for c in categories}
        self.sensitive_ok: dict[str, Counter[str]] = {c: Counter() for c in categories}
        self.sensitive_failed: Counter[str] = Counter()
        self.root = _Capped()
        self.no_mfa = _Capped()
        self.failed_logins = _Capped()
        self.world_ingress = _Capped()
        self.denied: Counter[tuple[str, str]] = Counter()

    def add(self, record: Mapping[str, Any], time: datetime) -> None:
        self.total += 1
        region = _text(record.get("awsRegion")) or "unknown"
        self.by_region[region] += 1
        name = _text(record.get("eventName")) or ""
        arn, kind = _principal(record)
        error = _text(record.get("errorCode"))
        entry: dict[str, Any] = {
            "time": _rfc3339(time),
            "event_name": name,
            "event_source": _text(record.get("eventSource")),
            "region": region,
            "principal_arn": arn,
            "principal_type": kind,
            "source_ip": _text(record.get("sourceIPAddress")),
            "error_code": error,
        }
        identity = record.get("userIdentity")
        invoked_by = identity.get("invokedBy") if isinstance(identity, dict) else None
        if kind == "Root" and not invoked_by and record.get("eventType") != "AwsServiceEvent":
            self.root.add(entry)
        if name == "ConsoleLogin":
            self._console_login(record, entry, kind)
        categories = self.by_name.get(name, [])
        if categories:
            detailed = {**entry, "target": _target(record)}
            for category in categories:
                self.sensitive[category].add(detailed)
                if error:
                    self.sensitive_failed[category] += 1
                else:
                    self.sensitive_ok[category][name] += 1
        if name in _INGRESS_EVENTS and not error:
            request = record.get("requestParameters")
            opened = _world_ingress(request)
            if opened:
                self.world_ingress.add({**entry, "group_id": _group_id(request), "open_to": opened})
        if error in DENIED_ERRORS:
            self.denied[(arn or "unknown", kind or "unknown")] += 1

    def _console_login(
        self, record: Mapping[str, Any], entry: dict[str, Any], kind: str | None
    ) -> None:
        response = record.get("responseElements")
        outcome = response.get("ConsoleLogin") if isinstance(response, dict) else None
        extra = record.get("additionalEventData")
        mfa = extra.get("MFAUsed") if isinstance(extra, dict) else None
        if outcome == "Failure" or (outcome is None and record.get("errorMessage")):
            self.failed_logins.add(entry)
        elif outcome == "Success" and mfa == "No" and kind in {"Root", "IAMUser"}:
            # Federated and SSO sign-ins report MFAUsed "No": their MFA is the IdP's.
            self.no_mfa.add(entry)

    def attributes(self) -> dict[str, Any]:
        denied = sorted(self.denied.items(), key=lambda item: (-item[1], item[0]))
        return {
            "total_events": self.total,
            "events_outside_period": self.outside,
            "tracked_event_names": sorted(self.by_name),
            "sensitive_events": {
                c: {
                    **capped.as_json(),
                    "by_event_name": dict(sorted(self.sensitive_ok[c].items())),
                    "failed": self.sensitive_failed[c],
                }
                for c, capped in sorted(self.sensitive.items())
            },
            "root_activity": self.root.as_json(),
            "console_logins_without_mfa": self.no_mfa.as_json(),
            "failed_console_logins": self.failed_logins.as_json(),
            "security_group_ingress_opened": self.world_ingress.as_json(),
            "access_denied": {
                "total": sum(self.denied.values()),
                "by_principal": [
                    {"principal_arn": arn, "principal_type": kind, "count": n}
                    for (arn, kind), n in denied[:CAP]
                ],
                "truncated": len(denied) > CAP,
            },
        }


# ---------------------------------------------------------------------------- one account


class _Issues:
    """The integrity lists of one account, capped, with their totals."""

    NAMES = (
        "missing_digests",
        "hash_mismatches",
        "missing_log_files",
        "logs_not_in_digest",
        "unreadable_files",
        "broken_chain",
        "bad_signatures",
    )

    def __init__(self) -> None:
        self.lists: dict[str, list[dict[str, Any]]] = {n: [] for n in self.NAMES}
        self.totals: Counter[str] = Counter()

    def add(self, name: str, entry: dict[str, Any]) -> None:
        self.totals[name] += 1
        if len(self.lists[name]) < CAP:
            self.lists[name].append(entry)

    def attributes(self) -> dict[str, Any]:
        return {
            **{n: self.lists[n] for n in self.NAMES},
            "integrity_totals": {n: self.totals[n] for n in self.NAMES},
        }


class _Account:
    def __init__(
        self,
        store: _Store,
        prefix: str,
        organization_id: str | None,
        account: str,
        period: Period,
        categories: Mapping[str, frozenset[str]],
        keys: Mapping[str, rsa.RSAPublicKey] | None,
    ) -> None:
        self.store = store
        self.prefix = prefix
        self.org = organization_id
        self.account = account
        self.period = period
        self.keys = keys
        self.root = account_root(prefix, organization_id, account)
        self.events = _Events(period, categories)
        self.issues = _Issues()
        self.manifests: dict[tuple[str, str], _Manifest] = {}
        self.region_logs: Counter[str] = Counter()
        self.region_digests: Counter[str] = Counter()
        self.trails: set[str] = set()
        self.folder_regions: set[str] = set()  # regions with a log or digest folder

    def _manifest(self, kind: str, region: str) -> _Manifest:
        folder = "CloudTrail" if kind == "cloudtrail_log_files" else "CloudTrail-Digest"
        return self.manifests.setdefault(
            (kind, region),
            _Manifest(f"s3://{self.store.bucket}/{self.root}{folder}/{region}/", kind),
        )

    def _listed(self, folder: str, end: datetime) -> Iterator[tuple[str, LogKey | DigestKey]]:
        """The parsed keys of this account's files in the period's date folders."""
        for region in sorted(self.store.folders(f"{self.root}{folder}/")):
            if not REGION.match(region):
                continue
            self.folder_regions.add(region)
            for day in _days(self.period.start, end):
                for key in self.store.keys(f"{self.root}{folder}/{region}/{day:%Y/%m/%d}/"):
                    parts = parse_key(self.prefix, key)
                    if parts is not None and parts.account == self.account:
                        yield key, parts

    # -- digests

    def _fetch_digest(
        self, key: str, parts: DigestKey, bucket: str | None = None
    ) -> _Digest | None:
        found = self.store.get(key, bucket)
        if found is None:
            return None
        body, metadata = found
        read = _read_gzip(body)
        self._manifest("cloudtrail_digest_files", parts.region).add(key, read.raw_sha256, read.size)
        self.region_digests[parts.region] += 1
        data = _json(read.content)
        if not isinstance(data, dict) or read.sha256 is None:
            self.issues.add("unreadable_files", {"object": key, "detail": "not a gzip JSON digest"})
            return None
        return _Digest(
            key=key,
            parts=parts,
            start=_parse_time(data.get("digestStartTime")),
            end=_parse_time(data.get("digestEndTime")),
            data=data,
            sha256=read.sha256,
            signature=metadata.get("signature"),
        )

    def _digests(self) -> dict[str, _Digest]:
        window_end = self.period.end + DIGEST_DELAY
        digests: dict[str, _Digest] = {}
        for key, parts in self._listed("CloudTrail-Digest", window_end):
            if not isinstance(parts, DigestKey) or not (
                self.period.start <= parts.end <= window_end
            ):
                continue
            digest = self._fetch_digest(key, parts)
            if digest is not None:
                digests[key] = digest
        return digests

    def _verify_digests(self, digests: dict[str, _Digest]) -> None:
        chains: dict[tuple[str, str, str], list[_Digest]] = defaultdict(list)
        for digest in digests.values():
            chains[(digest.parts.region, digest.parts.trail, digest.parts.home_region)].append(
                digest
            )
            self.trails.add(digest.parts.trail)
            data = digest.data
            if data.get("digestS3Bucket") != self.store.bucket or data.get("digestS3Object") != (
                digest.key
            ):
                self.issues.add(
                    "broken_chain",
                    {"digest": digest.key, "detail": "the digest names another location"},
                )
            if self.keys is not None:
                problem = _signature_problem(digest, self.keys)
                if problem:
                    self.issues.add("bad_signatures", {"digest": digest.key, "detail": problem})
        for (region, trail, _home), chain in sorted(chains.items()):
            chain.sort(key=lambda d: (d.end or d.parts.end, d.key))
            self._verify_chain(region, trail, chain, digests)
        self._coverage(chains, digests)

    def _verify_chain(
        self, region: str, trail: str, chain: list[_Digest], digests: dict[str, _Digest]
    ) -> None:
        for index, digest in enumerate(chain):
            data = digest.data
            previous_key = data.get("previousDigestS3Object")
            if not previous_key:
                earlier = chain[index - 1] if index else None
                if (
                    earlier is not None
                    and earlier.end is not None
                    and digest.start is not None
                    and digest.start <= earlier.end
                ):
                    self.issues.add(
                        "broken_chain",
                        {
                            "digest": digest.key,
                            "detail": f"names no previous digest, though {earlier.key} "
                            "ends where it starts",
                        },
                    )
                continue
            previous = digests.get(str(previous_key))
            if previous is None:
                previous_parts = parse_key(self.prefix, str(previous_key))
                if isinstance(previous_parts, DigestKey):
                    bucket = data.get("previousDigestS3Bucket")
                    previous = self._fetch_digest(
                        str(previous_key),
                        previous_parts,
                        str(bucket) if isinstance(bucket, str) and bucket else None,
                    )
            if previous is None:
                self.issues.add(
                    "broken_chain",
                    {"digest": digest.key, "detail": f"previous digest {previous_key} is missing"},
                )
            elif str(data.get("previousDigestHashValue", "")).lower() != previous.sha256:
                self.issues.add(
                    "broken_chain",
                    {
                        "digest": digest.key,
                        "detail": f"previous digest {previous.key} does not have the hash named",
                    },
                )
            elif data.get("previousDigestSignature") != previous.signature:
                self.issues.add(
                    "broken_chain",
                    {
                        "digest": digest.key,
                        "detail": f"previous digest {previous.key} does not have the signature "
                        "named",
                    },
                )

    def _coverage(
        self, chains: Mapping[tuple[str, str, str], list[_Digest]], digests: dict[str, _Digest]
    ) -> None:
        """Each trail and region with digests must have digests covering the whole period;
        a region with a log or digest folder but no digest of the period misses them all
        (digests are delivered every hour, with or without log files)."""
        regions_with_digests = {region for region, _, _ in chains}
        for region in sorted(self.folder_regions - regions_with_digests):
            self.issues.add(
                "missing_digests",
                {
                    "region": region,
                    "trail": None,
                    "from": _rfc3339(self.period.start),
                    "to": _rfc3339(self.period.end),
                },
            )
        tolerance = timedelta(minutes=1)
        for (region, trail, _home), chain in sorted(chains.items()):
            cursor = self.period.start
            for digest in chain:
                if digest.start is None or digest.end is None:
                    continue
                if digest.start > cursor + tolerance and cursor < self.period.end:
                    self._missing(region, trail, cursor, min(digest.start, self.period.end))
                cursor = max(cursor, digest.end)
            if cursor < self.period.end:
                self._missing(region, trail, cursor, self.period.end)

    def _missing(self, region: str, trail: str, start: datetime, end: datetime) -> None:
        self.issues.add(
            "missing_digests",
            {"region": region, "trail": trail, "from": _rfc3339(start), "to": _rfc3339(end)},
        )

    # -- logs

    def _logs(self, digests: Mapping[str, _Digest]) -> None:
        expected: dict[str, tuple[str, str]] = {}  # log key -> (sha256, digest key)
        for digest in digests.values():
            files = digest.data.get("logFiles")
            for entry in files if isinstance(files, list) else []:
                if (
                    isinstance(entry, dict)
                    and entry.get("s3Bucket") == self.store.bucket
                    and isinstance(entry.get("s3Object"), str)
                ):
                    expected[entry["s3Object"]] = (
                        str(entry.get("hashValue", "")).lower(),
                        digest.key,
                    )
        window_end = self.period.end + LATE_DELIVERY
        seen: set[str] = set()
        for key, parts in self._listed("CloudTrail", window_end):
            if not isinstance(parts, LogKey) or not (self.period.start <= parts.time < window_end):
                continue
            seen.add(key)
            self._log(key, parts, expected.get(key))
        for key, (_hash, digest_key) in sorted(expected.items()):
            named = parse_key(self.prefix, key)
            if (
                isinstance(named, LogKey)
                and named.account == self.account
                and self.period.start <= named.time < window_end
                and key not in seen
            ):
                self.issues.add("missing_log_files", {"object": key, "digest": digest_key})

    def _log(self, key: str, parts: LogKey, expected: tuple[str, str] | None) -> None:
        found = self.store.get(key)
        if found is None:  # deleted between the listing and the read
            return
        body, _metadata = found
        read = _read_gzip(body)
        self._manifest("cloudtrail_log_files", parts.region).add(key, read.raw_sha256, read.size)
        self.region_logs[parts.region] += 1
        in_period = self.period.contains(parts.time)
        records = self._records(key, read)
        for record, time in records:
            if self.period.contains(time):
                in_period = True
                self.events.add(record, time)
            else:
                self.events.outside += 1
        if expected is not None:
            if read.sha256 != expected[0]:
                self.issues.add(
                    "hash_mismatches",
                    {
                        "object": key,
                        "digest": expected[1],
                        "detail": "the uncompressed content's SHA-256 differs from the digest's"
                        if read.sha256
                        else "not a readable gzip file",
                    },
                )
        elif in_period:
            self.issues.add("logs_not_in_digest", {"object": key, "region": parts.region})

    def _records(self, key: str, read: _Read) -> list[tuple[Mapping[str, Any], datetime]]:
        document = _json(read.content)
        records = document.get("Records") if isinstance(document, dict) else None
        if not isinstance(records, list):
            detail = (
                f"over {MAX_CONTENT_BYTES >> 20} MiB uncompressed: its events were not read"
                if read.too_large
                else "not a gzip JSON CloudTrail log file"
            )
            self.issues.add("unreadable_files", {"object": key, "detail": detail})
            return []
        result: list[tuple[Mapping[str, Any], datetime]] = []
        untimed = 0
        for record in records:
            time = _parse_time(record.get("eventTime")) if isinstance(record, dict) else None
            if time is None:
                untimed += 1
                continue
            result.append((record, time))
        if untimed:
            # CloudTrail writes every record as an object with an eventTime: one without is
            # not AWS's, and counting it as outside the period would hide it.
            self.issues.add(
                "unreadable_files",
                {"object": key, "detail": f"{untimed} records without a readable eventTime"},
            )
        return result

    # -- the resource

    def summary(self) -> dict[str, Any]:
        digests = self._digests()
        self._logs(digests)
        self._verify_digests(digests)
        regions = sorted(
            set(self.region_logs) | set(self.region_digests) | set(self.events.by_region)
        )
        location = (
            f"s3://{self.store.bucket}/{self.prefix}"
            if self.prefix
            else (f"s3://{self.store.bucket}")
        )
        attributes: dict[str, Any] = {
            "location": location,
            "organization_id": self.org,
            "period_start": _rfc3339(self.period.start),
            "period_end": _rfc3339(self.period.end),
            "sources": [m.as_json() for _, m in sorted(self.manifests.items())],
            "log_files_read": sum(self.region_logs.values()),
            "digest_files_read": sum(self.region_digests.values()),
            "trails": sorted(self.trails),
            "regions": {
                r: {
                    "events": self.events.by_region[r],
                    "log_files": self.region_logs[r],
                    "digest_files": self.region_digests[r],
                }
                for r in regions
            },
            "signatures_unverified": self.keys is None,
            **self.issues.attributes(),
            **self.events.attributes(),
        }
        return {
            "address": f"{location}#{self.account}",
            "type": RESOURCE_TYPE,
            "provider": "aws",
            "account": self.account,
            "region": None,
            "name": f"{location}#{self.account}",
            "tags": {},
            "data_classes": [],
            "attributes": attributes,
            "unknown": [],
            "sensitive": [],
        }


__all__ = [
    "CAP",
    "DEFAULT_SENSITIVE_EVENTS",
    "RESOURCE_TYPE",
    "string_to_sign",
    "summarise_cloudtrail",
]
