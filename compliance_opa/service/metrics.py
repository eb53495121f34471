"""Prometheus metrics of the service, in a registry of its own (not the process-global one,
so two apps in one test process do not clash).

Request metrics are counted as requests are served; the compliance figures are read from
the state store at scrape time (service/store_metrics.py), so they are never stale and
cost nothing between scrapes. Labels are low-cardinality by design: endpoint, outcome,
scope, framework, severity, status; never a resource or a token.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

VALIDATION_REQUESTS = Counter(
    "opa_comply_validation_requests",
    "Validation API requests, by endpoint and outcome (ok, error).",
    ["endpoint", "outcome"],
    registry=REGISTRY,
)
VALIDATION_LATENCY = Histogram(
    "opa_comply_validation_seconds",
    "Time to answer a validation API request, by endpoint.",
    ["endpoint"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
