"""The managed OPA sidecar: `opa run --server` on loopback, gated on health, always stopped.

The process is stopped when the scan ends, fails or is interrupted (context
manager), and on Linux also when this process dies without cleaning up
(PR_SET_PDEATHSIG), so no OPA is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

from compliance_opa.errors import EngineError
from compliance_opa.opa_client import OpaClient

_PR_SET_PDEATHSIG = 1
_PORT_ATTEMPTS = 3


class ManagedOpa:
    """Starts OPA with ``policies`` loaded on a free loopback port; use as a context manager."""

    def __init__(
        self,
        binary: Path,
        policies: Path,
        *,
        startup_timeout: float = 30.0,
        request_timeout: float = 60.0,
    ) -> None:
        self.binary = binary
        self.policies = policies
        self.startup_timeout = startup_timeout
        self.request_timeout = request_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.client: OpaClient | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - OPA's stderr, closed on exit

    def __enter__(self) -> OpaClient:
        if not self.policies.is_dir():
            raise EngineError(f"{self.policies}: policy directory not found")
        for _ in range(_PORT_ATTEMPTS):
            port = _free_loopback_port()
            try:
                return self._start(port)
            except _PortTaken:
                continue
        raise EngineError("managed OPA: no free loopback port after several attempts")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        died = isinstance(exc, EngineError) and self._exited_within(1.0)
        returncode = self.process.returncode if self.process is not None else None
        self.stop()
        self._log.close()
        if died:
            how = f"killed by signal {-returncode}" if returncode and returncode < 0 else "exited"
            raise EngineError(f"managed OPA {how} during the scan: {exc}") from exc

    def _start(self, port: int) -> OpaClient:
        self._log.seek(0)
        self._log.truncate()
        command = [
            str(self.binary),
            "run",
            "--server",
            "--addr",
            f"127.0.0.1:{port}",
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
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                start_new_session=True,  # Ctrl-C reaches us; we stop OPA in order.
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except OSError as exc:
            raise EngineError(f"{self.binary}: cannot start OPA: {exc.strerror or exc}") from exc
        self.client = OpaClient(f"http://127.0.0.1:{port}", timeout=self.request_timeout)
        self._wait_healthy()
        return self.client

    def _wait_healthy(self) -> None:
        if self.process is None or self.client is None:
            raise EngineError("managed OPA: health wait before start")
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self._log_text()
                self.stop()
                if "address already in use" in log:
                    raise _PortTaken
                raise EngineError(f"managed OPA exited on start: {_first_error(log)}")
            if self.client.healthy():
                return
            time.sleep(0.05)
        self.stop()
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

    def _log_text(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")


class _PortTaken(Exception):
    pass


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:
    # Runs in the child before exec: the kernel sends SIGTERM if we die first.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _first_error(log: str) -> str:
    # OPA logs JSON lines, or prints compile errors as text; show the first useful line.
    for line in log.splitlines():
        line = line.strip()
        if line:
            return line[:300]
    return "no output"
