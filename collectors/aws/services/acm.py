"""ACM certificates of every key type (the listing shows only RSA 2048 keys unless asked)."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service

KEY_TYPES = (
    "RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1",
    "EC_secp521r1",
)  # fmt: skip


def collect(c: Collection) -> None:
    acm = c.client("acm")
    listing = c.pages(
        acm,
        "list_certificates",
        "CertificateSummaryList",
        Includes={"keyTypes": list(KEY_TYPES)},
    )
    for summary in listing:
        c.each(f"certificate {summary['CertificateArn']}", _certificate, c, acm, summary)


def _certificate(c: Collection, acm: Any, summary: dict[str, Any]) -> None:
    arn = summary["CertificateArn"]
    found = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    algorithm = found.get("KeyAlgorithm")
    preference = (found.get("Options") or {}).get("CertificateTransparencyLoggingPreference")
    attributes = {
        "domain_name": found.get("DomainName"),
        "arn": arn,
        "subject_alternative_names": list(found.get("SubjectAlternativeNames") or []),
        # The API writes RSA-2048 and EC-prime256v1; Terraform (and the checks) RSA_2048.
        "key_algorithm": algorithm.replace("-", "_") if algorithm else None,
        "options": {"certificate_transparency_logging_preference": preference},
    }
    tags: dict[str, Any] = {}
    c.item(f"certificate {arn}", tags, "tags", _tags, acm, arn)
    name = str(found.get("DomainName") or arn.rsplit("/", 1)[-1])
    c.add("aws_acm_certificate", arn, name, attributes, tags.get("tags", {}))


def _tags(acm: Any, arn: str) -> dict[str, str]:
    return tag_map(acm.list_tags_for_certificate(CertificateArn=arn).get("Tags"))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "acm:DescribeCertificate",
    "acm:ListCertificates",
    "acm:ListTagsForCertificate",
)

SERVICE = Service("acm", collect, actions=ACTIONS)
