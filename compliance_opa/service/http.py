"""HTTP plumbing of the service: shaped JSON errors, capped bodies, security headers.

Every error the service answers has one shape, whatever raised it:
`{"error": {"status": 413, "code": "body_too_large", "message": "..."}}`, and never a
traceback (an unexpected exception is logged as one line, answered as `internal`).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from compliance_opa.errors import ComplianceError, InputError

log = logging.getLogger("opa_comply.serve")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}

# Pages load only what we serve; no frame may hold them; no inline script or style.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


class ApiError(Exception):
    """An answer other than 2xx, with its status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(value), status_code=status, media_type="application/json", headers=headers
    )


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"status": status, "code": _CODES.get(status, "error"), "message": message}}
    return json_response(body, status, headers)


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
    return error_response(exc.status, exc.message, exc.headers)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    status = int(getattr(exc, "status_code", 500))
    detail = str(getattr(exc, "detail", "") or _CODES.get(status, "error"))
    return error_response(status, detail, getattr(exc, "headers", None))


async def on_compliance_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ComplianceError)  # noqa: S101 - registered for it only
    # Bad input is the caller's (400); anything else is OPA or the store (503).
    return error_response(400 if isinstance(exc, InputError) else 503, str(exc))


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes whether or not a
    Content-Length announced it (a chunked body is counted as it arrives)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit() or len(declared) > 19:
            raise ApiError(400, "Content-Length is not a number of bytes")
        if int(declared) > limit:
            raise ApiError(413, f"request body of {int(declared):,} bytes, over {limit:,}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"request body over {limit:,} bytes")
    return bytes(body)


def require_json(request: Request) -> None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ApiError(415, "expected Content-Type: application/json")


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task, unlike BaseHTTPMiddleware): adds the
    security headers to every answer, and no-store to all but our static assets.

    It is also where an unexpected exception stops: answered 500 (shaped) and logged as
    one line. Starlette's outermost ServerErrorMiddleware, after calling a handler
    registered for Exception, raises the exception again for the server to log, and
    uvicorn logs it with its traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.extend(SECURITY_HEADERS)
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:  # the last stop: one line, never a traceback
            log.error(
                "%s %s: unexpected %s",
                scope.get("method", ""),
                scope.get("path", ""),
                type(exc).__name__,
            )
            if not started:  # else the server closes the connection mid-answer
                response = error_response(500, "internal error (logged by the service)")
                await response(scope, receive, with_headers)
