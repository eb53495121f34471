"""`GET /metrics`: Prometheus text, for a token with the `read` scope.

One scrape answers the request metrics counted as requests are served (service/metrics.py)
and figures gathered at scrape time: OPA's readiness and restarts from the warm engine,
compliance per scope and framework and the alert outbox from the state store
(app/metrics.py). A store that cannot be read does not fail the scrape: the answer holds
what does not need the store, with `opa_comply_store_up 0` (and one line in the log).
Labels stay low-cardinality: scope, framework, severity, status; never a resource.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from compliance_opa.app.metrics import FiguresCache, StoreFigures
from compliance_opa.service.context import service_of
from compliance_opa.service.engine import EngineStatus
from compliance_opa.service.metrics import REGISTRY
from compliance_opa.state.store import StateStore

log = logging.getLogger("opa_comply.serve")
_CACHE_LOCK = threading.Lock()


class ScrapeCollector(Collector):
    """Everything one scrape exposes: the request metrics of REGISTRY, then the figures
    read now from the engine and the state store."""

    def __init__(
        self,
        store: Callable[[], AbstractContextManager[StateStore]],
        engine_status: Callable[[], EngineStatus],
        cache: FiguresCache,
    ) -> None:
        self._store = store
        self._engine_status = engine_status
        self._cache = cache

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
        status = self._engine_status()
        up = GaugeMetricFamily("opa_comply_opa_up", "1 when the service's OPA is ready, else 0.")
        up.add_metric([], 1.0 if status.ready else 0.0)
        yield up
        restarts = CounterMetricFamily(
            "opa_comply_opa_restarts", "Times the service's OPA was restarted (or reconnected)."
        )
        restarts.add_metric([], float(status.restarts))
        yield restarts
        figures = self._figures()
        store_up = GaugeMetricFamily(
            "opa_comply_store_up", "1 when the state store answered this scrape, else 0."
        )
        store_up.add_metric([], 0.0 if figures is None else 1.0)
        yield store_up
        if figures is not None:
            yield from store_families(figures)

    def _figures(self) -> StoreFigures | None:
        try:
            with self._store() as store:
                return self._cache.read(store)
        except Exception as exc:
            log.warning("metrics: state store not read: %s", _one_line(exc))
            return None


def store_families(figures: StoreFigures) -> Iterator[Metric]:
    """The store's figures as metric families (no sample for a rate that is undefined:
    a framework with nothing assessed is not 0% nor 100% compliant)."""
    compliance = GaugeMetricFamily(
        "opa_comply_compliance_ratio",
        "Share of assessed automated controls that are compliant, latest complete scan.",
        labels=["scope", "framework"],
    )
    passing = GaugeMetricFamily(
        "opa_comply_evaluation_pass_ratio",
        "Share of evaluations (check x resource) that passed, latest complete scan.",
        labels=["scope", "framework"],
    )
    failing = GaugeMetricFamily(
        "opa_comply_failing_findings",
        "Failing findings (not waived) of the latest complete scan, by severity.",
        labels=["scope", "framework", "severity"],
    )
    finished = GaugeMetricFamily(
        "opa_comply_last_complete_scan_timestamp_seconds",
        "When the latest complete scan of the scope finished (Unix seconds).",
        labels=["scope"],
    )
    for scope in figures.scopes:
        if scope.finished_at is not None:
            finished.add_metric([scope.scope], scope.finished_at)
        for fw in scope.frameworks:
            if fw.compliance_ratio is not None:
                compliance.add_metric([scope.scope, fw.framework], fw.compliance_ratio)
            if fw.pass_ratio is not None:
                passing.add_metric([scope.scope, fw.framework], fw.pass_ratio)
            for severity, count in fw.failing.items():
                failing.add_metric([scope.scope, fw.framework, severity], float(count))
    outbox = GaugeMetricFamily(
        "opa_comply_alert_outbox", "Alerts in the outbox, by delivery status.", labels=["status"]
    )
    for status, count in figures.outbox.items():
        outbox.add_metric([status], float(count))
    yield from (compliance, passing, failing, finished, outbox)


def _cache_of(request: Request) -> FiguresCache:
    """The app's figures cache, made on the first scrape."""
    state = request.app.state
    with _CACHE_LOCK:
        cache: FiguresCache | None = getattr(state, "metrics_cache", None)
        if cache is None:
            cache = FiguresCache()
            state.metrics_cache = cache
        return cache


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:500]


async def metrics(request: Request) -> Response:
    service = service_of(request)
    service.caller(request, "read")
    collector = ScrapeCollector(service.store, service.engine.status, _cache_of(request))
    # Reading the store blocks: in a worker thread, which also owns its store connection.
    body = await run_in_threadpool(generate_latest, collector)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


ROUTES: list[BaseRoute] = [Route("/metrics", metrics, methods=["GET"])]
