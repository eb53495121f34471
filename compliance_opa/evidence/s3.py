"""The ledger in an S3 bucket with Object Lock: every object is written once, under
COMPLIANCE retention, so nobody (the root user included) can delete or shorten it
until the retain-until date.

Every S3 call is bounded: connecting and each wait for an answer end after `timeout`
seconds (default 10), and a call is tried twice unless AWS_MAX_ATTEMPTS (or the profile's
max_attempts) asks for another number; an endpoint that accepts connections and never
answers fails a call after about attempts x timeout, not botocore's 3 x 60 s.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from compliance_opa.errors import EngineError, InputError
from compliance_opa.evidence.problems import Kind, Problem
from compliance_opa.evidence.record import record_number
from compliance_opa.evidence.settings import MAX_S3_TIMEOUT, S3_TIMEOUT
from compliance_opa.support.credentials import mask_userinfo

_NOT_LOCKED = {"ObjectLockConfigurationNotFoundError"}
_EXISTS = {"PreconditionFailed", "ConditionalRequestConflict"}  # If-None-Match lost a race
_MISSING = {"NoSuchKey", "404", "NotFound"}
DEFAULT_ATTEMPTS = 2  # unless AWS_MAX_ATTEMPTS or the profile's max_attempts says otherwise


def s3_client(region: str | None, endpoint_url: str | None, timeout: float = S3_TIMEOUT) -> Any:
    """An S3 client whose every call is bounded (see the module docstring)."""
    import boto3
    import botocore.session
    from botocore.config import Config

    if not 0 < timeout <= MAX_S3_TIMEOUT:
        raise InputError(
            f"evidence store: timeout {timeout:g} s is not within (0, {MAX_S3_TIMEOUT:g}]"
        )
    try:
        session = botocore.session.get_session()
        attempts = session.get_config_variable("max_attempts") or DEFAULT_ATTEMPTS
        config = Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"mode": "standard", "total_max_attempts": int(attempts)},
        )
        return boto3.session.Session(botocore_session=session).client(
            "s3", region_name=region, endpoint_url=endpoint_url, config=config
        )
    except ValueError as exc:  # e.g. an endpoint URL botocore cannot use, a bad attempts count
        raise InputError(f"evidence store: {_masked(str(exc))}") from exc
    except BotoCoreError as exc:
        raise EngineError(
            f"evidence store: cannot create an S3 client: {_masked(str(exc))}"
        ) from exc


class S3Ledger:
    def __init__(self, bucket: str, prefix: str, retention_days: int, s3_client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.retention_days = retention_days
        self._s3 = s3_client
        self._lock_modes: dict[str, str] = {}  # name -> ObjectLockMode seen on read
        self._check_object_lock()

    def __repr__(self) -> str:
        return f"S3Ledger({self.location!r})"

    @property
    def location(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def names(self, folder: str) -> list[str]:
        listing = self._listing("list_objects_v2", folder)
        return sorted(self._name(o["Key"]) for o in listing.get("Contents", []))

    def read(self, name: str) -> bytes | None:
        try:
            answer = self._s3.get_object(Bucket=self.bucket, Key=self._key(name))
            data: bytes = answer["Body"].read()
        except ClientError as exc:
            if _code(exc) in _MISSING:
                return None
            raise self._error("read", exc) from exc
        except BotoCoreError as exc:
            raise self._error("read", exc) from exc
        self._lock_modes[name] = answer.get("ObjectLockMode") or "none"
        return data

    def create(self, name: str, data: bytes) -> bool:
        until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=self.retention_days)
        try:
            self._s3.put_object(
                Bucket=self.bucket,
                Key=self._key(name),
                Body=data,
                # Object Lock puts need an integrity checksum (Content-MD5 or x-amz-checksum).
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=base64.b64encode(hashlib.sha256(data).digest()).decode(),
                ObjectLockMode="COMPLIANCE",
                ObjectLockRetainUntilDate=until,
                IfNoneMatch="*",  # never a second version of a name
            )
        except ClientError as exc:
            if _code(exc) in _EXISTS:
                return False
            raise self._error("write", exc) from exc
        except BotoCoreError as exc:
            raise self._error("write", exc) from exc
        return True

    @contextlib.contextmanager
    def appending(self) -> Iterator[None]:
        yield  # S3 has no lock; If-None-Match makes the loser of a race retry

    def audit(self) -> list[Problem]:
        """Versions behind the names: a delete marker or a second version of a record
        or artifact is tampering that the current objects alone would hide."""
        pages = self._listing("list_object_versions", "")
        versions = Counter(self._name(v["Key"]) for v in pages.get("Versions", []))
        problems = []
        for marker in pages.get("DeleteMarkers", []):
            if marker.get("IsLatest"):
                name = self._name(marker["Key"])
                line = (
                    f"{self._place(name)}: deleted (a delete marker hides it; its"
                    f" {versions[name]} locked version(s) remain) (removed)"
                )
                problems.append(Problem(Kind.REMOVED, line))
        for name, count in sorted(versions.items()):
            if count > 1:
                line = (
                    f"{self._place(name)}: {count} versions of an object the ledger writes"
                    " once (overwritten; the oldest is the original)"
                )
                problems.append(Problem(Kind.MODIFIED, line))
        for name, mode in sorted(self._lock_modes.items()):
            if mode != "COMPLIANCE":
                line = f"{self._place(name)}: Object Lock mode {mode}, expected COMPLIANCE"
                problems.append(Problem(Kind.UNLOCKED, line))
        return problems

    def _check_object_lock(self) -> None:
        try:
            answer = self._s3.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError as exc:
            if _code(exc) not in _NOT_LOCKED:
                raise self._error("open", exc) from exc
            answer = {}
        except BotoCoreError as exc:  # unreachable, no credentials
            raise self._error("open", exc) from exc
        enabled = answer.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")
        if enabled != "Enabled":
            raise EngineError(
                f"s3://{self.bucket}: Object Lock is not enabled on this bucket; the evidence"
                " ledger needs a bucket created with Object Lock"
            )

    def _listing(self, operation: str, folder: str) -> Any:
        try:
            pages = self._s3.get_paginator(operation).paginate(
                Bucket=self.bucket, Prefix=self._key(folder)
            )
            return pages.build_full_result()
        except (ClientError, BotoCoreError) as exc:
            raise self._error("list", exc) from exc

    def _error(self, action: str, exc: Exception) -> EngineError:
        if isinstance(exc, ClientError):
            if _code(exc) == "NoSuchBucket":
                return EngineError(f"s3://{self.bucket}: no such bucket")
            why = f"{_code(exc)}: {exc.response.get('Error', {}).get('Message', '')}".strip()
        else:
            why = _masked(str(exc))
            if isinstance(exc, (ConnectTimeoutError, ReadTimeoutError)):
                config = self._s3.meta.config
                attempts = (config.retries or {}).get("total_max_attempts", "several")
                why += f" (no answer within {config.read_timeout:g} s, {attempts} attempts)"
        return EngineError(f"{self.location}: cannot {action} the evidence ledger: {why}")

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _name(self, key: str) -> str:
        return key[len(self.prefix) + 1 :] if self.prefix else key

    def _place(self, name: str) -> str:
        number = record_number(name)
        return f"record {number} ({name})" if number is not None else name


def _masked(text: str) -> str:
    """An endpoint URL's credentials, if any, never reach a message."""
    return mask_userinfo(text)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
