"""HTTP client for OPA's REST API: one data query per scan, every failure an EngineError."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
import requests

from compliance_opa.engine.evaluator import REPORT_PATH, Evaluation
from compliance_opa.engine.unix_http import UnixSocketAdapter
from compliance_opa.errors import EngineError
from compliance_opa.support.jsonbytes import dumps

# Requests one client may have in flight at once (the request builder's workers).
MAX_WORKERS = 8


class OpaClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: str | None = None,
        timeout: float = 60.0,
        unix_socket: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
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
            self.display_url = without_credentials(self.base_url)
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"
        # Passed on every request: a session-level setting would lose to REQUESTS_CA_BUNDLE.
        self._verify: str | bool = ca_bundle or True

    def close(self) -> None:
        self._session.close()

    def healthy(self) -> bool:
        """True once OPA serves and has activated its bundles (``/health?bundles``)."""
        try:
            response = self._session.get(
                f"{self.base_url}/health",
                params={"bundles": "true"},
                timeout=2,
                verify=self._verify,
            )
        except requests.RequestException:
            return False
        return response.status_code == 200

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

    def policy_digest(self) -> str:
        """sha256 over the policy modules OPA has loaded, independent of their ids (paths)."""
        body = self._request("GET", "/v1/policies")
        modules = body.get("result")
        if not isinstance(modules, list) or not all(isinstance(m, dict) for m in modules):
            raise EngineError(f"OPA at {self.display_url}: /v1/policies answered without a result")
        module_digests = sorted(
            hashlib.sha256(str(module.get("raw", "")).encode("utf-8")).hexdigest()
            for module in modules
        )
        combined = hashlib.sha256("\n".join(module_digests).encode("ascii")).hexdigest()
        return f"sha256:{combined}"

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        try:
            response = self._session.request(
                method, url, timeout=self.timeout, verify=self._verify, **kwargs
            )
        except requests.exceptions.SSLError as exc:
            raise EngineError(f"OPA at {self.display_url}: TLS error: {_reason(exc)}") from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise EngineError(f"OPA at {self.display_url}: connection timed out") from exc
        except requests.exceptions.ReadTimeout as exc:
            raise EngineError(
                f"OPA at {self.display_url}: no answer within {self.timeout:g}s (--opa-timeout)"
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            if _lost_mid_request(exc):
                raise EngineError(
                    f"OPA at {self.display_url}: connection lost before an answer"
                ) from exc
            raise EngineError(f"OPA at {self.display_url}: cannot connect: {_reason(exc)}") from exc
        except requests.RequestException as exc:
            raise EngineError(f"OPA at {self.display_url}: request failed: {_reason(exc)}") from exc
        if not 200 <= response.status_code < 300:
            detail = _opa_error_text(response)
            if "server.decoding.max_length" in detail:
                detail += " (send smaller requests: --opa-max-request-bytes)"
            status = f"HTTP {response.status_code} on {method} {path}"
            raise EngineError(f"OPA at {self.display_url}: {status}{detail}")
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise EngineError(f"OPA at {self.display_url}: answer to {path} is not JSON") from exc
        if not isinstance(body, dict):
            raise EngineError(f"OPA at {self.display_url}: answer to {path} is not a JSON object")
        return body


def _opa_error_text(response: requests.Response) -> str:
    # OPA's error bodies carry a code, a message and, for evaluation errors, details.
    try:
        body = response.json()
    except ValueError:
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
