"""The managed OPA sidecar: `opa run --server` on a private unix socket, gated on health.

The process is stopped when the scan ends, fails or is interrupted (context
manager), and on Linux also when this process dies without cleaning up
(PR_SET_PDEATHSIG), so no OPA is left behind. Its socket lives in a 0700 temp
directory: no other local user can query or change it during the scan.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from compliance_opa.engine.client import DEFAULT_MAX_RESPONSE_BYTES, OpaClient
from compliance_opa.errors import EngineError

_PR_SET_PDEATHSIG = 1
SIDECAR_URL = "http://opa-sidecar"


class ManagedOpa:
    """Starts OPA with ``policies`` loaded; use as a context manager yielding a client."""

    def __init__(
        self,
        binary: Path,
        policies: Path,
        *,
        startup_timeout: float = 30.0,
        request_timeout: float = 60.0,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        wait: bool = True,
    ) -> None:
        # wait=False: entering only starts OPA (it loads and compiles its policies while
        # the caller reads its inputs); wait_ready() then waits for it to serve.
        self.wait = wait
        self.binary = binary
        self.policies = policies
        self.startup_timeout = startup_timeout
        self.request_timeout = request_timeout
        self.max_response_bytes = max_response_bytes
        self.process: subprocess.Popen[bytes] | None = None
        self.client: OpaClient | None = None
        self._dir: Path | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - OPA's output, closed on exit

    def __enter__(self) -> OpaClient:
        if not self.policies.is_dir():
            raise EngineError(f"{self.policies}: policy directory not found")
        try:
            return self._start()
        except BaseException:
            # Also on Ctrl-C while waiting for health: __exit__ will not run.
            self._close()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        died = isinstance(exc, EngineError) and self._exited_within(1.0)
        returncode = self.process.returncode if self.process is not None else None
        self._close()
        if died:
            how = f"killed by signal {-returncode}" if returncode and returncode < 0 else "exited"
            raise EngineError(f"managed OPA {how} during the scan: {exc}") from exc

    def _start(self) -> OpaClient:
        self._dir = Path(tempfile.mkdtemp(prefix="opa-comply-"))
        socket_path = self._dir / "opa.sock"
        command = [
            str(self.binary),
            "run",
            "--server",
            "--addr",
            f"unix://{socket_path}",
            "--log-level",
            "error",
            "--skip-version-check",
            "--shutdown-grace-period",
            "1",
            str(self.policies),
        ]
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=self._log,  # OPA prints load errors to stdout, logs to stderr
                stderr=self._log,
                start_new_session=True,  # Ctrl-C reaches us; we stop OPA in order.
                preexec_fn=_die_with(os.getpid()) if sys.platform == "linux" else None,
            )
        except OSError as exc:
            raise EngineError(f"{self.binary}: cannot start OPA: {exc.strerror or exc}") from exc
        self.client = OpaClient(
            SIDECAR_URL,
            timeout=self.request_timeout,
            unix_socket=str(socket_path),
            max_response_bytes=self.max_response_bytes,
        )
        if self.wait:
            self.wait_ready()
        return self.client

    def wait_ready(self) -> None:
        """Wait until the started OPA serves its policies (see ``wait``)."""
        if self.process is None or self.client is None:
            raise EngineError("managed OPA was not started")
        self._wait_healthy(self.process, self.client)

    def _wait_healthy(self, process: subprocess.Popen[bytes], client: OpaClient) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise EngineError(f"managed OPA exited on start: {_first_error(self._log_text())}")
            if client.healthy():
                return
            time.sleep(0.05)
        raise EngineError(f"managed OPA not healthy after {self.startup_timeout:g}s")

    def _exited_within(self, seconds: float) -> bool:
        # A lost connection can reach us a moment before the kernel reaps OPA.
        if self.process is None:
            return False
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def stop(self) -> None:
        """Stop OPA: SIGTERM, then SIGKILL after a grace period. Safe to call twice."""
        if self.client is not None:
            self.client.close()
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def _close(self) -> None:
        self.stop()
        self._log.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def _log_text(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")


def _die_with(parent: int) -> Callable[[], None]:
    def set_parent_death_signal() -> None:
        # Runs in the child before exec: the kernel sends SIGTERM when we die. If we
        # died before prctl took effect, the child was re-parented: give up now.
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os._exit(1)

    return set_parent_death_signal


def _first_error(log: str) -> str:
    # OPA may warn first (e.g. about running as root); show the first error line.
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower():
            return line[:300]
    return lines[0][:300] if lines else "no output"
