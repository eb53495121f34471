"""Sessions per account: the caller's own, or roles assumed with refreshing credentials."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)
from botocore.parsers import ResponseParserError

from collectors.aws.failures import CREDENTIAL_CODES, classify, error_code
from collectors.aws.options import AwsOptions
from compliance_opa.errors import EngineError, InputError

SESSION_NAME = "opa-comply-collect"
# Observes every API call: (IAM service prefix, operation name). Tests record them.
CallObserver = Callable[[str, str], None]


@dataclass
class Account:
    """One account to collect, with a thread-safe cache of its clients."""

    account_id: str
    partition: str
    session: boto3.Session
    options: AwsOptions
    home_region: str  # where account-wide services (IAM, STS) are called
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _key_managers: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def key_manager(self, key_arn: str, describe: Callable[[], str]) -> str:
        """CUSTOMER or AWS for a KMS key, asked once per run however many resources use it."""
        with self._lock:
            known = self._key_managers.get(key_arn)
        if known is None:
            known = describe()  # outside the lock: other threads keep going meanwhile
            with self._lock:
                self._key_managers[key_arn] = known
        return known

    def client(self, service: str, region: str) -> Any:
        # Clients are thread-safe once built; building them from one session is not.
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self.session.client(
                    service,
                    region_name=region,
                    endpoint_url=self.options.endpoint_url,
                    config=client_config(self.options),
                )
            return self._clients[key]


def client_config(options: AwsOptions) -> Config:
    return Config(
        retries={"mode": options.retry_mode, "total_max_attempts": options.max_attempts},
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        user_agent_extra="opa-comply",
        max_pool_connections=max(10, options.max_workers),
    )


def base_session(options: AwsOptions, observer: CallObserver | None) -> boto3.Session:
    try:
        session = boto3.Session(profile_name=options.profile)
    except ProfileNotFound as exc:
        raise InputError(f"--profile {options.profile}: no such AWS profile") from exc
    _observe(session, observer)
    return session


def default_region(session: boto3.Session, options: AwsOptions) -> str:
    """The region for STS, IAM and region discovery: the profile's, else the first asked for."""
    return session.region_name or (options.regions[0] if options.regions else "us-east-1")


def resolve_accounts(
    options: AwsOptions, observer: CallObserver | None = None
) -> tuple[list[Account], list[tuple[str, str, str]]]:
    """The accounts to collect, and (account, status, detail) for roles that could not be assumed.

    Credentials the caller's own account refuses stop the run (exit 3): nothing
    could be collected, and a snapshot of gaps would only hide that.
    """
    session = base_session(options, observer)
    region = default_region(session, options)
    identity = _caller_identity(session, region, options)
    partition = str(identity["Arn"]).split(":")[1]
    if not options.role_arns:
        return [Account(str(identity["Account"]), partition, session, options, region)], []
    accounts: list[Account] = []
    refused: list[tuple[str, str, str]] = []
    for role_arn in options.role_arns:
        account_id = _account_of(role_arn)
        try:
            assumed = _assumed_session(session, role_arn, region, options, observer)
        except (ClientError, BotoCoreError) as exc:
            status, detail = classify(exc)
            refused.append((account_id, status, f"cannot assume {role_arn}: {detail}"))
            continue
        accounts.append(Account(account_id, _partition_of(role_arn), assumed, options, region))
    return accounts, refused


def _caller_identity(session: boto3.Session, region: str, options: AwsOptions) -> dict[str, Any]:
    sts = session.client(
        "sts", region_name=region, endpoint_url=options.endpoint_url, config=client_config(options)
    )
    try:
        identity: dict[str, Any] = sts.get_caller_identity()
        return identity
    except NoCredentialsError as exc:
        raise EngineError(
            "no AWS credentials found (set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID)"
        ) from exc
    except ClientError as exc:
        code = error_code(exc)
        if code in CREDENTIAL_CODES:
            raise EngineError(
                f"AWS refused the credentials ({code}) on sts:GetCallerIdentity"
            ) from exc
        raise EngineError(f"cannot check AWS credentials: {classify(exc)[1]}") from exc
    except NoRegionError as exc:
        raise InputError("no AWS region: pass --region or set AWS_REGION") from exc
    except (BotoCoreError, ResponseParserError) as exc:
        raise EngineError(f"cannot check AWS credentials: {classify(exc)[1]}") from exc


def _account_of(role_arn: str) -> str:
    parts = role_arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[5].startswith("role/"):
        raise InputError(
            f"--role-arn {role_arn}: not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
        )
    if not (parts[4].isdigit() and len(parts[4]) == 12):
        raise InputError(f"--role-arn {role_arn}: account id must be 12 digits")
    return parts[4]


def _partition_of(arn: str) -> str:
    return arn.split(":")[1]


class _AssumedRoleProvider(CredentialProvider):  # type: ignore[misc]
    """Credentials for one role that refresh themselves before they expire."""

    METHOD = "opa-comply-assume-role"

    def __init__(self, fetch: Callable[[], dict[str, Any]]) -> None:
        self._fetch = fetch
        self._credentials: RefreshableCredentials | None = None

    def load(self) -> RefreshableCredentials:
        if self._credentials is None:
            self._credentials = RefreshableCredentials.create_from_metadata(
                metadata=self._fetch(), refresh_using=self._fetch, method=self.METHOD
            )
        return self._credentials


def _assumed_session(
    base: boto3.Session,
    role_arn: str,
    region: str,
    options: AwsOptions,
    observer: CallObserver | None,
) -> boto3.Session:
    sts = base.client(
        "sts", region_name=region, endpoint_url=options.endpoint_url, config=client_config(options)
    )
    request: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": SESSION_NAME}
    if options.external_id:
        request["ExternalId"] = options.external_id

    def fetch() -> dict[str, Any]:
        credentials = sts.assume_role(**request)["Credentials"]
        return {
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"],
            "expiry_time": credentials["Expiration"].isoformat(),
        }

    provider = _AssumedRoleProvider(fetch)
    provider.load()  # assume now, so a refused role is reported before collection starts
    core = botocore.session.Session()
    core.register_component("credential_provider", CredentialResolver(providers=[provider]))
    session = boto3.Session(botocore_session=core, region_name=region)
    _observe(session, observer)
    return session


def _observe(session: boto3.Session, observer: CallObserver | None) -> None:
    if observer is None:
        return

    def before_call(model: Any, **_: Any) -> None:
        observer(str(model.service_model.signing_name), str(model.name))

    session.events.register("before-call", before_call)
