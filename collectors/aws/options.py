"""What to collect and how: the options `collect aws`, `scan --collect aws` and config share."""

from __future__ import annotations

from dataclasses import dataclass, field

RETRY_MODES = ("standard", "adaptive")


@dataclass(frozen=True)
class TagKeys:
    """Tag keys read into the inventory model; the first key present wins."""

    data_classes: tuple[str, ...] = ("DataClassification", "data_classification", "DataClass")
    owner: tuple[str, ...] = ("Owner", "owner", "Team", "team")
    environment: tuple[str, ...] = ("Environment", "environment", "Env", "env")
    model_family: tuple[str, ...] = ("ModelFamily", "model_family")
    adversarial_testing_date: tuple[str, ...] = ("AdversarialTestingDate",)
    adversarial_testing_report: tuple[str, ...] = ("AdversarialTestingReport",)


@dataclass(frozen=True)
class AwsOptions:
    profile: str | None = None
    regions: tuple[str, ...] = ()  # empty: the profile's region, unless all_regions
    all_regions: bool = False
    role_arns: tuple[str, ...] = ()  # empty: the caller's own account
    external_id: str | None = None
    endpoint_url: str | None = None  # one endpoint for every service (tests, proxies)
    services: tuple[str, ...] = ()  # empty: every service
    retry_mode: str = "standard"
    max_attempts: int = 5  # total attempts per call, first one included
    max_workers: int = 8
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    tag_keys: TagKeys = field(default_factory=TagKeys)
