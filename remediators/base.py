"""What every fixer shares: the change it proposes and the three steps it can take.

A fixer owns one setting of one resource type, the one its check judges. It reads the
setting's live value, says what the value should be, and writes a value: applying a fix
writes the proposed value, rolling it back writes the value read before. Nothing here
decides whether a fix may run (the approval policy does) or verifies it (the app
collects the resource again and asks OPA).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol

Platform = Literal["aws", "postgres"]

# How far a change reaches, for the approval policy: this resource only, every resource
# of an account or region (account-wide settings), or every object of a database.
Impact = Literal["resource", "account", "database"]


@dataclass(frozen=True)
class Change:
    """A proposed fix, as shown to whoever approves it."""

    summary: str  # one line: what the fix does, naming the resource
    setting: str  # the setting written, as the API or SQL names it
    current: Any  # its live value now (JSON); None when the setting is absent
    proposed: Any  # the value the fix writes (JSON)
    blast_radius: tuple[str, ...]  # what else the change touches, one line each
    impact: Impact = "resource"


class AwsClients(Protocol):
    """boto3 clients built from the remediation credentials (never the collector's)."""

    def client(self, service: str, region: str) -> Any: ...


class Fixer(ABC):
    """The fix of one check. Subclasses set the class variables and the four methods.

    ``resource`` is the inventory resource as the collector wrote it (address, type,
    account, region, name, tags, attributes). ``target`` is an ``AwsClients`` for AWS
    fixers and an open psycopg2 connection to the resource's database for PostgreSQL
    fixers (the caller commits or rolls back).
    """

    check_id: ClassVar[str]
    platform: ClassVar[Platform]
    resource_types: ClassVar[tuple[str, ...]]
    # AWS: the collector service that collects the resource again for verification.
    service: ClassVar[str] = ""
    # AWS: the IAM actions read() and write() call (remediators/aws/iam-policy.json is
    # their union). PostgreSQL: the privileges the remediation role needs, in words.
    actions: ClassVar[tuple[str, ...]]

    @abstractmethod
    def read(self, target: Any, resource: dict[str, Any]) -> Any:
        """The setting's live value (JSON), None when absent."""

    @abstractmethod
    def desired(self, resource: dict[str, Any], current: Any) -> Any:
        """The value that makes the check pass, derived from the current one."""

    @abstractmethod
    def write(self, target: Any, resource: dict[str, Any], value: Any) -> None:
        """Set the setting to ``value`` (None: remove it), as read() would return it."""

    @abstractmethod
    def describe(self, resource: dict[str, Any], current: Any, proposed: Any) -> Change:
        """The change for whoever approves it, with its blast radius."""

    def affected(self, target: Any, resource: dict[str, Any]) -> tuple[str, ...]:
        """Blast-radius lines only the live target can tell (which roles lose access),
        added to describe()'s at plan time. None by default."""
        return ()

    def restored(self, before: Any, now: Any) -> bool:
        """Whether ``now`` (read after a rollback) is the before-state again. A setting
        that cannot return to "never set" (S3 versioning goes back to Suspended) says
        what counts as the same."""
        return bool(before == now)
