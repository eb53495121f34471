"""boto3 clients for remediation, from the config's `remediation.aws` section.

A separate session from the collector's: the collector's role is read-only, and fixing
needs a role that may write. Nothing here reads the collector's options or credentials.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials
from botocore.exceptions import ProfileNotFound

from compliance_opa.errors import InputError

SESSION_NAME = "opa-comply-remediation"
# Account-wide APIs (IAM, S3 Control, STS) are called here when neither the resource nor
# the options name a region.
FALLBACK_REGION = "us-east-1"


@dataclass(frozen=True)
class AwsRemediationOptions:
    profile: str | None = None  # None: the default credential chain
    role_arn: str | None = None  # assumed from the profile's credentials when given
    endpoint_url: str | None = None  # one endpoint for every service (tests, proxies)
    region: str | None = None  # for account-wide APIs; None: the profile's region
    external_id: str | None = None  # passed to sts:AssumeRole with role_arn


def options_from_config(section: dict[str, Any] | None) -> AwsRemediationOptions:
    """Options from a `remediation.aws` section already validated against the schema
    (compliance_opa/config/remediation.py)."""
    section = section or {}
    return AwsRemediationOptions(
        profile=section.get("profile"),
        role_arn=section.get("role_arn"),
        endpoint_url=section.get("endpoint_url"),
        region=section.get("region"),
        external_id=section.get("external_id"),
    )


@dataclass
class RemediationClients:
    """base.AwsClients: one client per (service, region), from one remediation session.

    ``region`` "" (or None) asks for the options' region, else the profile's, else
    us-east-1: what account-wide fixers (IAM, S3 Control) pass. Attempts and timeouts are
    small by default: a fix is one call, and an unreachable endpoint must fail fast.
    Botocore errors are raised as they come; the caller classifies them.
    """

    options: AwsRemediationOptions = field(default_factory=AwsRemediationOptions)
    max_attempts: int = 3
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    _session: boto3.Session | None = None
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def config(self) -> Config:
        return Config(
            retries={"mode": "standard", "total_max_attempts": self.max_attempts},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            user_agent_extra="opa-comply-remediation",
        )

    def default_region(self) -> str:
        session = self.session()
        return self.options.region or session.region_name or FALLBACK_REGION

    def session(self) -> boto3.Session:
        with self._lock:
            if self._session is None:
                self._session = self._build_session()
            return self._session

    def client(self, service: str, region: str | None = None) -> Any:
        region = region or self.default_region()
        session = self.session()
        with self._lock:  # building clients from one session is not thread-safe
            key = (service, region)
            if key not in self._clients:
                client = session.client(
                    service,
                    region_name=region,
                    endpoint_url=self.options.endpoint_url,
                    config=self.config,
                )
                if service == "s3control" and self.options.endpoint_url:
                    client.meta.events.register(
                        "before-sign.s3-control", _no_account_host, unique_id="opa-comply-fix-host"
                    )
                self._clients[key] = client
            return self._clients[key]

    def _build_session(self) -> boto3.Session:
        try:
            base = boto3.Session(profile_name=self.options.profile)
        except ProfileNotFound as exc:
            raise InputError(
                f"remediation.aws.profile {self.options.profile}: no such AWS profile"
            ) from exc
        if not self.options.role_arn:
            return base
        region = self.options.region or base.region_name or FALLBACK_REGION
        sts = base.client(
            "sts", region_name=region, endpoint_url=self.options.endpoint_url, config=self.config
        )
        request: dict[str, Any] = {
            "RoleArn": self.options.role_arn,
            "RoleSessionName": SESSION_NAME,
        }
        if self.options.external_id:
            request["ExternalId"] = self.options.external_id

        def fetch() -> dict[str, Any]:
            credentials = sts.assume_role(**request)["Credentials"]
            return {
                "access_key": credentials["AccessKeyId"],
                "secret_key": credentials["SecretAccessKey"],
                "token": credentials["SessionToken"],
                "expiry_time": credentials["Expiration"].isoformat(),
            }

        # Credentials that refresh themselves: a long plan's later fixes keep working.
        core = botocore.session.Session()
        core.register_component(
            "credential_provider", CredentialResolver([_AssumedRoleProvider(fetch)])
        )
        return boto3.Session(botocore_session=core, region_name=region)


class _AssumedRoleProvider(CredentialProvider):  # type: ignore[misc]
    METHOD = "opa-comply-remediation-assume-role"

    def __init__(self, fetch: Callable[[], dict[str, Any]]) -> None:
        self._fetch = fetch
        self._credentials: RefreshableCredentials | None = None

    def load(self) -> RefreshableCredentials:
        if self._credentials is None:
            self._credentials = RefreshableCredentials.create_from_metadata(
                metadata=self._fetch(), refresh_using=self._fetch, method=self.METHOD
            )
        return self._credentials


def _no_account_host(request: Any, **_: Any) -> None:
    """S3 Control puts the account id in front of the host, even of a custom endpoint; one
    host (a proxy, an emulator) answers for every account there."""
    parts = urlsplit(request.url)
    account, _, host = parts.netloc.partition(".")
    if account.isdigit() and len(account) == 12 and host:
        request.url = urlunsplit(parts._replace(netloc=host))
