"""IAM Access Analyzer: the active external-access analyzers of each account and region;
where there is none, one analyzer with enabled = false, so the gap is a finding."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

# Analyzer types that report access from outside the account or organization
# (the unused-access types do not).
EXTERNAL_ACCESS = {"ACCOUNT", "ORGANIZATION"}


def collect(c: Collection) -> None:
    analyzers = c.client("accessanalyzer")
    active = [
        analyzer
        for analyzer in c.pages(analyzers, "list_analyzers", "analyzers")
        if analyzer.get("type") in EXTERNAL_ACCESS and analyzer.get("status") == "ACTIVE"
    ]
    for analyzer in active:
        _analyzer(c, analyzer)
    if not active:
        attributes = {"analyzer_name": "", "type": "ACCOUNT", "enabled": False}
        c.add(
            "aws_accessanalyzer_analyzer", c.arn("access-analyzer", "analyzer"), "none", attributes
        )


def _analyzer(c: Collection, analyzer: dict[str, Any]) -> None:
    name = analyzer["name"]
    attributes = {"analyzer_name": name, "type": analyzer["type"], "enabled": True}
    address = analyzer.get("arn") or c.arn("access-analyzer", f"analyzer/{name}")
    c.add("aws_accessanalyzer_analyzer", address, name, attributes, tag_map(analyzer.get("tags")))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "access-analyzer:ListAnalyzers",
)

SERVICE = Service("accessanalyzer", collect, actions=ACTIONS)
