"""The Evaluator protocol: what the services need of an OPA, whatever reaches it.

OpaClient (HTTP over TCP or a unix socket, to the managed sidecar or a remote OPA) is the
one implementation; the services and the request builder depend on this protocol only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

# The entrypoint that aggregates every check (policies/scan.rego).
REPORT_PATH = "scan/report"


@dataclass(frozen=True)
class Evaluation:
    result: Any
    opa_version: str


class Evaluator(Protocol):
    @property
    def display_url(self) -> str:
        """Where the OPA is, without credentials (reports name it)."""

    def evaluate(self, document: dict[str, Any], path: str = REPORT_PATH) -> Evaluation:
        """One query on an input document; an error, never "no findings", on failure."""

    def evaluate_body(self, body: bytes, path: str = REPORT_PATH) -> Evaluation:
        """The same for a request body already serialised (`{"input": ...}`)."""

    def policy_digest(self) -> str:
        """A digest of every policy module loaded."""


@runtime_checkable
class Cancellable(Protocol):
    def cancel(self) -> None:
        """Abort every request in flight, from any thread, and refuse new ones."""


@runtime_checkable
class KnownDigest(Protocol):
    def known_digest(self) -> str | None:
        """The policy digest when already known (asked before), without asking OPA."""
