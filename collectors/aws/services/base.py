"""What every service collector gets: clients, pagination, per-item failures, a resource builder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from collectors.aws import model
from collectors.aws.accounts import Account
from collectors.aws.failures import classify, error_code

GLOBAL = "global"  # the region label of account-wide services (IAM, S3 listing)


@dataclass
class Collection:
    """One account/service/region being collected."""

    account: Account
    region: str
    regions: tuple[str, ...]  # every region of this run (S3 keeps buckets in them)
    collected_at: datetime
    resources: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # per-item failures: status partial

    @property
    def partition(self) -> str:
        return self.account.partition

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def client_region(self) -> str:
        """Where this collection's calls go: its region, or the home region if account-wide."""
        return self.account.home_region if self.region == GLOBAL else self.region

    def client(self, service: str, region: str | None = None) -> Any:
        return self.account.client(service, region or self.client_region)

    def pages(self, client: Any, operation: str, key: str, **params: Any) -> Iterator[Any]:
        """Every item of a listing, through botocore's paginator when the API has one."""
        if client.can_paginate(operation):
            for page in client.get_paginator(operation).paginate(**params):
                yield from page.get(key, [])
            return
        token: dict[str, str] = {}
        while True:  # no paginator in botocore, but the API may still page with NextToken
            page = getattr(client, operation)(**params, **token)
            yield from page.get(key, [])
            if not page.get("NextToken"):
                return
            token = {"NextToken": page["NextToken"]}

    def optional(self, call: Callable[..., Any], missing: set[str], **params: Any) -> Any:
        """A call whose "not configured" error codes mean None, not a failure."""
        try:
            return call(**params)
        except ClientError as exc:
            if error_code(exc) in missing:
                return None
            raise

    def item(
        self,
        what: str,
        attributes: dict[str, Any],
        name: str,
        read: Callable[..., Any],
        *args: Any,
    ) -> None:
        """Set one attribute; a failure leaves it out (checks say indeterminate) and is recorded."""
        try:
            attributes[name] = read(*args)
        except (ClientError, BotoCoreError, ResponseParserError) as exc:
            attributes.pop(name, None)
            self.problems.append(f"{classify(exc)[1]} for {what}")

    def each(self, what: str, collect: Callable[..., None], *args: Any) -> None:
        """Collect one listed item; if it fails, record it and go on with the next."""
        try:
            collect(*args)
        except (ClientError, BotoCoreError, ResponseParserError) as exc:
            self.problems.append(f"{classify(exc)[1]} for {what}")

    def add(
        self,
        resource_type: str,
        address: str,
        name: str,
        attributes: dict[str, Any],
        tags: dict[str, str] | None = None,
        region: str | None = None,
    ) -> None:
        self.resources.append(
            model.resource(
                resource_type=resource_type,
                address=address,
                account=self.account_id,
                region=region or (None if self.region == GLOBAL else self.region),
                name=name,
                tags=tags or {},
                attributes=attributes,
                keys=self.account.options.tag_keys,
            )
        )

    def arn(self, service: str, resource: str, region: str | None = None) -> str:
        where = "" if region == "" else (region or self.region)
        return f"arn:{self.partition}:{service}:{where}:{self.account_id}:{resource}"


@dataclass(frozen=True)
class Service:
    name: str
    collect: Callable[[Collection], None]
    is_global: bool = False  # one collection per account instead of per region
    actions: tuple[str, ...] = ()  # IAM actions its calls need; iam-policy.json is their union
