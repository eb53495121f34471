"""Finding the OPA binary: OPA_BINARY, then the project-local build, then PATH."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from compliance_opa.errors import EngineError
from compliance_opa.support.bundled import project_root

PINNED_OPA_VERSION = "1.22.2"
# v1.21.3 fixed a bundle-signature verification bypass; nothing older is accepted.
MINIMUM_OPA_VERSION = (1, 21, 3)

_INSTALL_HINT = (
    f"run `make setup` (go install github.com/open-policy-agent/opa@v{PINNED_OPA_VERSION}"
    " into .tools/bin), put opa on PATH, or set OPA_BINARY"
)


def find_opa_binary() -> Path:
    configured = os.environ.get("OPA_BINARY")
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise EngineError(f"OPA_BINARY={configured}: not an executable file")
        return path
    local = project_root() / ".tools" / "bin" / "opa"
    if local.is_file() and os.access(local, os.X_OK):
        return local
    on_path = shutil.which("opa")
    if on_path:
        return Path(on_path)
    raise EngineError(f"OPA binary not found: {_INSTALL_HINT}")


def binary_version(binary: Path) -> str:
    """The version ``opa version`` prints, checked against the minimum."""
    try:
        completed = subprocess.run(
            [str(binary), "version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"{binary}: cannot run `opa version`: {exc}") from exc
    match = re.search(r"^Version:\s*v?(\d+)\.(\d+)\.(\d+)", completed.stdout, re.MULTILINE)
    if not match:
        raise EngineError(f"{binary}: `opa version` printed no version")
    parts = tuple(int(p) for p in match.groups())
    version = ".".join(match.groups())
    if parts < MINIMUM_OPA_VERSION:
        minimum = ".".join(str(p) for p in MINIMUM_OPA_VERSION)
        raise EngineError(f"{binary}: OPA {version} is older than {minimum}; {_INSTALL_HINT}")
    return version
