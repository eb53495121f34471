"""Our requests to HCP Terraform for a run task: the plan JSON, and the result PATCH.

Every URL comes from a signed payload, and still is checked (an SSRF guard): its host
must be one of `allowed_hosts`, over https unless the host is in `insecure_hosts`; the
plan's redirect (to the archivist) is followed by hand, checked the same way, and the
access token goes only to the origin it was given for (the archivist's URL carries its
own authorisation). Plans are read up to `max_plan_bytes`.

Connection errors, timeouts, 429 and 5xx are retried with exponential backoff (honouring
Retry-After) inside the task's deadline; each attempt is reported to ``on_attempt``.
Messages name the host and status, never a URL's path or query (an archivist URL is a
credential), nor the token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import orjson
import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_any,
)
from tenacity.stop import stop_base

from compliance_opa.config.serve import RunTaskSettings

REQUEST_TIMEOUT = 30.0  # seconds per request, less when the deadline is nearer
MAX_REDIRECTS = 3
MAX_RETRY_AFTER = 60.0
USER_AGENT = "opa-comply-run-task"
JSON_API = "application/vnd.api+json"
_CHUNK = 64 * 1024
_T = TypeVar("_T")


class PlatformError(Exception):
    """A request to the platform failed; ``transient`` ones are retried."""

    def __init__(self, message: str, transient: bool, retry_after: float | None = None):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


class PlanTooLarge(PlatformError):
    def __init__(self, limit: int):
        super().__init__(f"the plan JSON is larger than max_plan_bytes ({limit:,} bytes)", False)


class Stopped(Exception):
    """The service is stopping: no more attempts."""


@dataclass
class PlatformClient:
    settings: RunTaskSettings
    stopping: threading.Event
    session: requests.Session

    @classmethod
    def create(cls, settings: RunTaskSettings, stopping: threading.Event) -> PlatformClient:
        session = requests.Session()
        session.trust_env = False  # no proxy or .netrc from the environment gets the token
        session.headers["User-Agent"] = USER_AGENT
        return cls(settings, stopping, session)

    def check_url(self, url: str) -> str:
        """The URL's host when we may send to it, else PlatformError (never retried)."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise PlatformError("a URL that cannot be parsed", False) from None
        if parts.username or parts.password:
            raise PlatformError(f"a URL with credentials for {host or 'no host'}", False)
        if host not in self.settings.allowed_hosts:
            raise PlatformError(f"host {host or '(none)'!r} is not in allowed_hosts", False)
        if parts.scheme != "https" and not (
            parts.scheme == "http" and host in self.settings.insecure_hosts
        ):
            raise PlatformError(f"{parts.scheme or 'no'} scheme for {host}: https only", False)
        return host

    def fetch_plan(
        self, url: str, token: str, deadline: float, on_attempt: Callable[[str | None], None]
    ) -> bytes:
        return self._retrying(lambda: self._fetch_once(url, token, deadline), deadline, on_attempt)

    def patch(
        self,
        url: str,
        token: str,
        document: dict[str, Any],
        deadline: float,
        on_attempt: Callable[[str | None], None],
        attempts: int | None = None,
    ) -> None:
        body = orjson.dumps(document)
        self._retrying(
            lambda: self._patch_once(url, token, body, deadline), deadline, on_attempt, attempts
        )

    # --- one attempt ----------------------------------------------------------------

    def _fetch_once(self, url: str, token: str, deadline: float) -> bytes:
        origin = _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            host = self.check_url(url)
            headers = {"Accept": "application/json"}
            if _origin(url) == origin:
                headers["Authorization"] = f"Bearer {token}"
            with self._send("GET", url, host, deadline, headers=headers, stream=True) as answer:
                if answer.status_code in (301, 302, 303, 307, 308):
                    location = answer.headers.get("location")
                    if not location:
                        raise PlatformError(f"GET {host}: redirect without a Location", False)
                    url = urljoin(url, location)
                    continue
                if answer.status_code == 204:
                    raise PlatformError(f"GET {host}: 204, the plan is not finished yet", True)
                _raise_for(answer, "GET", host)
                return self._read_capped(answer)
        raise PlatformError(f"more than {MAX_REDIRECTS} redirects fetching the plan", False)

    def _read_capped(self, answer: requests.Response) -> bytes:
        limit = self.settings.max_plan_bytes
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise PlanTooLarge(limit)
        body = bytearray()
        try:
            for chunk in answer.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise PlanTooLarge(limit)
        except requests.RequestException as exc:
            raise PlatformError(f"reading the plan: {_why(exc)}", True) from None
        return bytes(body)

    def _patch_once(self, url: str, token: str, body: bytes, deadline: float) -> None:
        host = self.check_url(url)
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": JSON_API,
            "Accept": JSON_API,
        }
        with self._send("PATCH", url, host, deadline, headers=headers, data=body) as answer:
            _raise_for(answer, "PATCH", host)

    def _send(
        self, method: str, url: str, host: str, deadline: float, **kwargs: Any
    ) -> requests.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise PlatformError("the task's deadline passed", False)
        try:
            return self.session.request(
                method,
                url,
                timeout=min(REQUEST_TIMEOUT, remaining),
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise PlatformError(f"{method} {host}: {_why(exc)}", True) from None

    # --- retries --------------------------------------------------------------------

    def _retrying(
        self,
        call: Callable[[], _T],
        deadline: float,
        on_attempt: Callable[[str | None], None],
        attempts: int | None = None,
    ) -> _T:
        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            backoff = self.settings.backoff_seconds * 2 ** (state.attempt_number - 1)
            if isinstance(error, PlatformError) and error.retry_after is not None:
                backoff = max(backoff, error.retry_after)
            return float(min(backoff, MAX_RETRY_AFTER))

        class _Stop(stop_base):
            def __call__(inner, state: RetryCallState) -> bool:
                if self.stopping.is_set():
                    return True
                # No attempt that would start after the deadline.
                return time.monotonic() + wait(state) >= deadline

        def sleep(seconds: float) -> None:
            if self.stopping.wait(seconds):
                raise Stopped

        def attempt() -> _T:
            try:
                result = call()
            except PlatformError as exc:
                on_attempt(str(exc))
                raise
            on_attempt(None)
            return result

        retrying = Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, PlatformError) and e.transient),
            stop=stop_any(stop_after_attempt(attempts or self.settings.attempts), _Stop()),
            wait=wait,
            sleep=sleep,
            reraise=True,
        )
        return retrying(attempt)


def _raise_for(answer: requests.Response, method: str, host: str) -> None:
    status = answer.status_code
    if 200 <= status < 300:
        return
    transient = status == 429 or status >= 500
    retry_after = answer.headers.get("retry-after", "")
    seconds = float(retry_after) if retry_after.isdigit() else None
    raise PlatformError(f"{method} {host}: answered {status}", transient, seconds)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port


def _why(exc: requests.RequestException) -> str:
    """What went wrong, without the URL requests puts in its messages."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, OSError) and cause.strerror:
                return f"cannot connect ({cause.strerror})"
            cause = cause.__cause__ or cause.__context__
        return "cannot connect"
    return type(exc).__name__
