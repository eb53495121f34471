"""The ASGI app: routes, error handlers, security headers, start and stop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from compliance_opa.errors import ComplianceError
from compliance_opa.service import api, dashboard, openapi, run_task, store_metrics
from compliance_opa.service.context import Service, service_of
from compliance_opa.service.http import (
    ApiError,
    SecurityHeaders,
    json_response,
    on_api_error,
    on_compliance_error,
    on_http_exception,
)


async def healthz(request: Request) -> Response:
    return json_response({"status": "live"})


async def ready(request: Request) -> Response:
    status = service_of(request).engine.status()
    body = {"ready": status.ready, "opa_restarts": status.restarts}
    return json_response(body, 200 if status.ready else 503)


async def openapi_document(request: Request) -> Response:
    service_of(request).caller(request, "read")
    return json_response(openapi.document())


CORE_ROUTES: list[BaseRoute] = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/healthz/ready", ready, methods=["GET"]),
    Route("/v1/openapi.json", openapi_document, methods=["GET"]),
    Route("/v1/validate", api.post_validate, methods=["POST"]),
    Route("/v1/plans", api.post_plan, methods=["POST"]),
]


def create_app(service: Service) -> Starlette:
    """The app over a Service whose engine is already started; stopping the app (the end
    of uvicorn's graceful shutdown, after in-flight requests) stops the background work
    and then OPA."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        workers = run_task.start_workers(service)
        try:
            yield
        finally:
            workers.stop()
            service.engine.stop()
            service.stores.close()

    app = Starlette(
        routes=[*CORE_ROUTES, *run_task.ROUTES, *store_metrics.ROUTES, *dashboard.ROUTES],
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            ApiError: on_api_error,
            HTTPException: on_http_exception,
            ComplianceError: on_compliance_error,
        },
        lifespan=lifespan,
    )
    app.state.service = service
    return app
