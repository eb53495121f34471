"""`make bench`: opa-comply's scan against OPA's own floor and against checkov.

For each size, on this machine, in one run:
- end-to-end `opa-comply scan` wall time with the managed sidecar (what users run);
- the same scan against an OPA server already running, whose Python process is the only
  one measured for peak memory (wait4's ru_maxrss: no OPA child to count);
- the floor: that OPA server's own input parsing plus evaluation of the same query on the
  same input, from the metrics OPA returns (`?metrics=true`);
- on Terraform plans, checkov with the equivalent checks, when installed
  (scripts/install-checkov.sh), with both finding counts.
Medians over repeated runs; results written to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench import sections
from bench.generate import inventory, plan
from compliance_opa import __version__
from compliance_opa.inventory.load import load_inventories, opa_input

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".bench"
OPA = Path(os.environ.get("OPA_BINARY", REPO / ".tools" / "bin" / "opa"))
CHECKOV_VENV = WORK / "checkov-venv"
# Our checks that checkov also has (bench/checkov_runner.py holds the pairs).
SEED = 20261123
SERVE_SECTION = "## Validation service"  # written by bench/serve.py, kept here


@dataclass
class Row:
    kind: str  # inventory | plan
    size: int
    input_bytes: int
    e2e: list[float] = field(default_factory=list)  # managed sidecar, seconds
    warm: list[float] = field(default_factory=list)  # running OPA, seconds
    floor: list[float] = field(default_factory=list)  # OPA parse + eval, seconds
    peak_rss: list[int] = field(default_factory=list)  # bytes, our Python process
    findings: int = 0
    checkov: list[float] = field(default_factory=list)
    checkov_failed: int | None = None
    ours_equivalent_failed: int | None = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inventories", default="1000,10000,100000")
    parser.add_argument("--plans", default="100,1000,5000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--checkov-max",
        type=int,
        default=5000,
        help="the largest plan checkov is run on (20000 takes it about 40 minutes)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    rows: list[Row] = []
    with _opa_server() as url:
        for size in _sizes(args.inventories):
            rows.append(_measure("inventory", size, inventory, url, args.repeat))
        for size in _sizes(args.plans):
            rows.append(_measure("plan", size, plan, url, args.repeat, args.checkov_max))
    # The other scripts' sections (the service, start-up, the floor...) are kept.
    sections.update(args.output, sections.split(_markdown(rows, args.repeat)))
    print(f"wrote {args.output}")
    return 0


def _sizes(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def _measure(
    kind: str,
    size: int,
    make: Callable[[int, int], dict[str, Any]],
    url: str,
    repeat: int,
    checkov_max: int = 0,
) -> Row:
    path = WORK / f"{kind}-{size}.json"
    if not path.exists():
        document = make(size, SEED)
        if kind == "plan":
            document = _with_planned_values(document)
        path.write_text(json.dumps(document))
    row = Row(kind, size, path.stat().st_size)
    body = json.dumps({"input": opa_input(load_inventories([path], 1 << 30))}).encode()
    for _ in range(repeat if size <= 10_000 else 1):  # the largest once: minutes matter
        row.e2e.append(_scan(path, None)[0])
        seconds, rss, findings = _scan(path, url)
        row.warm.append(seconds)
        row.peak_rss.append(rss)
        row.findings = findings
        row.floor.append(_floor(url, body))
    if kind == "plan" and size <= checkov_max and (CHECKOV_VENV / "bin" / "checkov").exists():
        _checkov(row, path, repeat)
    print(f"{kind} {size}: e2e {statistics.median(row.e2e):.2f} s, floor"
          f" {statistics.median(row.floor):.2f} s", flush=True)  # fmt: skip
    return row


def _with_planned_values(document: dict[str, Any]) -> dict[str, Any]:
    """checkov reads a plan's planned_values, our adapter its resource_changes: give the
    plan both, from the same values, so the two tools judge the same resources."""
    if "planned_values" in document:
        return document
    modules: dict[str, list[dict[str, Any]]] = {}
    for change in document.get("resource_changes", []):
        if "delete" in change["change"]["actions"] or change.get("mode") == "data":
            continue
        entry = {k: change[k] for k in ("address", "mode", "type", "name") if k in change}
        if "index" in change:
            entry["index"] = change["index"]
        entry["provider_name"] = change.get("provider_name", "registry.terraform.io/hashicorp/aws")
        entry["values"] = change["change"].get("after") or {}
        modules.setdefault(change.get("module_address", ""), []).append(entry)
    root: dict[str, Any] = {"resources": modules.pop("", [])}
    root["child_modules"] = [
        {"address": address, "resources": resources} for address, resources in modules.items()
    ]
    return {**document, "planned_values": {"root_module": root}}


def _scan(path: Path, url: str | None) -> tuple[float, int, int]:
    out = WORK / "report.json"
    command = [sys.executable, "-m", "compliance_opa", "scan", str(path), "--format", "json",
               "--output", str(out), "--fail-on", "none", "--no-state", "--max-input-bytes",
               str(1 << 30), "--quiet"]  # fmt: skip
    if url:
        command += ["--opa-url", url]
    env = {**os.environ, "OPA_BINARY": str(OPA)}
    env.pop("OPA_URL", None)
    # GNU time forks the scan from a small process: a child forked from this one would
    # report this process's own peak (the input kept for the floor) as its own.
    peak_file = WORK / "peak-kib.txt"
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), *command],
        cwd=REPO, env=env, stderr=subprocess.PIPE, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: scan of {path} failed: {done.stderr.decode().strip()}")
    report = json.loads(out.read_text())
    peak = int(peak_file.read_text().split()[-1]) * 1024
    return seconds, peak, len(report["findings"])


def _floor(url: str, body: bytes) -> float:
    """OPA's own input parsing and evaluation of the query, from its metrics."""
    response = requests.post(
        f"{url}/v1/data/scan/report?metrics=true",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=3600,
    )
    response.raise_for_status()
    metrics = response.json()["metrics"]
    nanos = metrics.get("timer_rego_input_parse_ns", 0) + metrics["timer_rego_query_eval_ns"]
    return float(nanos) / 1e9


def _checkov(row: Row, path: Path, repeat: int) -> None:
    from bench.checkov_runner import EQUIVALENT_CHECKS, run_checkov

    for _ in range(repeat if row.size <= 1000 else 1):  # checkov is slow: once when large
        result = run_checkov(path, CHECKOV_VENV)
        row.checkov.append(result.seconds)
        row.checkov_failed = result.failed
    report = json.loads((WORK / "report.json").read_text())
    ours = {check for check, _ in EQUIVALENT_CHECKS}
    row.ours_equivalent_failed = sum(
        1 for f in report["findings"] if f["status"] == "fail" and f["check_id"] in ours
    )


class _opa_server:
    """`opa run --server` on a free loopback port with the bundled policies."""

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [str(OPA), "run", "--server", f"--addr=127.0.0.1:{port}", "--log-level=error",
             str(REPO / "policies")],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/health?bundles", timeout=1).ok:
                    return url
            except requests.RequestException:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit("bench: OPA did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _markdown(rows: list[Row], repeat: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."
        f" Medians over {repeat} runs up to 10k resources, one run above (checkov: one run"
        " above 1k).",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {_cpu()}, {os.cpu_count()} cores; memory {_memory_gib():.0f} GiB",
        f"- Python {platform.python_version()}, opa-comply {__version__}, {_opa_version()},"
        f" checkov {_checkov_version()}",
        "",
        "## Scans",
        "",
        "`e2e`: `opa-comply scan` with the managed sidecar (start, load, validate, evaluate"
        " in chunks on every core, report). `warm`: the same against a running OPA."
        " `floor`: that OPA's own input parsing plus evaluation of the whole input in one"
        " query (its metrics). `peak`: our Python process's peak RSS.",
        "",
        "| input | resources | size | e2e s | warm s | floor s | e2e/floor | warm/floor |"
        " peak MiB | peak/size | findings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        e2e, warm, floor = _median(r.e2e), _median(r.warm), _median(r.floor)
        peak = statistics.median(r.peak_rss)
        lines.append(
            f"| {r.kind} | {r.size} | {r.input_bytes / 2**20:.1f} MiB | {e2e:.2f} | {warm:.2f}"
            f" | {floor:.2f} | {e2e / floor:.1f}x | {warm / floor:.1f}x | {peak / 2**20:.0f}"
            f" | {peak / r.input_bytes:.1f}x | {r.findings} |"
        )
    lines += ["", "## Growth (ten times the resources)", ""]
    for kind in ("inventory", "plan"):
        ordered = sorted((r for r in rows if r.kind == kind), key=lambda r: r.size)
        for small, big in itertools.pairwise(ordered):
            factor = big.size / small.size
            growth = _median(big.e2e) / _median(small.e2e)
            lines.append(
                f"- {kind} {small.size} → {big.size} ({factor:g}x resources): e2e time"
                f" {growth:.1f}x"
            )
    lines += ["", "## Targets", ""]
    lines += _targets(rows)
    checked = [r for r in rows if r.checkov]
    lines += ["", "## Against checkov (Terraform plans, equivalent checks)", ""]
    if not checked:
        lines.append("checkov not installed (scripts/install-checkov.sh): no comparison run.")
    else:
        lines += [
            "| resources | opa-comply e2e s | checkov s | checkov/opa-comply |"
            " our failures | checkov failures |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for r in checked:
            ours, theirs = _median(r.e2e), _median(r.checkov)
            lines.append(
                f"| {r.size} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.0f}x |"
                f" {r.ours_equivalent_failed} | {r.checkov_failed} |"
            )
    return "\n".join(lines) + "\n"


def _targets(rows: list[Row]) -> list[str]:
    """Each target of the benchmark issue, judged on this run's numbers."""
    lines: list[str] = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    largest = max((r for r in rows if r.kind == "inventory"), key=lambda r: r.size, default=None)
    if largest is not None:
        ratio = _median(largest.e2e) / _median(largest.floor)
        lines.append(
            f"- End-to-end scan of {largest.size} resources within 1.3x of OPA's floor:"
            f" {ratio:.2f}x, {verdict(ratio <= 1.3)}."
        )
    for size, factor in ((5000, 25), (20000, 100)):
        row = next((r for r in rows if r.kind == "plan" and r.size == size and r.checkov), None)
        if row is None:
            lines.append(f"- At least {factor}x faster than checkov at {size}: not measured"
                         " in this run (checkov at 20000 resources takes about 40 minutes:"
                         " `make bench FULL=1`).")  # fmt: skip
            continue
        ratio = _median(row.checkov) / _median(row.e2e)
        lines.append(
            f"- At least {factor}x faster than checkov at {size} resources: {ratio:.0f}x,"
            f" {verdict(ratio >= factor)}."
        )
    for kind in ("inventory", "plan"):
        ordered = sorted((r for r in rows if r.kind == kind), key=lambda r: r.size)
        for small, big in itertools.pairwise(ordered):
            if big.size == 10 * small.size:
                growth = _median(big.e2e) / _median(small.e2e)
                lines.append(
                    f"- {kind} {small.size} → {big.size} in at most 11x the time:"
                    f" {growth:.1f}x, {verdict(growth <= 11)}."
                )
    # What any scan costs (interpreter, libraries, compiled validators): the peak of the
    # smallest input. An input under a third of it cannot be scanned within 3x its size.
    smallest = min(rows, key=lambda r: r.input_bytes)
    fixed = statistics.median(smallest.peak_rss)
    for r in (r for r in rows if r.input_bytes >= 10 * 2**20):
        peak = statistics.median(r.peak_rss)
        ratio = peak / r.input_bytes
        beyond = f"above the fixed cost {(peak - fixed) / r.input_bytes:.1f}x"
        if ratio > 3 and 3 * r.input_bytes < fixed:
            beyond += ", and 3x the input is less than the fixed cost alone"
        lines.append(
            f"- Peak memory at most 3x the input's size ({r.kind} {r.size},"
            f" {r.input_bytes / 2**20:.0f} MiB): {ratio:.1f}x, {verdict(ratio <= 3)}"
            f" ({beyond})."
        )
    lines.append(
        f"- (Fixed cost: {fixed / 2**20:.0f} MiB, the peak of the smallest scan,"
        f" {smallest.kind} {smallest.size}.)"
    )
    return lines


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return int(line.split()[1]) / 2**20
    return 0.0


def _opa_version() -> str:
    out = subprocess.run([str(OPA), "version"], capture_output=True, text=True, check=False)
    first = out.stdout.splitlines()[0] if out.stdout else "unknown"
    return f"OPA {first.removeprefix('Version: ')}"


def _checkov_version() -> str:
    binary = CHECKOV_VENV / "bin" / "checkov"
    if not binary.exists():
        return "not installed"
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
