"""HTTP client for OPA's REST API: one data query per scan, every failure an EngineError.

A remote OPA is trusted little: each exchange (connect, send, the whole answer) ends within
the timeout, an answer is read in pieces up to a cap, a redirect is an error (the input
never goes elsewhere), and an interrupt stops every request in flight at once.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import orjson
import requests

from compliance_opa.engine.abortable import CANCELLED, DEADLINE, Exchange, TrackedAdapter, exchange
from compliance_opa.engine.digest import combined
from compliance_opa.engine.evaluator import REPORT_PATH, Evaluation
from compliance_opa.engine.unix_http import UnixSocketAdapter
from compliance_opa.errors import EngineError
from compliance_opa.support.jsonbytes import dumps

# Requests one client may have in flight at once (the request builder's workers).
MAX_WORKERS = 8
# The largest answer read: far above what OPA answers for the largest request
# (--opa-max-request-bytes), far below what would exhaust the machine.
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024 * 1024
# An error answer is read this far for its message, no further.
_ERROR_BODY_BYTES = 64 * 1024
_PIECE_BYTES = 1024 * 1024


_T = TypeVar("_T")
# Reads the body of an answer, refusing one over the given number of bytes.
_BodyReader = Callable[[requests.Response, int], _T]


class _OverLimit(Exception):
    def __init__(self, declared: int | None) -> None:
        super().__init__()
        self.declared = declared


class OpaClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: str | None = None,
        timeout: float = 60.0,
        unix_socket: str | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        known_digest: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._known_digest = known_digest
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/json"
        if unix_socket:
            # The sidecar is local: no proxy from the environment may sit in between.
            self._session.trust_env = False
            # One connection per evaluation worker, and one for the policy digest.
            adapter = UnixSocketAdapter(unix_socket, pool_size=MAX_WORKERS + 1)
            self._session.mount(f"{self.base_url}/", adapter)
            self.display_url = f"unix://{unix_socket}"
        else:
            self._session.mount("http://", TrackedAdapter(pool_maxsize=MAX_WORKERS + 1))
            self._session.mount("https://", TrackedAdapter(pool_maxsize=MAX_WORKERS + 1))
            self.display_url = without_credentials(self.base_url)
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"
        # Passed on every request: a session-level setting would lose to REQUESTS_CA_BUNDLE.
        self._verify: str | bool = ca_bundle or True
        self._lock = threading.Lock()
        self._in_flight: set[Exchange] = set()
        self._cancelled = False

    def cancel(self) -> None:
        """Abort every request in flight and refuse new ones: the scan is over (it was
        interrupted, or one of its requests failed). Safe from any thread."""
        with self._lock:
            self._cancelled = True
            in_flight = list(self._in_flight)
        for each in in_flight:
            each.abort(CANCELLED)

    def close(self) -> None:
        self.cancel()
        self._session.close()

    def healthy(self) -> bool:
        """True once OPA serves and has activated its bundles (``/health?bundles``)."""
        try:
            with self._session.get(
                f"{self.base_url}/health",
                params={"bundles": "true"},
                timeout=2,
                verify=self._verify,
                stream=True,  # the status is enough: the body is never read
                allow_redirects=False,
            ) as response:
                return response.status_code == 200
        except requests.RequestException:
            return False

    def evaluate(self, document: dict[str, Any], path: str = REPORT_PATH) -> Evaluation:
        """POST ``document`` as the input to ``/v1/data/<path>``."""
        body = b'{"input":' + dumps(document) + b"}"
        return self.evaluate_body(body, path)

    def evaluate_body(self, body: bytes, path: str = REPORT_PATH) -> Evaluation:
        """POST a request body already serialised (``{"input": ...}``) to
        ``/v1/data/<path>``; a missing result is an error, never empty. Safe to call from
        several threads at once (the connection pool hands each its own connection)."""
        answer = self._request(
            "POST",
            f"/v1/data/{path}",
            params={"strict-builtin-errors": "true", "provenance": "true"},
            data=body,
            headers={"Content-Type": "application/json"},
        )
        if "result" not in answer:
            raise EngineError(
                f"OPA at {self.display_url} returned no result for data.{path.replace('/', '.')}:"
                " the opa-comply policies are not loaded there"
            )
        provenance = answer.get("provenance")
        version = provenance.get("version") if isinstance(provenance, dict) else None
        version = str(version) if version else "unknown"
        return Evaluation(result=answer["result"], opa_version=version)

    def query(self, query: str, body: bytes) -> Any:
        """An ad-hoc Rego query (``/v1/query``) on a request body already serialised
        (``{"input": ...}``): the value of its variable ``x`` (OPA caches the compiled
        query by its text, so a fixed text is compiled once)."""
        answer = self._request(
            "POST",
            "/v1/query",
            params={"strict-builtin-errors": "true"},
            data=b'{"query":' + dumps(query) + b"," + body[1:],
            headers={"Content-Type": "application/json"},
        )
        rows = answer.get("result")
        if not isinstance(rows, list) or len(rows) != 1 or not isinstance(rows[0], dict):
            raise EngineError(f"OPA at {self.display_url}: the query answered no single result")
        if "x" not in rows[0]:
            raise EngineError(f"OPA at {self.display_url}: the query answered without x")
        return rows[0]["x"]

    def policy_digest(self) -> str:
        """sha256 over the policy modules OPA has loaded, independent of their ids (paths)."""
        try:
            body = self._content("GET", "/v1/policies", _module_texts)
        except (ValueError, RecursionError) as exc:  # json's errors, UnicodeDecodeError
            raise EngineError(
                f"OPA at {self.display_url}: answer to /v1/policies is not JSON"
            ) from exc
        if not isinstance(body, dict):
            raise EngineError(
                f"OPA at {self.display_url}: answer to /v1/policies is not a JSON object"
            )
        modules = body.get("result")
        if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
            raise EngineError(f"OPA at {self.display_url}: /v1/policies answered without a result")
        return combined(str(module.get("raw", "")) for module in modules)

    def known_digest(self) -> str | None:
        """The digest known without asking OPA (the managed sidecar's, from its files)."""
        return self._known_digest

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        content = self._content(method, path, _read_body, **kwargs)
        try:
            body = orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise EngineError(f"OPA at {self.display_url}: answer to {path} is not JSON") from exc
        if not isinstance(body, dict):
            raise EngineError(f"OPA at {self.display_url}: answer to {path} is not a JSON object")
        return body

    def _content(self, method: str, path: str, read: _BodyReader[_T], **kwargs: Any) -> _T:
        """What ``read`` makes of the body of a 2xx answer, read within the exchange."""
        with self._exchange() as current:
            try:
                content = self._send(method, path, read, **kwargs)
            except EngineError:
                raise
            except Exception as exc:
                raise self._failure(exc, current.aborted) from exc
            except BaseException:
                # Ctrl-C or SIGTERM in this (the main) thread: the other threads' requests
                # would keep the scan alive until they end; stop them now.
                self.cancel()
                raise
        return content

    @contextlib.contextmanager
    def _exchange(self) -> Iterator[Exchange]:
        with exchange(self.timeout) as current:
            with self._lock:
                if self._cancelled:
                    raise EngineError(f"OPA at {self.display_url}: request cancelled")
                self._in_flight.add(current)
            try:
                yield current
            finally:
                with self._lock:
                    self._in_flight.discard(current)

    def _send(self, method: str, path: str, read: _BodyReader[_T], **kwargs: Any) -> _T:
        """The body of a 2xx answer, read by ``read`` (up to the cap); any other answer an
        EngineError."""
        where = f"OPA at {self.display_url}"
        with self._session.request(
            method,
            f"{self.base_url}{path}",
            timeout=self.timeout,
            verify=self._verify,
            stream=True,  # read in pieces below, up to the cap
            allow_redirects=False,  # the input must never go to another server
            **kwargs,
        ) as response:
            status = f"HTTP {response.status_code} on {method} {path}"
            if 300 <= response.status_code < 400:
                target = without_credentials(response.headers.get("Location", ""))[:200]
                to = f" to {target}" if target else ""
                raise EngineError(f"{where}: {status}: a redirect{to}, not followed")
            if not 200 <= response.status_code < 300:
                try:
                    detail = _opa_error_text(_read_body(response, _ERROR_BODY_BYTES))
                except _OverLimit:
                    detail = ""
                if "server.decoding.max_length" in detail:
                    detail += " (send smaller requests: --opa-max-request-bytes)"
                raise EngineError(f"{where}: {status}{detail}")
            try:
                return read(response, self.max_response_bytes)
            except _OverLimit as over:
                size = f"{over.declared:,} bytes, " if over.declared else ""
                raise EngineError(
                    f"{where}: the answer to {method} {path} is {size}over the"
                    f" {self.max_response_bytes:,}-byte limit on an OPA answer"
                ) from None

    def _failure(self, exc: Exception, aborted: str | None) -> EngineError:
        where = f"OPA at {self.display_url}"
        if aborted == CANCELLED:
            return EngineError(f"{where}: request cancelled")
        if aborted == DEADLINE or isinstance(exc, requests.exceptions.ReadTimeout):
            return EngineError(
                f"{where}: no answer within {self.timeout:g}s"
                " (--opa-timeout, for the whole request and answer)"
            )
        if isinstance(exc, requests.exceptions.SSLError):
            return EngineError(f"{where}: TLS error: {_reason(exc)}")
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return EngineError(f"{where}: connection timed out")
        if isinstance(exc, requests.exceptions.ConnectionError):
            if _lost_mid_request(exc):
                return EngineError(f"{where}: connection lost before an answer")
            return EngineError(f"{where}: cannot connect: {_reason(exc)}")
        return EngineError(f"{where}: request failed: {_reason(exc)}")


def _read_body(response: requests.Response, limit: int) -> bytearray:
    """The (decoded) body in pieces, refused once it is over ``limit`` bytes: memory stays
    bounded whatever the server sends or says it will send."""
    body = bytearray()
    for piece in _pieces(response, limit):
        body += piece
    return body


def _pieces(response: requests.Response, limit: int) -> Iterator[bytes]:
    """The (decoded) body a piece at a time, refused once over ``limit`` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _OverLimit(int(declared))
    read = 0
    for piece in response.iter_content(_PIECE_BYTES):
        read += len(piece)
        if read > limit:
            raise _OverLimit(None)
        yield piece


def _opa_error_text(content: bytes | bytearray) -> str:
    # OPA's error bodies carry a code, a message and, for evaluation errors, details.
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body.get(key)) for key in ("code", "message") if body.get(key)]
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        location = first.get("location") or {}
        where = f" ({location.get('file')}:{location.get('row')})" if location else ""
        parts.append(f"{first.get('message', '')}{where}")
    return (": " + " - ".join(parts)) if parts else ""


def without_credentials(url: str) -> str:
    """The URL as shown in reports and errors: user:password@ never leaves the process."""
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


# Any object of /v1/policies' answer but the answer and its modules: dropped as it is parsed.
_DROPPED: dict[str, Any] = {}
_SPACE = re.compile(r"[ \t\n\r]*")


def _kept(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = {key for key, _ in pairs}
    return dict(pairs) if "raw" in keys or "result" in keys else _DROPPED


def _module_texts(response: requests.Response, limit: int) -> Any:
    """/v1/policies' answer, read a module at a time, every module's syntax tree dropped
    as it is parsed: the trees (8 MB of text for our modules) took 90 MiB parsed whole,
    and 15 MiB of a small scan's peak held as one text; only each module's `raw` text is
    read. Objects inside a tree that have a `raw` key are kept until the tree holding
    them is dropped, so a module is still read as it was. Errors: ValueError."""
    return _StreamedAnswer(_pieces(response, limit)).answer()


class _StreamedAnswer:
    """The grammar of `{"result": [module, ...]}` over text decoded piece by piece: each
    value is parsed once it is whole, and the text before it dropped."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._scan = json.JSONDecoder(object_pairs_hook=_kept).raw_decode
        self._text = ""
        self._pos = 0
        self._eof = False

    def answer(self) -> Any:
        if self._next() != "{":  # not an object: parsed whole, for the caller to refuse
            return self._rest()
        self._pos += 1
        answer: dict[str, Any] = {}
        closing = self._next()
        while closing != "}":
            key = self._value()
            if not isinstance(key, str) or self._next() != ":":
                raise ValueError("expected a key and a colon")
            self._pos += 1
            if key == "result" and self._next() == "[":
                self._pos += 1
                answer[key] = self._items()
            else:
                answer[key] = self._value()
            closing = self._next()
            if closing == ",":
                self._pos += 1
                closing = self._next()
                if closing == "}":
                    raise ValueError("a trailing comma")
            elif closing != "}":
                raise ValueError("expected , or }")
        self._pos += 1
        if self._next() != "":
            raise ValueError("text after the answer")
        return answer

    def _items(self) -> list[Any]:
        items: list[Any] = []
        if self._next() == "]":
            self._pos += 1
            return items
        while True:
            items.append(self._value())
            following = self._next()
            self._pos += 1
            if following == "]":
                return items
            if following != ",":
                raise ValueError("expected , or ]")

    def _rest(self) -> Any:
        while self._fill():
            pass
        return json.loads(self._text[self._pos :], object_pairs_hook=_kept)

    def _fill(self, at_least: int = 1) -> bool:
        """More text (one piece, or pieces until ``at_least`` bytes), the text before the
        position dropped; False at the end."""
        if self._eof:
            return False
        added: list[str] = []
        count = 0
        while count < at_least and not self._eof:
            piece = next(self._pieces, b"")
            self._eof = not piece
            added.append(self._decoder.decode(piece, final=self._eof))
            count += len(piece)
        self._text = self._text[self._pos :] + "".join(added)
        self._pos = 0
        return True

    def _next(self) -> str:
        """The next character that is not white space, not consumed; '' at the end."""
        while True:
            self._pos = _SPACE.match(self._text, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._text):
                return self._text[self._pos]
            if not self._fill():
                return ""

    def _value(self) -> Any:
        """The next JSON value, consumed."""
        self._next()
        while True:
            try:
                value, end = self._scan(self._text, self._pos)
            except (json.JSONDecodeError, StopIteration):
                # The value may go on: read as much again as it has so far, so a value of
                # many pieces is parsed from its start a few times, not once a piece.
                if self._fill(len(self._text) - self._pos):
                    continue
                raise ValueError("invalid JSON") from None
            if end == len(self._text) and self._fill():  # a number may go on
                continue
            self._pos = end
            return value


def _lost_mid_request(exc: Exception) -> bool:
    text = str(exc)
    return "Connection aborted" in text or "RemoteDisconnected" in text


def _reason(exc: Exception) -> str:
    # requests nests the useful reason (e.g. "Connection refused") inside urllib3 errors.
    text = str(exc)
    ssl = re.search(r"\[SSL: [A-Z_]+\][^'\")]*", text)
    if ssl:
        return ssl.group(0).strip()
    for marker in ("Connection refused", "Name or service not known", "No route to host"):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:200] if text else exc.__class__.__name__
