"""Publish reports to S3, encrypted with KMS, and hand out presigned links that expire.

Each file goes to `s3://bucket/prefix/<folder>/<file name>` (the folder is the scan id),
stored with SSE-KMS and a content type a browser renders correctly; the caller gets one
SigV4 presigned GET link per file, valid for `expires_seconds` (at most 7 days).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from compliance_opa.errors import EngineError, InputError

# botocore is imported where a report is published: a scan that publishes nothing never
# loads it.
if TYPE_CHECKING:
    from botocore.exceptions import BotoCoreError, ClientError

DEFAULT_EXPIRES_SECONDS = 24 * 3600
MAX_EXPIRES_SECONDS = 7 * 24 * 3600  # SigV4 refuses presigned links valid for longer

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".sarif": "application/sarif+json",
    ".xml": "application/xml",
    ".md": "text/markdown",
    ".csv": "text/csv",
}
_FALLBACK_TYPE = "application/octet-stream"
_INLINE_TYPES = frozenset({"text/html; charset=utf-8"})

# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", ".mrap", "--table-s3")
_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_MAX_KEY_BYTES = 1024


@dataclass(frozen=True)
class PublishOptions:
    kms_key_id: str | None = None  # None: the AWS managed key aws/s3
    expires_seconds: int = DEFAULT_EXPIRES_SECONDS
    profile: str | None = None
    region: str | None = None  # None: the bucket's own region, found with HeadBucket
    endpoint_url: str | None = None  # https, or http on loopback only (tests, local S3)


@dataclass(frozen=True)
class S3Target:
    bucket: str
    prefix: str  # without leading or trailing slash; may be empty

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


@dataclass(frozen=True)
class Published:
    name: str  # the caller's name for the file (the key of `files`)
    bucket: str
    key: str
    content_type: str
    url: str  # presigned GET
    expires_at: datetime  # UTC; earlier if the credentials themselves expire first


# The `publish:` section of the config file.
PUBLISH_SCHEMA: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "target": {"type": "string", "pattern": "^s3://"},
        "kms_key_id": {"type": "string", "minLength": 1, "maxLength": 2048},
        "expires_seconds": {"type": "integer", "minimum": 1, "maximum": MAX_EXPIRES_SECONDS},
        "region": {"type": "string", "pattern": "^[a-z]{2}(-[a-z]+)+-[0-9]+$"},
        "endpoint_url": {"type": "string", "pattern": "^https?://"},
    },
}


def publish_options(section: Mapping[str, Any], **given: Any) -> tuple[str | None, PublishOptions]:
    """(target, options) from a validated `publish:` section, command-line values (not None)
    on top; `profile` comes from the caller (the AWS profile of the run)."""
    merged = {**section, **{k: v for k, v in given.items() if v is not None}}
    target = merged.pop("target", None)
    return target, PublishOptions(**merged)


def parse_target(target: str) -> S3Target:
    """`s3://bucket[/prefix]`, checked against S3's bucket naming rules."""
    shown = target if target.isprintable() else repr(target)  # keep the error on one line
    if not target.startswith("s3://"):
        raise InputError(f"publish target {shown}: expected s3://BUCKET[/PREFIX]")
    bucket, _, prefix = target[len("s3://") :].partition("/")
    prefix = prefix.strip("/")
    if not _valid_bucket(bucket):
        raise InputError(
            f"publish target {shown}: {bucket!r} is not a valid S3 bucket name "
            "(3-63 lowercase letters, digits, dots or hyphens)"
        )
    segments = prefix.split("/") if prefix else []
    if any(s in ("", ".", "..") for s in segments) or not prefix.isprintable():
        raise InputError(
            f"publish target {shown}: prefix has an empty, '.' or '..' part or a control character"
        )
    return S3Target(bucket, prefix)


def validate(target: str, options: PublishOptions) -> S3Target:
    """Everything that can be checked without AWS: call it before the scan starts."""
    parsed = parse_target(target)
    expires = options.expires_seconds
    if (
        isinstance(expires, bool)
        or not isinstance(expires, int)
        or not (1 <= expires <= MAX_EXPIRES_SECONDS)
    ):
        raise InputError(
            f"publish expires_seconds {expires!r}: must be 1..{MAX_EXPIRES_SECONDS} "
            "(SigV4 presigned links last at most 7 days)"
        )
    if options.kms_key_id is not None and not options.kms_key_id.strip():
        raise InputError("publish kms_key_id: must not be empty")
    if options.endpoint_url is not None:
        _check_endpoint(options.endpoint_url)
    return parsed


def publish_reports(
    files: Mapping[str, Path], target: str, options: PublishOptions, *, folder: str
) -> list[Published]:
    """Upload every file under `prefix/folder/`, then presign a GET link for each.

    Nothing is uploaded when the bucket is missing or an input is wrong. The links are
    bearer tokens: whoever holds one reads the report until it expires. Signed with
    temporary credentials (an assumed role, SSO), a link dies with them, possibly sooner.
    """
    parsed = validate(target, options)
    if not _FOLDER.fullmatch(folder):
        raise InputError(f"publish folder {folder!r}: expected letters, digits, '.', '_', '-'")
    uploads = _plan(files, parsed, folder)
    s3 = _client(parsed, options)
    for _name, path, key, kind in uploads:
        _upload(s3, parsed, path, key, kind, options.kms_key_id)
    expires_at = datetime.now(UTC) + timedelta(seconds=options.expires_seconds)
    return [
        Published(name, parsed.bucket, key, kind, _presign(s3, parsed, key, options), expires_at)
        for name, _path, key, kind in uploads
    ]


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix.lower(), _FALLBACK_TYPE)


def _valid_bucket(bucket: str) -> bool:
    if not _BUCKET.fullmatch(bucket) or ".." in bucket or ".-" in bucket or "-." in bucket:
        return False
    if bucket.startswith(_RESERVED_PREFIXES) or bucket.endswith(_RESERVED_SUFFIXES):
        return False
    try:
        ipaddress.IPv4Address(bucket)  # "192.168.5.4" is not a bucket name
    except ValueError:
        return True
    return False


def _check_endpoint(endpoint: str) -> None:
    parts = urlsplit(endpoint)
    if parts.username is not None or parts.password is not None:
        # Not echoed: whatever sits before the @ may be a secret.
        raise InputError("publish endpoint_url: must not contain a user name or password")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"publish endpoint_url {endpoint}: expected https://HOST[:PORT]")
    # Over plain http the upload and every presigned link (a bearer token in its query
    # string) cross the network readable by anyone on the path; loopback never leaves
    # the machine, which is what tests and a local S3 need.
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise InputError(
            f"publish endpoint_url {endpoint}: plain http is allowed on loopback only "
            "(presigned links would travel unencrypted); use https"
        )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _plan(
    files: Mapping[str, Path], target: S3Target, folder: str
) -> list[tuple[str, Path, str, str]]:
    """(name, path, key, content type) per file, every input checked before any upload."""
    if not files:
        raise InputError("publish: no reports to publish")
    planned: list[tuple[str, Path, str, str]] = []
    seen: dict[str, str] = {}
    for name, path in files.items():
        if not path.is_file():
            raise InputError(f"publish {path}: not a file")
        key = "/".join(part for part in (target.prefix, folder, path.name) if part)
        if key in seen:
            raise InputError(f"publish: {seen[key]} and {name} would both be {key}")
        if len(key.encode("utf-8")) > _MAX_KEY_BYTES:
            raise InputError(f"publish {path}: object key longer than {_MAX_KEY_BYTES} bytes")
        seen[key] = name
        planned.append((name, path, key, content_type(path.name)))
    return planned


def _client(target: S3Target, options: PublishOptions) -> Any:
    import boto3  # loaded only when publishing: a plain scan starts faster without it
    from botocore.exceptions import BotoCoreError, ProfileNotFound

    try:
        session = boto3.Session(profile_name=options.profile)
    except ProfileNotFound as exc:
        raise InputError(f"--profile {options.profile}: no such AWS profile") from exc
    try:
        credentials = session.get_credentials()
    except BotoCoreError as exc:
        raise EngineError(f"cannot load AWS credentials: {type(exc).__name__}") from exc
    if credentials is None:
        raise EngineError(
            "no AWS credentials found to publish (set AWS_PROFILE or --profile, or "
            "AWS_ACCESS_KEY_ID)"
        )
    region = options.region or session.region_name or "us-east-1"
    s3 = _s3(session, region, options)
    bucket_region = _bucket_region(s3, target)
    if bucket_region and bucket_region != region:
        # A link signed for another region than the bucket's is refused when fetched.
        s3 = _s3(session, bucket_region, options)
    return s3


def _s3(session: Any, region: str, options: PublishOptions) -> Any:
    from botocore.config import Config

    config = Config(
        # SigV4 is the only signature S3 accepts for SSE-KMS objects, and the only one
        # whose presigned links carry an expiry S3 itself enforces (X-Amz-Expires).
        signature_version="s3v4",
        retries={"mode": "standard", "total_max_attempts": 3},
        connect_timeout=10,
        read_timeout=60,
        user_agent_extra="opa-comply",
    )
    s3 = session.client("s3", region_name=region, endpoint_url=options.endpoint_url, config=config)
    # AWS_ENDPOINT_URL(_S3) in the environment can set the endpoint too: check what is used.
    _check_endpoint(s3.meta.endpoint_url)
    return s3


def _bucket_region(s3: Any, target: S3Target) -> str | None:
    """The bucket's region; a missing bucket stops the run before anything is uploaded."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = s3.head_bucket(Bucket=target.bucket)
    except ClientError as exc:
        code = _code(exc, "HeadBucket")
        if code == "AccessDenied":
            # Publishing needs s3:PutObject only; without s3:ListBucket, upload anyway.
            return _region_header(exc.response)
        raise EngineError(f"cannot publish to {target}: {code} on HeadBucket") from exc
    except BotoCoreError as exc:
        raise _transport_error(target, exc) from exc
    return _region_header(answer)


def _region_header(response: Mapping[str, Any]) -> str | None:
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    region = headers.get("x-amz-bucket-region")
    return str(region) if region else None


def _upload(
    s3: Any, target: S3Target, path: Path, key: str, kind: str, kms_key_id: str | None
) -> None:
    disposition = "inline" if kind in _INLINE_TYPES else "attachment"
    request: dict[str, Any] = {
        "Bucket": target.bucket,
        "Key": key,
        "ContentType": kind,
        # Only the HTML report is meant to render; the rest download, so no XML or
        # unknown file can run script on the bucket's origin.
        "ContentDisposition": f"{disposition}; filename*=UTF-8''{quote(path.name)}",
        # Without a key id S3 uses the AWS managed key aws/s3.
        "ServerSideEncryption": "aws:kms",
    }
    if kms_key_id:
        request["SSEKMSKeyId"] = kms_key_id
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        with path.open("rb") as body:
            s3.put_object(Body=body, **request)
    except OSError as exc:
        raise EngineError(f"publish {path}: cannot read: {exc.strerror or exc}") from exc
    except ClientError as exc:
        raise EngineError(
            f"cannot publish to {target}: {_code(exc, 'PutObject')} on PutObject {key}"
        ) from exc
    except BotoCoreError as exc:
        raise _transport_error(target, exc) from exc


def _presign(s3: Any, target: S3Target, key: str, options: PublishOptions) -> str:
    from botocore.exceptions import BotoCoreError, NoCredentialsError

    try:
        url: str = s3.generate_presigned_url(
            "get_object",
            Params={"Bucket": target.bucket, "Key": key},
            ExpiresIn=options.expires_seconds,
        )
    except NoCredentialsError as exc:
        raise EngineError("no AWS credentials found to sign the report links") from exc
    except BotoCoreError as exc:
        raise EngineError(f"cannot sign a link to {target}/{key}: {type(exc).__name__}") from exc
    return url


def _code(exc: ClientError, operation: str) -> str:
    """The AWS error code; HEAD answers carry no body, so only their status is known."""
    code = str(exc.response.get("Error", {}).get("Code", "Unknown"))
    if operation == "HeadBucket":
        return {"404": "NoSuchBucket", "403": "AccessDenied"}.get(code, code)
    return code


def _transport_error(target: S3Target, exc: BotoCoreError) -> EngineError:
    from botocore.exceptions import (
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        ReadTimeoutError,
    )

    # Only the exception's type: its text may quote a signed request.
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return EngineError(
            f"cannot publish to {target}: endpoint unreachable ({type(exc).__name__})"
        )
    if isinstance(exc, NoCredentialsError):
        return EngineError("no AWS credentials found to publish")
    return EngineError(f"cannot publish to {target}: {type(exc).__name__}")
