"""CloudFront distributions (account-wide), read from each distribution's configuration."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    cloudfront = c.client("cloudfront")
    # The listing's items sit one level down (DistributionList.Items): botocore's paginator
    # follows NextMarker, and each page is read here.
    for page in cloudfront.get_paginator("list_distributions").paginate():
        for summary in page.get("DistributionList", {}).get("Items") or []:
            c.each(f"distribution {summary['Id']}", _distribution, c, cloudfront, summary)


def _distribution(c: Collection, cloudfront: Any, summary: dict[str, Any]) -> None:
    ident, arn = summary["Id"], summary["ARN"]
    config = cloudfront.get_distribution_config(Id=ident)["DistributionConfig"]
    logging = config.get("Logging") or {}
    certificate = config.get("ViewerCertificate") or {}
    attributes = {
        "arn": arn,
        "domain_name": summary.get("DomainName"),
        "enabled": bool(config.get("Enabled", False)),
        "web_acl_id": config.get("WebACLId") or None,
        "default_cache_behavior": _behavior(config.get("DefaultCacheBehavior") or {}),
        "ordered_cache_behavior": [_behavior(b) for b in _items(config.get("CacheBehaviors"))],
        "origin": [_origin(o) for o in _items(config.get("Origins"))],
        "viewer_certificate": {
            "cloudfront_default_certificate": bool(
                certificate.get("CloudFrontDefaultCertificate", False)
            ),
            "acm_certificate_arn": certificate.get("ACMCertificateArn") or None,
            "iam_certificate_id": certificate.get("IAMCertificateId") or None,
            "minimum_protocol_version": certificate.get("MinimumProtocolVersion"),
            "ssl_support_method": certificate.get("SSLSupportMethod"),
        },
        "logging_config": None
        if not logging.get("Enabled")
        else {
            "bucket": logging.get("Bucket") or None,
            "include_cookies": bool(logging.get("IncludeCookies", False)),
            "prefix": logging.get("Prefix") or None,
        },
    }
    tags: dict[str, Any] = {}
    c.item(f"distribution {ident}", tags, "tags", _tags, cloudfront, arn)
    c.add("aws_cloudfront_distribution", arn, ident, attributes, tags.get("tags", {}))


def _items(listing: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((listing or {}).get("Items") or [])


def _behavior(behavior: dict[str, Any]) -> dict[str, Any]:
    found = {
        "target_origin_id": behavior.get("TargetOriginId"),
        "viewer_protocol_policy": behavior.get("ViewerProtocolPolicy"),
    }
    if "PathPattern" in behavior:
        found = {"path_pattern": behavior["PathPattern"], **found}
    return found


def _origin(origin: dict[str, Any]) -> dict[str, Any]:
    custom = origin.get("CustomOriginConfig")
    s3 = origin.get("S3OriginConfig")
    return {
        "origin_id": origin.get("Id"),
        "domain_name": origin.get("DomainName"),
        "custom_origin_config": None
        if not custom
        else {
            "origin_protocol_policy": custom.get("OriginProtocolPolicy"),
            "origin_ssl_protocols": [
                str(p) for p in (custom.get("OriginSslProtocols") or {}).get("Items") or []
            ],
        },
        "s3_origin_config": None
        if s3 is None
        else {"origin_access_identity": s3.get("OriginAccessIdentity") or ""},
        "origin_access_control_id": origin.get("OriginAccessControlId") or None,
    }


def _tags(cloudfront: Any, arn: str) -> dict[str, str]:
    return tag_map(cloudfront.list_tags_for_resource(Resource=arn).get("Tags", {}).get("Items"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "cloudfront:GetDistributionConfig",
    "cloudfront:ListDistributions",
    "cloudfront:ListTagsForResource",
)

SERVICE = Service("cloudfront", collect, is_global=True, actions=ACTIONS)
