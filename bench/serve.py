"""`make bench`, the service: `POST /v1/validate` of one resource at a time against a real
`opa-comply serve` (managed OPA, SQLite store), 50 clients at once for 30 s, then one
client alone (the latency floor), with OPA's own time per query on the same inputs.

The load is closed-loop: each client (a thread with its own `requests.Session`, so its
connection is kept alive) sends its next request as soon as the last one is answered,
taking the bundled examples' resources in turn. Latency is measured by the client, from
sending to the whole answer read; an error is any answer but 200, or no answer. OPA's own
time comes from a separate OPA server with the same policies, sent exactly the request
bodies the service sends its OPA for those resources (recorded through the service's own
validation code), with `?metrics=true`. Results are written to BENCHMARKS.md, in its
"Validation service" section (bench/run.py keeps that section when it rewrites the rest).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

from bench import sections
from bench.run import OPA, REPO, SERVE_SECTION, WORK, _cpu, _memory_gib, _opa_server, _opa_version
from compliance_opa import __version__
from compliance_opa.app.validate import validate
from compliance_opa.engine.client import OpaClient
from compliance_opa.engine.selective import SelectiveEvaluator
from compliance_opa.service.auth import token_hash
from compliance_opa.support.jsonbytes import dumps

SERVE_WORK = WORK / "serve"
EXAMPLES = [
    *sorted((REPO / "examples").glob("*.json")),
    *sorted((REPO / "examples" / "compliant").glob("*.json")),
    *sorted((REPO / "examples" / "library").glob("*.json")),
]
TARGET_P50_MS, TARGET_P99_MS = 10.0, 50.0
_LISTENING = re.compile(r"listening on (http://[0-9.]+:\d+)")


@dataclass
class LoadRun:
    clients: int
    seconds: float  # measured wall time
    latencies: list[float] = field(default_factory=list)  # seconds, every request answered
    ok: int = 0  # answered 200
    errors: Counter[str] = field(default_factory=Counter)  # what went wrong, how often
    client_cpu: float = 0.0  # CPU seconds the load generator itself used
    server_count: float = 0.0  # the service's own histogram over the run
    server_sum: float = 0.0

    def percentile(self, p: int) -> float:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[p - 1] * 1000


@dataclass
class OpaTimes:
    handler_ms: list[float] = field(default_factory=list)  # OPA's whole handling of a query
    eval_ms: list[float] = field(default_factory=list)  # evaluating the query
    queries: int = 0  # distinct queries (each measured several times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--single-seconds", type=float, default=10.0)
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    SERVE_WORK.mkdir(parents=True, exist_ok=True)
    bodies = request_bodies()
    with _opa_server() as opa_url:
        opa = opa_times(opa_url, bodies)
    token = secrets.token_urlsafe(32)
    load_average = os.getloadavg()[0]  # other work on the machine counts against us
    with served(token) as url:
        load(url, token, bodies, args.clients, 3.0)  # warm-up, not counted
        crowd = load(url, token, bodies, args.clients, args.seconds)
        single = load(url, token, bodies, 1, args.single_seconds)
    for run in (crowd, single):
        print(f"{run.clients} clients: {run.ok / run.seconds:.0f} req/s, p50"
              f" {run.percentile(50):.1f} ms, p99 {run.percentile(99):.1f} ms,"
              f" errors {sum(run.errors.values())}", flush=True)  # fmt: skip
    section = markdown(crowd, single, opa, len(bodies), load_average)
    sections.update(args.output, sections.split(section))  # the other sections are kept
    print(f"wrote {args.output}")
    return 0


def request_bodies() -> list[bytes]:
    """One request body per resource of the bundled examples, in the inventory shape."""
    bodies = []
    for path in EXAMPLES:
        for item in json.loads(path.read_text())["resources"]:
            bodies.append(dumps({"resources": [item]}))
    return bodies


class _RecordingClient(OpaClient):
    """An OPA client that keeps every query it posts (path, parameters, body)."""

    def __init__(self, url: str) -> None:
        super().__init__(url, timeout=60)
        self.sent: list[tuple[str, dict[str, str], bytes]] = []

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        if method == "POST":
            self.sent.append((path, dict(kwargs.get("params") or {}), kwargs["data"]))
        return super()._request(method, path, **kwargs)


def opa_times(url: str, bodies: list[bytes], repeat: int = 20) -> OpaTimes:
    """OPA's own time for the queries the service sends it for these bodies (through the
    service's own evaluator): each query alone, on an otherwise idle OPA, from the
    metrics OPA returns."""
    client = _RecordingClient(url)
    evaluator = SelectiveEvaluator(client).verdicts_view()  # as the service validates
    client.sent.clear()  # what the evaluator asked once at start
    for body in bodies:
        validate(json.loads(body), evaluator)
    times = OpaTimes()
    with requests.Session() as session:
        for path, params, sent in client.sent:
            for attempt in range(repeat + 3):
                answer = session.post(
                    url + path,
                    params={**params, "metrics": "true"},
                    data=sent,
                    headers={"Content-Type": "application/json"},
                    timeout=60,
                )
                answer.raise_for_status()
                if attempt < 3:
                    continue  # warm-up
                metrics = answer.json()["metrics"]
                times.handler_ms.append(metrics["timer_server_handler_ns"] / 1e6)
                times.eval_ms.append(metrics.get("timer_rego_query_eval_ns", 0) / 1e6)
        times.queries = len(client.sent)
    return times


@contextmanager
def served(token: str) -> Iterator[str]:
    """`opa-comply serve` on a free loopback port with a fresh store; stopped by its id."""
    state = SERVE_WORK / "state.db"
    for stale in (state, state.with_name("state.db.lock")):
        stale.unlink(missing_ok=True)
    config = SERVE_WORK / "serve.yaml"
    tokens = [{"name": "bench", "sha256": token_hash(token), "scopes": ["read", "validate"]}]
    limits = {"per_second": 1_000_000, "burst": 1_000_000}  # measure the service, not its limit
    config.write_text(yaml.safe_dump({"serve": {"tokens": tokens, "rate_limit": limits}}))
    log = SERVE_WORK / "serve.log"
    env = {**os.environ, "OPA_BINARY": str(OPA)}
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_CA_BUNDLE"):
        env.pop(name, None)
    command = [sys.executable, "-m", "compliance_opa", "serve", "--config", str(config),
               "--port", "0", "--state", str(state), "--log-level", "warning"]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            found = _LISTENING.search(log.read_text(errors="replace"))
            if found:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench: serve did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield found.group(1)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def load(url: str, token: str, bodies: list[bytes], clients: int, seconds: float) -> LoadRun:
    """``clients`` closed-loop clients for ``seconds``; latencies of every answer."""
    run = LoadRun(clients, seconds)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    before = _server_histogram(url, headers)
    stop_at = 0.0

    def client(index: int) -> None:
        latencies: list[float] = []
        ok = 0
        errors: Counter[str] = Counter()
        with requests.Session() as session:
            turn = index * 7  # clients start on different resources
            start.wait()
            while time.perf_counter() < stop_at:
                body = bodies[turn % len(bodies)]
                turn += 1
                sent = time.perf_counter()
                try:
                    answer = session.post(
                        f"{url}/v1/validate", data=body, headers=headers, timeout=30
                    )
                    latencies.append(time.perf_counter() - sent)
                    if answer.status_code == 200:
                        ok += 1
                    else:
                        errors[f"HTTP {answer.status_code}"] += 1
                except requests.RequestException as exc:
                    errors[f"no answer ({type(exc).__name__})"] += 1
        with lock:
            run.latencies += latencies
            run.ok += ok
            run.errors.update(errors)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    stop_at = began + seconds
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    run.seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_SELF)
    run.client_cpu = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    count, total = _server_histogram(url, headers)
    run.server_count, run.server_sum = count - before[0], total - before[1]
    return run


def _server_histogram(url: str, headers: dict[str, str]) -> tuple[float, float]:
    """The service's own count and total seconds of validation requests (/metrics)."""
    text = requests.get(f"{url}/metrics", headers=headers, timeout=30).text
    count = total = 0.0
    for line in text.splitlines():
        if line.startswith('opa_comply_validation_seconds_count{endpoint="validate"}'):
            count = float(line.rsplit(" ", 1)[1])
        elif line.startswith('opa_comply_validation_seconds_sum{endpoint="validate"}'):
            total = float(line.rsplit(" ", 1)[1])
    return count, total


def markdown(
    crowd: LoadRun, single: LoadRun, opa: OpaTimes, resources: int, load_average: float
) -> str:
    cores = os.cpu_count()
    lines = [
        SERVE_SECTION,
        "",
        f"Written by `make bench` (bench/serve.py) on"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: opa-comply {__version__},"
        f" {_opa_version()}, {_cpu()}, {cores} cores, {_memory_gib():.0f} GiB.",
        "",
        "`POST /v1/validate`, one resource per request in the inventory shape, taken in turn"
        f" from the {resources} resources of the bundled examples, against `opa-comply serve`"
        " (managed OPA, SQLite store, decision log off, uvicorn's access log off). Closed"
        " loop: each client (a thread with its own keep-alive `requests.Session`) sends its"
        " next request as soon as the last is answered. The load generator runs on the same"
        " machine and shares its cores. Latency: the client's, from sending to the whole"
        f" answer read. The machine's 1-minute load average as the run began:"
        f" {load_average:.2f}.",
        "",
        "| clients | seconds | answered | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |"
        " server mean ms | load generator CPU |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in (crowd, single):
        server = run.server_sum / run.server_count * 1000 if run.server_count else float("nan")
        lines.append(
            f"| {run.clients} | {run.seconds:.0f} | {len(run.latencies)} |"
            f" {run.ok / run.seconds:.0f} | {run.percentile(50):.1f} |"
            f" {run.percentile(95):.1f} | {run.percentile(99):.1f} |"
            f" {max(run.latencies) * 1000:.1f} | {_errors(run)} | {server:.1f} |"
            f" {run.client_cpu / run.seconds:.0%} of a core |"
        )
    handler = statistics.median(opa.handler_ms)
    evaluation = statistics.median(opa.eval_ms)
    lines += [
        "",
        "`server mean`: the service's own histogram (`opa_comply_validation_seconds`), from"
        " reading the request to the answer ready.",
        "",
        "OPA's own time per query: the queries the service's evaluator sends its OPA for"
        f" these {resources} resources ({opa.queries} queries, each sent"
        f" {len(opa.handler_ms) // max(opa.queries, 1)} times alone to an idle OPA with the"
        f" same policies, `?metrics=true`): median {handler:.2f} ms in OPA's HTTP handler"
        f" (`timer_server_handler_ns`; p95 {_quantile(opa.handler_ms, 95):.2f} ms), of which"
        f" {evaluation:.2f} ms evaluating the query. At one client the service's median is"
        f" {single.percentile(50) - handler:.1f} ms above OPA's.",
        "",
        "### Targets (issue 19)",
        "",
        f"- p50 <= {TARGET_P50_MS:g} ms at {crowd.clients} clients: {crowd.percentile(50):.1f}"
        f" ms, {_verdict(crowd.percentile(50) <= TARGET_P50_MS)}.",
        f"- p99 <= {TARGET_P99_MS:g} ms at {crowd.clients} clients: {crowd.percentile(99):.1f}"
        f" ms, {_verdict(crowd.percentile(99) <= TARGET_P99_MS)}.",
        f"- Zero errors: {sum(crowd.errors.values()) + sum(single.errors.values())},"
        f" {_verdict(not crowd.errors and not single.errors)}.",
        f"- (Closed loop: {crowd.clients} clients each waiting on their answer make the"
        f" median latency about {crowd.clients} / throughput; a {TARGET_P50_MS:g} ms p50 at"
        f" {crowd.clients} clients needs about {crowd.clients / TARGET_P50_MS * 1000:.0f}"
        f" req/s on this machine, where one client alone gets a p50 of"
        f" {single.percentile(50):.1f} ms.)",
    ]
    return "\n".join(lines) + "\n"


def _errors(run: LoadRun) -> str:
    total = sum(run.errors.values())
    if not total:
        return "0"
    kinds = ", ".join(f"{kind} x{n}" for kind, n in run.errors.most_common() if n)
    return f"{total} ({kinds})"


def _quantile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


if __name__ == "__main__":
    raise SystemExit(main())
