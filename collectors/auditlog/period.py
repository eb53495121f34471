"""The reporting period an audit-log summary covers: UTC, start inclusive, end exclusive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC. Naive datetimes are refused: a log's time zone must be known."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"period {name} {value.isoformat()} has no time zone")
        if self.end <= self.start:
            raise ValueError(
                f"period end {self.end.isoformat()} is not after its start {self.start.isoformat()}"
            )

    def contains(self, t: datetime) -> bool:
        """Whether ``t`` (time-zone aware) falls in [start, end)."""
        return self.start <= t < self.end

    @staticmethod
    def rfc3339(t: datetime) -> str:
        """``t`` in UTC as an RFC 3339 string ending in Z (seconds, or microseconds if any)."""
        utc = t.astimezone(UTC)
        spec = "microseconds" if utc.microsecond else "seconds"
        return utc.isoformat(timespec=spec).replace("+00:00", "Z")
