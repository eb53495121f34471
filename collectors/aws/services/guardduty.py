"""GuardDuty: one detector per account and region; where there is none, a detector with
enable = false, so a region without GuardDuty is a finding, not silence."""

from __future__ import annotations

from typing import Any

from collectors.aws.model import tag_map
from collectors.aws.services.base import Collection, Service


def collect(c: Collection) -> None:
    guardduty = c.client("guardduty")
    detectors = list(c.pages(guardduty, "list_detectors", "DetectorIds"))
    for detector_id in detectors:
        c.each(f"detector {detector_id}", _detector, c, guardduty, detector_id)
    if not detectors:
        attributes: dict[str, Any] = {
            "enable": False,
            "finding_publishing_frequency": None,
            "features": [],
        }
        c.add("aws_guardduty_detector", c.arn("guardduty", "detector"), "none", attributes)


def _detector(c: Collection, guardduty: Any, detector_id: str) -> None:
    detector = guardduty.get_detector(DetectorId=detector_id)
    attributes: dict[str, Any] = {
        "enable": detector.get("Status") == "ENABLED",
        "finding_publishing_frequency": detector.get("FindingPublishingFrequency"),
        "features": [
            {"name": feature.get("Name"), "status": feature.get("Status")}
            for feature in detector.get("Features", [])
        ],
    }
    address = c.arn("guardduty", f"detector/{detector_id}")
    c.add("aws_guardduty_detector", address, detector_id, attributes, tag_map(detector.get("Tags")))


ACTIONS = (  # the IAM actions this service's calls need (collectors/aws/iam-policy.json)
    "guardduty:GetDetector",
    "guardduty:ListDetectors",
)

SERVICE = Service("guardduty", collect, actions=ACTIONS)
