"""Finding the OPA binary: OPA_BINARY, then the project-local build, then PATH.

The version `opa version` prints is cached (running it costs about 40 ms of every scan's
start) in $XDG_CACHE_HOME/opa-comply/opa-version.json, i.e. ~/.cache/opa-comply: a
disposable per-user file, not scan history, so the cache directory rather than the state
directory. An entry holds only for the same resolved path, size and modification time;
a replaced or rebuilt binary is probed again. The minimum version is checked every time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
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
    """The version ``opa version`` prints (cached by path, size and mtime), checked
    against the minimum."""
    key = _cache_key(binary)
    version = _cached_version(key) if key is not None else None
    if version is None:
        version = _probe_version(binary)
        if key is not None:
            _remember_version(key, version)
    parts = tuple(int(p) for p in version.split("."))
    if parts < MINIMUM_OPA_VERSION:
        minimum = ".".join(str(p) for p in MINIMUM_OPA_VERSION)
        raise EngineError(f"{binary}: OPA {version} is older than {minimum}; {_INSTALL_HINT}")
    return version


def _probe_version(binary: Path) -> str:
    try:
        completed = subprocess.run(
            [str(binary), "version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise EngineError(f"{binary}: cannot run `opa version`: {exc}") from exc
    match = re.search(r"^Version:\s*v?(\d+)\.(\d+)\.(\d+)", completed.stdout, re.MULTILINE)
    if not match:
        raise EngineError(f"{binary}: `opa version` printed no version")
    return ".".join(match.groups())


def version_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "opa-comply" / "opa-version.json"


_VERSION_FORMAT = re.compile(r"\d+\.\d+\.\d+")


def _cache_key(binary: Path) -> str | None:
    """The binary as the cache knows it: resolved path, size, mtime (None: no cache)."""
    try:
        resolved = binary.resolve()
        stat = resolved.stat()
    except (OSError, RuntimeError):
        return None
    return f"{resolved}\0{stat.st_size}\0{stat.st_mtime_ns}"


def _read_cache() -> dict[str, str]:
    """The cache's entries; an unreadable or malformed cache is an empty one."""
    try:
        entries = json.loads(version_cache_path().read_text(encoding="utf-8"))
    except (OSError, RuntimeError, ValueError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {
        key: value
        for key, value in entries.items()
        if isinstance(key, str) and isinstance(value, str) and _VERSION_FORMAT.fullmatch(value)
    }


def _cached_version(key: str) -> str | None:
    return _read_cache().get(key)


def _remember_version(key: str, version: str) -> None:
    """Best effort: a cache that cannot be written only costs the probe next time."""
    try:
        path = version_cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        entries = _read_cache()
        entries[key] = version
        # A few binaries at most; keep the newest entries if a machine has many.
        kept = dict(list(entries.items())[-16:])
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".opa-version.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(kept, handle)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (OSError, RuntimeError):
        return
