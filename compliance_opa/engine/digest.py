"""The policy digest: sha256 over the policy modules' source texts, whatever their ids.

OPA answers it through `GET /v1/policies` (client.policy_digest), but that answer carries
every module's syntax tree too (megabytes for our ~250 modules, most of a small scan's
time). The managed sidecar loads a folder we hold, so its digest is computed from the
same files while OPA starts; a test keeps the two equal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def combined(module_texts: Iterable[str]) -> str:
    """sha256 over the sorted sha256 of each module's text."""
    module_digests = sorted(
        hashlib.sha256(text.encode("utf-8")).hexdigest() for text in module_texts
    )
    return "sha256:" + hashlib.sha256("\n".join(module_digests).encode("ascii")).hexdigest()


def folder_digest(policies: Path) -> str | None:
    """The digest of the .rego modules OPA loads from ``policies``; None when a file
    cannot be read as UTF-8 text (then OPA's own answer is asked for)."""
    try:
        return combined(
            path.read_text(encoding="utf-8")
            for path in sorted(policies.rglob("*.rego"))
            if path.is_file()
        )
    except (OSError, UnicodeDecodeError):
        return None
