"""The compliance dashboard: server-rendered pages over the app layer's reads.

Every page but the login form needs a token with the `read` scope, as a bearer header or
the HttpOnly cookie the login form sets. A browser without one is sent to the form (303);
an API client gets the shaped 401. Pages are Jinja2 with autoescaping (service/pages.py):
names, messages and attributes from the estate are text, never markup. Filters are GET
query parameters, so every view is a link and works without JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from compliance_opa.app import dashboard as reads
from compliance_opa.app.dashboard import Filters, NotFound
from compliance_opa.domain.data_map import CLASSES
from compliance_opa.domain.findings import FRAMEWORK_NAMES, FRAMEWORKS
from compliance_opa.domain.trends import Series
from compliance_opa.errors import ComplianceError, InputError
from compliance_opa.reports import FILE_NAMES, MEDIA_TYPES
from compliance_opa.service.auth import COOKIE, MAX_TOKEN_CHARS, identify
from compliance_opa.service.charts import Chart, rate_chart
from compliance_opa.service.context import Service, service_of
from compliance_opa.service.http import ApiError, error_response, read_body
from compliance_opa.service.pages import STATIC, page

MAX_LOGIN_BODY = 4096
_ALERTS_SHOWN = 500  # the newest; the outbox itself is read no further
_FRAMEWORK_CSS = {f: f"c{i}" for i, f in enumerate(FRAMEWORKS)}

Handler = Callable[[Request, Service], Response]


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _error_page(request: Request, status: int, message: str) -> Response:
    if not _wants_html(request):
        return error_response(status, message)
    return page(request, "error.html", status=status, status_code=status, message=message)


def reader_page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A page for a `read` token: a browser without one goes to the login form; the
    store is read in a worker thread (its connection is per thread)."""

    async def endpoint(request: Request) -> Response:
        service = service_of(request)
        try:
            service.caller(request, "read")
        except ApiError:
            if "authorization" not in request.headers and _wants_html(request):
                return RedirectResponse(_login_url(request), status_code=303)
            raise
        try:
            return await run_in_threadpool(handler, request, service)
        except NotFound as exc:
            return _error_page(request, 404, str(exc))
        except InputError as exc:
            return _error_page(request, 400, str(exc))
        except ComplianceError as exc:
            return _error_page(request, 503, str(exc))

    return endpoint


def _login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login" if target == "/" else f"/login?{_query(next=target)}"


def _query(**params: str | None) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def _safe_next(target: str | None) -> str:
    """Where to go after login: a path of ours only (no scheme, no host, no `//`)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\t"):
        return "/"
    return target[:2048]


# --- login ---------------------------------------------------------------------------


def _same_site(request: Request, service: Service) -> bool:
    """A form post from our own pages, on top of the SameSite=Strict cookie. Browsers
    say where a request comes from in Sec-Fetch-Site; with our no-referrer policy their
    Origin is `null`, so it decides only when Sec-Fetch-Site is absent (older browsers),
    and must then name us."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser: a browser's cross-site post carries Origin
    own = {f"{request.url.scheme}://{request.headers.get('host', '')}"}
    if service.settings.public_url:
        public = urlsplit(service.settings.public_url)
        own.add(f"{public.scheme}://{public.netloc}")
    return origin in own


async def login_form(request: Request) -> Response:
    return _login_page(request, None, 200, request.query_params.get("next"))


def _login_page(
    request: Request, error: str | None, status: int, target: str | None = None
) -> Response:
    shown = _safe_next(target)  # kept through a failed attempt
    return page(request, "login.html", status=status, error=error, next_url=shown)


async def login(request: Request) -> Response:
    service = service_of(request)
    if not _same_site(request, service):
        return _login_page(request, "refused: the form was posted from another site", 403)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return _login_page(request, "expected a form", 415)
    raw = await read_body(request, MAX_LOGIN_BODY)
    try:
        form = parse_qs(raw.decode("utf-8", "replace"), max_num_fields=4)
    except ValueError:  # more fields than a login form has
        return _login_page(request, "not a login form", 400)
    token = (form.get("token") or [""])[0].strip()
    target = (form.get("next") or [""])[0]
    spec = identify(token, service.settings.tokens) if 0 < len(token) <= MAX_TOKEN_CHARS else None
    if spec is None:
        return _login_page(request, "unknown token", 401, target)
    if "read" not in spec.scopes:
        return _login_page(request, "this token lacks the read scope", 403, target)
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
    )
    return response


async def logout(request: Request) -> Response:
    if not _same_site(request, service_of(request)):
        return _error_page(request, 403, "refused: the form was posted from another site")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- pages ---------------------------------------------------------------------------


def _filters(request: Request) -> Filters:
    def given(name: str) -> str | None:
        value = request.query_params.get(name, "").strip()
        return value[:500] or None

    return Filters(scope=given("scope"), framework=given("framework"), severity=given("severity"))


def _int_param(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name, "")
    if not value:
        return default
    if not value.isdigit() or len(value) > 6:
        raise InputError(f"{name}: expected a whole number")
    return int(value)


def _common(request: Request, filters: Filters) -> dict[str, Any]:
    return {
        "filters": filters,
        "framework_names": FRAMEWORK_NAMES,
        "frameworks": FRAMEWORKS,
        "severities": reads.SEVERITIES,
    }


def _trend_charts(series: list[Series], first: Any, last: Any, threshold: float) -> list[Chart]:
    """One chart per scope and framework: its control rate and its pass rate."""
    charts = []
    for s in series:
        where = "every scope" if s.scope == "" else s.scope
        charts.append(
            rate_chart(
                f"{FRAMEWORK_NAMES.get(s.framework, s.framework)}, {where}",
                [
                    (
                        "control rate",
                        "control",
                        [(p.day, p.standing.control_rate) for p in s.points],
                    ),
                    ("pass rate", "pass", [(p.day, p.standing.pass_rate) for p in s.points]),
                ],
                first,
                last,
                threshold,
            )
        )
    return charts


def overview(request: Request, service: Service) -> Response:
    filters = _filters(request)
    with service.store() as store:
        view = reads.overview(store, service.threshold, filters)
    t = view.trends
    chart = rate_chart(
        "Evaluation pass rate per framework, every chosen scope",
        [
            (FRAMEWORK_NAMES[s.framework], _FRAMEWORK_CSS[s.framework],
             [(p.day, p.standing.pass_rate) for p in s.points])
            for s in t.series
        ],
        t.first,
        t.last,
        view.threshold,
    )  # fmt: skip
    return page(request, "overview.html", view=view, chart=chart, **_common(request, filters))


def trends(request: Request, service: Service) -> Response:
    filters = _filters(request)
    days = _int_param(request, "days", 30)
    with service.store() as store:
        view = reads.trends(store, filters, days)
        scopes = reads.scan_history(store, Filters(), 1).scopes
    # One scope chosen: its own series say it all ("every chosen scope" repeats them).
    series = [s for s in view.series if not (filters.scope and s.scope == "")]
    threshold = service.threshold if service.threshold is not None else reads.DEFAULT_THRESHOLD
    charts = _trend_charts(series, view.first, view.last, threshold)
    return page(
        request, "trends.html", view=view, charts=charts, days=days, scopes=scopes,
        **_common(request, filters),
    )  # fmt: skip


def framework(request: Request, service: Service) -> Response:
    filters = _filters(request)
    name = request.path_params["framework"]
    with service.store() as store:
        standing = reads.framework_page(store, service.threshold, name, filters)
        scopes = reads.scan_history(store, Filters(), 1).scopes
    return page(
        request, "framework.html", standing=standing, scopes=scopes, **_common(request, filters)
    )


def control(request: Request, service: Service) -> Response:
    filters = _filters(request)
    with service.store() as store:
        view = reads.control_page(
            store,
            service.threshold,
            request.path_params["framework"],
            request.path_params["control"],
            filters,
        )
        scopes = reads.scan_history(store, Filters(), 1).scopes
    return page(request, "control.html", view=view, scopes=scopes, **_common(request, filters))


def resource(request: Request, service: Service) -> Response:
    filters = _filters(request)
    address = request.query_params.get("address", "")
    if not address or len(address) > 4096:
        raise InputError("address: give the resource's address")
    with service.store() as store:
        view = reads.resource_page(store, address, filters)
    # As text, escaped by the template like any other: markup in a value stays text.
    shown = json.dumps(view.attributes, indent=2, ensure_ascii=False, default=str)
    return page(
        request, "resource.html", view=view, attributes_text=shown, **_common(request, filters)
    )


def scans(request: Request, service: Service) -> Response:
    filters = _filters(request)
    with service.store() as store:
        view = reads.scan_history(store, filters, _int_param(request, "page", 1))
    return page(request, "scans.html", view=view, **_common(request, filters))


def scan(request: Request, service: Service) -> Response:
    filters = _filters(request)
    with service.store() as store:
        view = reads.scan_page(store, service.threshold, request.path_params["scan_id"], filters)
    return page(request, "scan.html", view=view, **_common(request, filters))


def scan_report(request: Request, service: Service) -> Response:
    scan_id, fmt = request.path_params["scan_id"], request.path_params["format"]
    with service.store() as store:
        text = reads.scan_report(store, service.threshold, scan_id, fmt)
    safe_id = "".join(c for c in scan_id if c.isalnum() or c == "-")[:64]
    stem, dot, suffix = FILE_NAMES[fmt].partition(".")
    name = f"{stem}-{safe_id}{dot}{suffix}"  # opa-comply-<id>.json, data-map-<id>.md
    return Response(
        text,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def data_map(request: Request, service: Service) -> Response:
    filters = Filters(scope=_filters(request).scope)  # the map has no framework or severity
    with service.store() as store:
        view = reads.data_map_page(store, filters)
    return page(request, "data_map.html", view=view, classes=CLASSES, filters=filters)


def alerts(request: Request, service: Service) -> Response:
    status = request.query_params.get("status") or None
    with service.store() as store:
        rows = reads.alerts(store, status, newest=_ALERTS_SHOWN + 1)
    return page(
        request, "alerts.html", rows=rows[:_ALERTS_SHOWN], more=len(rows) > _ALERTS_SHOWN,
        chosen=status, statuses=reads.ALERT_STATUSES,
    )  # fmt: skip


ROUTES: list[BaseRoute] = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/", reader_page(overview), methods=["GET"]),
    Route("/trends", reader_page(trends), methods=["GET"]),
    Route("/frameworks/{framework}", reader_page(framework), methods=["GET"]),
    Route("/frameworks/{framework}/controls/{control:path}", reader_page(control), methods=["GET"]),
    Route("/resources", reader_page(resource), methods=["GET"]),
    Route("/scans", reader_page(scans), methods=["GET"]),
    Route("/scans/{scan_id}", reader_page(scan), methods=["GET"]),
    Route("/scans/{scan_id}/report/{format}", reader_page(scan_report), methods=["GET"]),
    Route("/data-map", reader_page(data_map), methods=["GET"]),
    Route("/alerts", reader_page(alerts), methods=["GET"]),
    *STATIC,
]
