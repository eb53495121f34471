"""Read a small text file the user names (a config, a baseline report): one place for the
size limit and for turning file errors into one-line input errors."""

from __future__ import annotations

from pathlib import Path

from compliance_opa.errors import InputError


def read_text_file(path: Path, max_bytes: int, kind: str, encoding: str = "utf-8") -> str:
    try:
        if path.stat().st_size > max_bytes:
            raise InputError(f"{path}: {kind} larger than {max_bytes // (1024 * 1024)} MiB")
        return path.read_text(encoding=encoding)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read {kind}: {exc}") from exc
