"""One OPA kept warm for the service, supervised.

The managed sidecar is started, watched and restarted by one thread that lives as long
as the service: OPA is told to die with the thread that started it (PR_SET_PDEATHSIG),
so that thread must outlive it. While OPA is down (killed, crashed, restarting) the
service is not ready and evaluations answer 503; the restart waits a little longer after
each failed start. A remote OPA (`--opa-url`) is checked for health on the same beat.

Requests share one client. It is handed out behind a wrapper without ``cancel``: the
scan's request builder cancels every request of a client when one fails, which for a
shared client would fail the other callers' requests too.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.connect import EngineSettings, managed_sidecar, started_engine
from compliance_opa.engine.evaluator import REPORT_PATH, Evaluation
from compliance_opa.engine.selective import SelectiveEvaluator
from compliance_opa.errors import ComplianceError, EngineError

log = logging.getLogger("opa_comply.serve")

_BEAT = 0.2  # seconds between liveness checks
_MAX_BACKOFF = 10.0


class _Digest:
    """The policy digest of one running OPA, asked for once: its policies do not change
    while it runs (a restarted OPA gets a new one)."""

    def __init__(self, selective: SelectiveEvaluator) -> None:
        self._selective = selective
        self._lock = threading.Lock()
        self.value: str | None = None

    def get(self) -> str:
        with self._lock:
            if self.value is None:
                self.value = self._selective.policy_digest()
            return self.value


class SharedEvaluator:
    """The Evaluator protocol over the shared client: only the checks that can judge the
    input are asked for (engine/selective.py), the policy digest once."""

    def __init__(self, selective: SelectiveEvaluator, digest: _Digest) -> None:
        self._selective = selective
        self._digest = digest

    @property
    def display_url(self) -> str:
        return self._selective.display_url

    def evaluate(self, document: dict[str, Any], path: str = REPORT_PATH) -> Evaluation:
        return self._selective.evaluate(document, path)

    def evaluate_body(self, body: bytes, path: str = REPORT_PATH) -> Evaluation:
        return self._selective.evaluate_body(body, path)

    def policy_digest(self) -> str:
        return self._digest.get()

    def known_digest(self) -> str | None:
        return self._digest.value


@dataclass(frozen=True)
class _Evaluators:
    full: SharedEvaluator  # reports with every check: plans, run tasks
    verdicts: SharedEvaluator  # verdicts on the input's resources only: validation


def _evaluators(client: OpaClient) -> _Evaluators:
    selective = SelectiveEvaluator(client)
    digest = _Digest(selective)
    return _Evaluators(
        SharedEvaluator(selective, digest), SharedEvaluator(selective.verdicts_view(), digest)
    )


@dataclass
class EngineStatus:
    ready: bool
    restarts: int
    last_error: str


class WarmEngine:
    """Start with ``start()``, stop with ``stop()``; ``evaluator()`` while ready."""

    def __init__(self, settings: EngineSettings) -> None:
        settings.check()
        self.settings = settings
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._evaluator: _Evaluators | None = None
        self._restarts = 0
        self._last_error = ""
        self._thread = threading.Thread(target=self._supervise, name="opa-supervisor", daemon=True)
        self._first = threading.Event()  # set after the first start succeeded or failed

    def start(self, wait: float = 60.0) -> None:
        """Start OPA and wait up to ``wait`` seconds for its first answer; a first start
        that fails is an EngineError (the service does not come up without OPA)."""
        self._thread.start()
        self._first.wait(wait)
        if not self.status().ready:
            self.stop()
            raise EngineError(f"OPA did not start: {self._last_error or 'timed out'}")

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=15)

    def status(self) -> EngineStatus:
        with self._lock:
            return EngineStatus(self._evaluator is not None, self._restarts, self._last_error)

    def evaluator(self) -> SharedEvaluator:
        """For reports of every check (plans, run tasks)."""
        return self._ready().full

    def verdicts_evaluator(self) -> SharedEvaluator:
        """For verdicts on the input's resources only (validation): see selective.py."""
        return self._ready().verdicts

    def _ready(self) -> _Evaluators:
        with self._lock:
            if self._evaluator is None:
                raise EngineError("OPA is not ready (starting or restarting): try again")
            return self._evaluator

    def _supervise(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                with self._opened() as (client, alive):
                    evaluators = _evaluators(client)  # reads the checks' catalogue
                    with self._lock:
                        self._evaluator = evaluators
                        self._last_error = ""
                    self._first.set()
                    self._watch(client, alive)
            except ComplianceError as exc:
                with self._lock:
                    self._last_error = str(exc)
            except Exception as exc:  # a bug of ours must not end supervision: restart
                log.error("OPA supervisor: unexpected %s", type(exc).__name__)
                with self._lock:
                    self._last_error = f"unexpected {type(exc).__name__}"
            finally:
                with self._lock:
                    self._evaluator = None
                self._first.set()
            if self._stop.is_set():
                return
            with self._lock:
                self._restarts += 1
            # A start that served a while restarts at once; one failing again and again
            # waits longer each time.
            backoff = 0.5 if time.monotonic() - started > 30 else min(backoff * 2, _MAX_BACKOFF)
            self._stop.wait(backoff)

    @contextlib.contextmanager
    def _opened(self) -> Iterator[tuple[OpaClient, Callable[[], bool]]]:
        """A ready client and how to tell it is still alive: the managed OPA's process
        (a health request could time out under load and restart a busy, healthy OPA),
        a remote one's health."""
        settings = self.settings
        if settings.opa_url:
            with started_engine(settings) as (client, _):
                if not client.healthy():
                    raise EngineError(f"OPA at {client.display_url} is not healthy")
                yield client, client.healthy
            return
        sidecar = managed_sidecar(settings, wait=True)
        with sidecar as client:
            yield client, sidecar.alive

    def _watch(self, client: OpaClient, alive: Callable[[], bool]) -> None:
        """Return when OPA is gone (a managed one exited, a remote one unhealthy twice)."""
        misses = 0
        while not self._stop.wait(_BEAT):
            if alive():
                misses = 0
                continue
            misses += 1
            if misses >= 2:
                with self._lock:
                    self._evaluator = None
                    self._last_error = f"OPA at {client.display_url} stopped answering"
                return
