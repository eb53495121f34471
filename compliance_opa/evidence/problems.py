"""What verification found: one line per problem, naming the exact record or file."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MODIFIED = "modified"  # contents differ from what was hashed or stored
    REMOVED = "removed"  # a record or artifact is gone
    REORDERED = "reordered"  # a record sits in a file named for another
    INSERTED = "inserted"  # a record that the chain or the signatures do not vouch for
    SIGNATURE = "signature"  # unsigned, or the signature does not verify
    UNREADABLE = "unreadable"  # truncated, not JSON, not a record
    UNEXPECTED = "unexpected"  # a file no record accounts for
    UNLOCKED = "unlocked"  # an S3 object without COMPLIANCE Object Lock
    EMPTY = "empty"  # no records at all


@dataclass(frozen=True)
class Problem:
    kind: Kind
    line: str  # one line, e.g. "record 5 (records/000005.json): ... (modified)"

    def __str__(self) -> str:
        return self.line
