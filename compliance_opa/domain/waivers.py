"""Expiring waivers: accepted risks that turn matching failures into `waived` findings.

```yaml
waivers:
  - check: AWS-RDS-001                                   # check id or glob
    resource: "arn:aws:rds:eu-west-1:123456789012:db:legacy-*"   # address glob
    reason: Legacy instance, migration to encrypted storage planned in Q1
    owner: payments-team
    approver: jane.doe@example.com
    ticket: SEC-1234
    expires: 2026-12-31                                  # in force through this day
    created: 2026-10-01                                  # optional
```

The values and their matching rule; the file is read by config/waivers_file.py and
applied to a scan's results by apply_waivers.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any


@dataclass(frozen=True)
class WaiverPolicy:
    max_days: int = 90  # longest a waiver may run, from its creation and from today
    warn_days: int = 14  # waivers expiring within this many days are "expiring"
    # A waiver with a wildcard that waives more than this share of a scan's failing and
    # indeterminate findings is broad: it must say `broad: true`, and is warned on.
    broad_share: float = 0.2

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> WaiverPolicy:
        """From a config `waivers:` section already valid against WAIVER_POLICY_SCHEMA."""
        defaults = cls()
        return cls(
            max_days=int(section.get("max_days", defaults.max_days)),
            warn_days=int(section.get("warn_days", defaults.warn_days)),
            broad_share=float(section.get("broad_share", defaults.broad_share)),
        )


@dataclass(frozen=True)
class Waiver:
    check: str  # check id glob
    resource: str  # resource address glob
    reason: str
    owner: str
    approver: str
    ticket: str
    expires: date  # last day in force
    created: date | None
    index: int  # position in the file's `waivers` list, from 0
    source: str  # the file it was read from
    broad: bool = False  # declared broad: may waive much, and is warned on every run

    @property
    def id(self) -> str:
        """Where it is, in the form the load errors use: `waivers.yaml:waivers[2]`."""
        return f"{self.source}:waivers[{self.index}]"

    def matches(self, check_id: str, resource: str) -> bool:
        return _glob(self.check).fullmatch(check_id) is not None and (
            _glob(self.resource).fullmatch(resource) is not None
        )

    @property
    def wildcard(self) -> bool:
        return any(c in pattern for pattern in (self.check, self.resource) for c in "*?")

    @property
    def blanket(self) -> bool:
        """Every check on every resource: `*` for both."""
        return set(self.check) == {"*"} and set(self.resource) == {"*"}

    def in_force(self, today: date) -> bool:
        return self.expires >= today

    def expiring(self, today: date, warn_days: int) -> bool:
        return self.in_force(today) and (self.expires - today).days <= warn_days


@dataclass(frozen=True)
class WaiverOutcome:
    """What the waivers did to one scan; every tuple in file order."""

    in_force: tuple[Waiver, ...]
    expired: tuple[Waiver, ...]  # waive nothing: their findings keep their status
    expiring: tuple[Waiver, ...]  # in force, expiring within warn_days
    stale: tuple[Waiver, ...]  # in force, waived no finding of this scan
    applied: dict[str, int]  # waiver id -> findings it waived, for every waiver in force
    # In force and broad (declared, or waiving more than the policy's share), with the
    # number of failing and indeterminate findings the scan had before waiving.
    broad: tuple[Waiver, ...] = ()
    candidates: int = 0

    @property
    def waived(self) -> int:
        return sum(self.applied.values())

    @property
    def undeclared_broad(self) -> tuple[Waiver, ...]:
        """Broad by what they waived, without saying `broad: true`: refused."""
        return tuple(w for w in self.broad if not w.broad)


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """Only `*` and `?` are wildcards: unlike fnmatch, `[` stays literal, because
    Terraform addresses are full of them (`aws_s3_bucket.logs[0]`, `module.x["a"]`)."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


# ---------------------------------------------------------------------------- loading


# --------------------------------------------------------------------------- applying
