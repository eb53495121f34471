"""`opa-comply serve` started as a real process on loopback, for the service's tests.

    with running_service(tmp_path) as svc:
        requests.post(svc.url + "/v1/validate", json=..., headers=svc.auth("validate"))

Each token in TOKENS is configured with the scopes its name says ("all" has every one).
The server binds port 0 and says which port it got on stderr; every wait is bounded and
the process is stopped (SIGTERM, then SIGKILL) by its id on the way out.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compliance_opa.service.auth import token_hash
from tests.conftest import REPO, TEST_STATE_HOME, opa_binary

# name -> (token, scopes); the tokens are test values, random enough for the hash.
TOKENS: dict[str, tuple[str, list[str]]] = {
    "reader": ("test-reader-9b1f0c2e7d4a", ["read"]),
    "validator": ("test-validator-51c7a9e03f2b", ["validate"]),
    "runtask": ("test-runtask-c28e6d41a07f", ["run-task"]),
    "all": ("test-all-7e3a92b5d18c", ["read", "validate", "run-task"]),
}
_LISTENING = re.compile(r"listening on (https?)://(\[[0-9a-f:]+\]|[0-9.]+):(\d+)")


@dataclass
class RunningService:
    url: str
    process: subprocess.Popen[bytes]
    config: Path
    log: Path  # the server's stderr and stdout

    def auth(self, name: str = "all") -> dict[str, str]:
        """The Authorization header of a token in TOKENS."""
        return {"Authorization": f"Bearer {TOKENS[name][0]}"}

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def service_config(path: Path, serve: Mapping[str, Any] | None = None, **sections: Any) -> Path:
    """A config file with every token of TOKENS and ``serve`` settings on top."""
    tokens = [
        {"name": name, "sha256": token_hash(token), "scopes": scopes}
        for name, (token, scopes) in TOKENS.items()
    ]
    document = {**sections, "serve": {"tokens": tokens, **(serve or {})}}
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


@contextmanager
def running_service(
    folder: Path,
    *args: str,
    serve: Mapping[str, Any] | None = None,
    sections: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    state: str | None = None,
    scheme: str = "http",
    startup_timeout: float = 60.0,
) -> Iterator[RunningService]:
    config = service_config(folder / "serve.yaml", serve, **(sections or {}))
    log = folder / "serve.log"
    full_env = {
        **os.environ,
        "OPA_BINARY": str(opa_binary()),
        "XDG_STATE_HOME": TEST_STATE_HOME,
        **(env or {}),
    }
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE", "OPA_COMPLY_STATE"):
        if env is None or name not in env:
            full_env.pop(name, None)
    command = [sys.executable, "-m", "compliance_opa", "serve", "--config", str(config)]
    command += ["--port", "0", *args]
    if state != "":  # "": the config's state.url (a URL with a password stays out of `ps`)
        command += ["--state", state or str(folder / "state.db")]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=full_env, cwd=REPO
        )
    try:
        url = _wait_listening(process, log, startup_timeout)
        yield RunningService(url.replace("http", scheme, 1) if scheme != "http" else url,
                             process, config, log)  # fmt: skip
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 20.0) -> int:
    """SIGTERM, then SIGKILL past ``grace`` seconds; the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def _wait_listening(process: subprocess.Popen[bytes], log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        found = _LISTENING.search(text)
        if found:
            return f"{found.group(1)}://{found.group(2)}:{found.group(3)}"
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}:\n{text}")
        time.sleep(0.05)
    raise AssertionError(f"serve did not listen within {timeout} s:\n{log.read_text()}")
