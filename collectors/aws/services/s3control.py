"""The S3 account-level public access block (one per account; none set means all off)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from collectors.aws.services.base import Collection, Service

FLAGS = {
    "BlockPublicAcls": "block_public_acls",
    "BlockPublicPolicy": "block_public_policy",
    "IgnorePublicAcls": "ignore_public_acls",
    "RestrictPublicBuckets": "restrict_public_buckets",
}


def collect(c: Collection) -> None:
    s3control = _client(c)
    answer = c.optional(
        s3control.get_public_access_block,
        {"NoSuchPublicAccessBlockConfiguration"},
        AccountId=c.account_id,
    )
    block = (answer or {}).get("PublicAccessBlockConfiguration", {})
    attributes: dict[str, Any] = {"account_id": c.account_id}
    attributes |= {name: bool(block.get(key, False)) for key, name in FLAGS.items()}
    address = f"arn:{c.partition}:s3::{c.account_id}:account-public-access-block"
    c.add("aws_s3_account_public_access_block", address, c.account_id, attributes)


def _client(c: Collection) -> Any:
    client = c.client("s3control")
    if c.account.options.endpoint_url:
        # S3 Control puts the account id in front of the host, even of a custom endpoint;
        # one host (a proxy, an emulator) answers for every account there.
        client.meta.events.register(
            "before-sign.s3-control", _no_account_host, unique_id="opa-comply-s3control-host"
        )
    return client


def _no_account_host(request: Any, **_: Any) -> None:
    parts = urlsplit(request.url)
    account, _, host = parts.netloc.partition(".")
    if account.isdigit() and len(account) == 12 and host:
        request.url = urlunsplit(parts._replace(netloc=host))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "s3:GetAccountPublicAccessBlock",
)

SERVICE = Service("s3control", collect, actions=ACTIONS, is_global=True)
