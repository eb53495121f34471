"""The managed OPA sidecar: `opa run --server` on a private unix socket, gated on health.

The process is stopped when the scan ends, fails or is interrupted (context
manager), and on Linux also when this process dies without cleaning up
(PR_SET_PDEATHSIG), so no OPA is left behind. Its socket lives in a 0700 temp
directory: no other local user can query or change it during the scan. The folder
of a run that was killed (SIGKILL runs no cleanup) is removed by the next run.

OPA gets a minimal environment: any policy can read it (opa.runtime().env), and the
CLI's holds secrets (OPA_TOKEN, AWS keys, database passwords).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from types import TracebackType
from typing import Any

from compliance_opa.engine.catalogue import Catalogue, read_folder
from compliance_opa.engine.client import DEFAULT_MAX_RESPONSE_BYTES, OpaClient
from compliance_opa.engine.evaluator import REPORT_PATH, Evaluation
from compliance_opa.errors import EngineError

_PR_SET_PDEATHSIG = 1
SIDECAR_URL = "http://opa-sidecar"
# The socket folder: our prefix and the pid of the run that made it.
_DIR_PREFIX = "opa-comply-sidecar-"
_DIR_NAME = re.compile(re.escape(_DIR_PREFIX) + r"(\d+)-[A-Za-z0-9_]+")
# A folder untouched this long is past any start (OPA listens within the startup
# timeout), so a missing pid is not a run starting in another pid namespace.
_STALE_AFTER = 120.0
# All OPA gets of our environment: Go runtime tuning, the time zone, the temp folder.
_OPA_ENVIRONMENT = ("GOMAXPROCS", "GOMEMLIMIT", "GOGC", "GODEBUG", "TZ", "TMPDIR")
# How often a starting OPA is asked whether it serves: each ask is a local request of
# well under a millisecond, and a small scan waits on little else.
_HEALTH_POLL_SECONDS = 0.005


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
        types: Collection[str] | None = None,
    ) -> None:
        # wait=False: entering only starts OPA (it loads and compiles its policies while
        # the caller reads its inputs); wait_ready() then waits for it to serve.
        # types: the input's resource types, when known before the start: with the
        # folder's catalogue, only the checks of those types are loaded (catalogue.py).
        self.wait = wait
        self.types = types
        self.binary = binary
        self.policies = policies
        self.startup_timeout = startup_timeout
        self.request_timeout = request_timeout
        self.max_response_bytes = max_response_bytes
        self.process: subprocess.Popen[bytes] | None = None
        self.client: OpaClient | None = None
        self._dir: Path | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - OPA's output, closed on exit
        self._loaded_root = policies  # what OPA was given: the folder, or a subset of it

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
        parent = Path(tempfile.gettempdir())
        remove_stale_folders(parent)
        self._dir = Path(tempfile.mkdtemp(prefix=f"{_DIR_PREFIX}{os.getpid()}-", dir=parent))
        socket_path = self._dir / "opa.sock"
        # Read now, as OPA is about to load them: the digest is of these texts, and a
        # subset is written from them (see digest.py, catalogue.py).
        folder = read_folder(self.policies)
        catalogue = folder.catalogue if self.types is not None else None
        root, loaded = self.policies, list[str]()
        if catalogue is not None and self.types is not None:
            root = self._dir / "policies"
            try:
                loaded = folder.write_subset(root, self.types)
            except OSError as exc:
                raise EngineError(
                    f"cannot prepare the policies for OPA in {self._dir}: {exc.strerror or exc}"
                ) from exc
        self._loaded_root = root
        command = [
            str(self.binary),
            "run",
            "--server",
            "--addr",
            f"unix://{socket_path}",
            "--unix-socket-perm",
            "600",  # the folder is 0700 already; the socket says so too
            "--log-level",
            "error",
            "--skip-version-check",
            "--shutdown-grace-period",
            "1",
            str(root),
        ]
        try:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                env={k: v for k, v in os.environ.items() if k in _OPA_ENVIRONMENT},
                stdout=self._log,  # OPA prints load errors to stdout, logs to stderr
                stderr=self._log,
                start_new_session=True,  # Ctrl-C reaches us; we stop OPA in order.
                preexec_fn=_die_with(os.getpid()) if sys.platform == "linux" else None,
            )
        except OSError as exc:
            raise EngineError(f"{self.binary}: cannot start OPA: {exc.strerror or exc}") from exc
        settings: dict[str, Any] = {
            "timeout": self.request_timeout,
            "unix_socket": str(socket_path),
            "max_response_bytes": self.max_response_bytes,
            "known_digest": folder.digest,
        }
        self.client = (
            OpaClient(SIDECAR_URL, **settings)
            if catalogue is None
            else PartialOpaClient(SIDECAR_URL, catalogue=catalogue, loaded=loaded, **settings)
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
                # A subset's paths are a temporary copy: name the user's files instead.
                error = _first_error(self._log_text())
                error = error.replace(str(self._loaded_root), str(self.policies))
                raise EngineError(f"managed OPA exited on start: {error}")
            if client.healthy():
                return
            time.sleep(_HEALTH_POLL_SECONDS)
        raise EngineError(f"managed OPA not healthy after {self.startup_timeout:g}s")

    def alive(self) -> bool:
        """True while the started OPA process runs."""
        return self.process is not None and self.process.poll() is None

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


class PartialOpaClient(OpaClient):
    """The client of a sidecar that loaded part of the checks: its reports are filled
    back to the full policy set's, whose digest it answers."""

    def __init__(
        self, base_url: str, *, catalogue: Catalogue, loaded: list[str], **settings: Any
    ) -> None:
        super().__init__(base_url, **settings)
        self._catalogue = catalogue
        self.loaded = tuple(loaded)  # the check packages OPA was given

    def evaluate_body(self, body: bytes, path: str = REPORT_PATH) -> Evaluation:
        evaluation = super().evaluate_body(body, path)
        if path != REPORT_PATH:
            return evaluation
        filled = self._catalogue.filled(evaluation.result, self.loaded)
        return Evaluation(filled, evaluation.opa_version)

    def policy_digest(self) -> str:
        return self._catalogue.digest


def remove_stale_folders(parent: Path) -> None:
    """Remove the socket folders of our killed runs. Only a folder that is surely stale
    goes: named by us, a real folder owned by this user, untouched for a while, its run's
    process gone and its socket answering nobody (a live run elsewhere keeps it)."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        match = _DIR_NAME.fullmatch(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (
            stat.S_ISDIR(info.st_mode)
            and info.st_uid == os.geteuid()
            and time.time() - info.st_mtime > _STALE_AFTER
            and not _pid_alive(int(match.group(1)))
            and not _answers(Path(entry.path) / "opa.sock")
        ):
            shutil.rmtree(entry.path, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # it exists (another user's), or is no pid: keep the folder
    return True


def _answers(socket_path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(socket_path))
        except (FileNotFoundError, ConnectionRefusedError):
            return False
        except OSError:
            return True  # cannot tell: keep the folder
    return True


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
