"""Transfer Family servers: protocols, endpoint type and security policy."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    transfer = c.client("transfer")
    for listed in c.pages(transfer, "list_servers", "Servers"):
        c.each(f"server {listed['ServerId']}", _server, c, transfer, listed["ServerId"])


def _server(c: Collection, transfer: Any, server_id: str) -> None:
    server = transfer.describe_server(ServerId=server_id)["Server"]
    attributes: dict[str, Any] = {
        # Unset, the server has the oldest policy (the checks read null so).
        "security_policy_name": server.get("SecurityPolicyName"),
        "identity_provider_type": server.get("IdentityProviderType"),
        "logging_role": server.get("LoggingRole"),
    }
    # AWS always answers these; left out when absent, so the checks say indeterminate.
    if "EndpointType" in server:
        attributes["endpoint_type"] = server["EndpointType"]
    if "Protocols" in server:
        attributes["protocols"] = list(server["Protocols"])
    tags = tag_map(server.get("Tags"))
    address = server.get("Arn") or c.arn("transfer", f"server/{server_id}")
    c.add("aws_transfer_server", address, tags.get("Name") or server_id, attributes, tags)


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "transfer:DescribeServer",
    "transfer:ListServers",
)

SERVICE = Service("transfer", collect, actions=ACTIONS)
