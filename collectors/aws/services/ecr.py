"""ECR: repositories (encryption, tag mutability, scan on push) and, where a repository
has one, its repository policy as an aws_ecr_repository_policy (as in Terraform)."""

from __future__ import annotations

import json
from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    ecr = c.client("ecr")
    for repository in c.pages(ecr, "describe_repositories", "repositories"):
        c.each(f"repository {repository['repositoryName']}", _repository, c, ecr, repository)


def _repository(c: Collection, ecr: Any, repository: dict[str, Any]) -> None:
    name, arn = repository["repositoryName"], repository["repositoryArn"]
    what = f"repository {name}"
    encryption = repository.get("encryptionConfiguration")
    scanning = repository.get("imageScanningConfiguration")
    attributes: dict[str, Any] = {
        "name": name,
        "image_tag_mutability": repository.get("imageTagMutability", "MUTABLE"),
        "encryption_configuration": {
            "encryption_type": encryption.get("encryptionType"),
            "kms_key": encryption.get("kmsKey"),
        }
        if encryption
        else None,
        "image_scanning_configuration": {"scan_on_push": bool(scanning.get("scanOnPush"))}
        if scanning
        else None,
    }
    tags: dict[str, Any] = {}
    c.item(what, tags, "tags", _tags, ecr, arn)
    c.add("aws_ecr_repository", arn, name, attributes, tags.get("tags", {}))
    policy: dict[str, Any] = {"repository": name}
    c.item(what, policy, "policy", _policy, c, ecr, name)
    if "policy" in policy and policy["policy"] is None:
        return  # no repository policy: nothing to judge
    # Read, or unreadable (left out: the public-policy check says indeterminate).
    c.add("aws_ecr_repository_policy", f"{arn}/policy", name, policy)


def _tags(ecr: Any, arn: str) -> dict[str, str]:
    return tag_map(ecr.list_tags_for_resource(resourceArn=arn).get("tags"))


def _policy(c: Collection, ecr: Any, name: str) -> dict[str, Any] | None:
    answer = c.optional(
        ecr.get_repository_policy, {"RepositoryPolicyNotFoundException"}, repositoryName=name
    )
    if answer is None:
        return None
    document: dict[str, Any] = json.loads(answer["policyText"])
    return document


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "ecr:DescribeRepositories",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
)

SERVICE = Service("ecr", collect, actions=ACTIONS)
