"""Finding identity: when two findings are "the same finding", in one place.

A finding is one check's verdict on one resource, so its key is (check id, resource
address). Everything that follows a finding from scan to scan starts from that key:

- drift and alert episodes match findings by key; status and message are what may change;
- SARIF's partial fingerprint is a hash of the key, so code scanning follows one alert
  through status changes;
- an alert episode's dedup key adds the scope: one estate's episode is not another's;
- a baseline fingerprint adds the status: a baseline lists findings as they were, and a
  failure that turned indeterminate is another entry (it neither gates nor counts as fixed).

Hashes are of what a finding is about, never of its position or wording, so they are
stable across runs, reorderings of the input and rewordings of a message.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from compliance_opa.domain.findings import Finding


class FindingKey(NamedTuple):
    check_id: str
    resource: str


def key_of(finding: Finding) -> FindingKey:
    return FindingKey(finding.check.check_id, finding.resource)


def fingerprint(check_id: str, resource: str, status: str) -> str:
    """A baseline entry's fingerprint (JSON, CSV and OSCAL reports carry it)."""
    return hashlib.sha256(f"{check_id}\x1f{resource}\x1f{status}".encode()).hexdigest()[:20]


def finding_fingerprint(finding: Finding) -> str:
    return fingerprint(finding.check.check_id, finding.resource, finding.status.value)


def sarif_fingerprint(finding: Finding) -> str:
    """SARIF's partial fingerprint: the key alone, stable across status changes."""
    key = f"{finding.check.check_id}\x00{finding.resource}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def dedup_key(scope: str, check_id: str, resource: str) -> str:
    """An alert episode's key, the same one the receivers (PagerDuty, webhooks) see."""
    digest = hashlib.sha256(f"{scope}\x1f{check_id}\x1f{resource}".encode()).hexdigest()
    return f"opa-comply-{digest[:32]}"
