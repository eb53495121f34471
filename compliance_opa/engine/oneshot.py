"""One query on a one-off `opa eval`, for small policies kept apart from the checks
(the remediation approval policy): no sidecar, the input on stdin, the answer as JSON."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from compliance_opa.errors import EngineError, InputError

MAX_ANSWER_BYTES = 16 * 1024 * 1024


def evaluate_once(
    binary: Path, modules: Sequence[Path], query: str, document: Any, timeout: float = 60.0
) -> Any:
    """The value of ``query`` over ``modules`` with ``document`` as input; None when the
    query is undefined. A module OPA cannot compile is bad input naming it (exit 2)."""
    command = [str(binary), "eval", "--format", "json", "--stdin-input", "--strict-builtin-errors"]
    for module in modules:
        command += ["--data", str(module)]
    command.append(query)
    try:
        done = subprocess.run(
            command,
            input=json.dumps(document).encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
            env={},  # OPA needs nothing from ours, and secrets stay out of it
        )
    except subprocess.TimeoutExpired as exc:
        raise EngineError(f"opa eval: no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise EngineError(f"{binary}: cannot run `opa eval`: {exc.strerror or exc}") from exc
    if len(done.stdout) > MAX_ANSWER_BYTES:
        raise EngineError(f"opa eval: answer larger than {MAX_ANSWER_BYTES} bytes")
    try:
        answer = json.loads(done.stdout or b"{}")
    except ValueError as exc:
        raise EngineError(f"opa eval: unreadable answer (exit {done.returncode})") from exc
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        raise _error(errors, modules)
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()[:1]
        raise EngineError(f"opa eval failed (exit {done.returncode}): {' '.join(detail)}")
    results = answer.get("result") if isinstance(answer, dict) else None
    if not results:
        return None
    try:
        return results[0]["expressions"][0]["value"]
    except (KeyError, IndexError, TypeError) as exc:
        raise EngineError("opa eval: answer without an expression value") from exc


def _error(errors: Any, modules: Sequence[Path]) -> Exception:
    first = errors[0] if isinstance(errors, list) and errors else {}
    message = str(first.get("message", "unknown error")) if isinstance(first, dict) else ""
    location = first.get("location") if isinstance(first, dict) else None
    where = ""
    if isinstance(location, dict) and location.get("file"):
        where = f"{location['file']}:{location.get('row', '?')}: "
    line = f"{where}{message}".replace("\n", " ")[:500]
    code = str(first.get("code", "")) if isinstance(first, dict) else ""
    # A policy that does not compile (a recursive rule too) is the user's to fix; an
    # evaluation error is OPA's.
    if code.startswith("rego_") and where:
        return InputError(f"approval policy: {line}")
    return EngineError(f"opa eval: {line}")
