"""`python -m bench.floor`: OPA's own cost of the policies, before and after, in one run.

The floor is what bench/run.py calls it: a running `opa run --server`'s own input parsing
plus evaluation of `data.scan.report` on the whole input in one query, from the metrics
OPA returns (`?metrics=true`). Measured here, on this machine and in this run, for:

- BEFORE: the policies of git rev f211ab6 (`git archive`, extracted under .bench/), the
  tree the policy-floor work (issue 18, point 3) started from: the same set of checks;
- AFTER: the working tree's policies;

on the 10k and 100k generated inventories (bench/generate.py, bench/run.py's seed; the
files are kept under .bench/), median of a few alternating runs at 10k and one at 100k.
Beside each floor: the number of checks and resources and the cost per check evaluation,
floor / (checks x resources), and how it scales with a fraction of the checks loaded.
The two policy sets must give the same report on the 10k inventory, or the bench fails.
Written to BENCHMARKS.md as the "## Policy floor" section (the others are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench import sections
from bench.generate import inventory
from bench.run import OPA, REPO, SEED, WORK, _cpu, _memory_gib, _opa_version
from compliance_opa.inventory.load import load_inventories, opa_input

BASELINE_REV = "f211ab6"  # the policies before the floor work (issue 18, point 3)
HEADING = "Policy floor"
TARGET = 2.0  # issue 18: cost per check evaluation on 100k at least 2x lower


@dataclass
class Floor:
    label: str
    checks: int
    resources: int
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the OPA process's CPU seconds per query

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def per_check_ns(self) -> float:
        """OPA's cost per check evaluation: floor / (checks x resources), in ns."""
        return self.median * 1e9 / (self.checks * self.resources)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000, help="0 to skip")
    parser.add_argument("--repeat", type=int, default=3, help="runs at the small size")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    before, after = _baseline_policies(), REPO / "policies"
    fractions = _fractions(after)
    load_average = _load_average()
    small = _body(args.small)
    rows: dict[tuple[str, int], Floor] = {}
    with _server(before) as old, _server(after) as new:
        reports = {}
        for label, url in (("before", old), ("after", new)):
            report = _query(url, small)[1]  # a warm-up run, not counted; gives the report
            reports[label] = report
            row = Floor(label, len(report["checks"]), args.small)
            rows[label, args.small] = row
        _same_report(reports["before"], reports["after"], args.small)
        evaluating = sum(1 for c in reports["after"]["checks"] if c["evaluated"])
        for _ in range(args.repeat):  # alternating, so load on the machine hits both
            for label, url in (("before", old), ("after", new)):
                seconds, _, cpu = _query(url, small)
                rows[label, args.small].seconds.append(seconds)
                rows[label, args.small].cpu.append(cpu)
                print(f"{label} {args.small}: {rows[label, args.small].seconds[-1]:.2f} s",
                      flush=True)  # fmt: skip
        del small
        if args.large:
            large = _body(args.large)
            for label, url in (("before", old), ("after", new)):
                seconds, report, cpu = _query(url, large)
                rows[label, args.large] = Floor(label, len(report["checks"]), args.large)
                rows[label, args.large].seconds.append(seconds)
                rows[label, args.large].cpu.append(cpu)
                print(f"{label} {args.large}: {seconds:.2f} s", flush=True)
                del report
            del large
    scaling = _scaling(fractions, args.small, args.repeat)
    text = _markdown(rows, scaling, args, evaluating, load_average)
    sections.update(args.output, sections.split(text))
    print(f"wrote {args.output}")
    for (label, size), row in rows.items():
        print(f"{label} {size}: floor {row.median:.2f} s, {row.per_check_ns:.1f} ns per check"
              " evaluation")  # fmt: skip
    return 0


def _baseline_policies() -> Path:
    """The policies at BASELINE_REV, extracted from git (the same set of checks)."""
    target = WORK / f"policies-{BASELINE_REV}"
    if not (target / "policies" / "scan.rego").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", BASELINE_REV, "policies"], cwd=REPO,
                                 capture_output=True, check=False)  # fmt: skip
        if archive.returncode != 0:
            raise SystemExit(f"bench.floor: git archive {BASELINE_REV} failed:"
                             f" {archive.stderr.decode().strip()}")  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "policies"


def _fractions(policies: Path) -> list[tuple[float, Path, int]]:
    """Copies of the working tree's policies keeping every 2nd and every 4th check (the
    library, scan, frameworks and config whole), to see the cost per check evaluation as
    checks are added: (fraction, policy directory, checks kept)."""
    checks = sorted(p for p in (policies / "checks").rglob("*.rego"))
    out: list[tuple[float, Path, int]] = []
    for step in (4, 2):
        target = WORK / f"policies-every-{step}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(policies, target, ignore=shutil.ignore_patterns("checks"))
        kept = checks[::step]
        for path in kept:
            destination = target / path.relative_to(policies)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        out.append((len(kept) / len(checks), target, len(kept)))
    return out


def _scaling(fractions: list[tuple[float, Path, int]], size: int, repeat: int) -> list[Floor]:
    body = _body(size)
    rows = []
    for fraction, policies, _ in fractions:
        with _server(policies) as url:
            report = _query(url, body)[1]  # a warm-up run, not counted
            row = Floor(f"{fraction:.0%} of the checks", len(report["checks"]), size)
            for _ in range(repeat):
                seconds, _, cpu = _query(url, body)
                row.seconds.append(seconds)
                row.cpu.append(cpu)
        print(f"{row.label}: {row.median:.2f} s", flush=True)
        rows.append(row)
    return rows


def _body(size: int) -> bytes:
    """The request body for the inventory of ``size`` resources, as bench/run.py sends it."""
    path = WORK / f"inventory-{size}.json"
    if not path.exists():
        path.write_text(json.dumps(inventory(size, SEED)))
    return json.dumps({"input": opa_input(load_inventories([path], 1 << 30))}).encode()


def _query(url: str, body: bytes) -> tuple[float, dict[str, Any], float]:
    """OPA's own input parsing plus evaluation of data.scan.report (bench/run.py's floor),
    the report, and the CPU seconds the OPA process spent answering (less sensitive than
    the floor to other work on the machine, but also counting the request's JSON reading
    and the answer's writing)."""
    before = _cpu_seconds(_PIDS[url])
    response = requests.post(
        f"{url}/v1/data/scan/report?metrics=true",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=3600,
    )
    response.raise_for_status()
    answer = response.json()
    metrics = answer["metrics"]
    nanos = metrics.get("timer_rego_input_parse_ns", 0) + metrics["timer_rego_query_eval_ns"]
    return float(nanos) / 1e9, answer["result"], _cpu_seconds(_PIDS[url]) - before


_PIDS: dict[str, int] = {}  # server URL -> its OPA process


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _same_report(before: dict[str, Any], after: dict[str, Any], size: int) -> None:
    """The optimised policies must judge exactly as the baseline: fail loudly if not."""
    if json.dumps(before, sort_keys=True) == json.dumps(after, sort_keys=True):
        return
    old = {c["package"]: c for c in before["checks"]}
    new = {c["package"]: c for c in after["checks"]}
    differing = sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
    other = [k for k in before.keys() | after.keys() if k != "checks" and
             before.get(k) != after.get(k)]  # fmt: skip
    raise SystemExit(
        f"bench.floor: the policies before ({BASELINE_REV}) and after give different reports"
        f" on the {size}-resource inventory: checks {differing[:10]}"
        f"{' ...' if len(differing) > 10 else ''}, other keys {other}"
    )


@contextmanager
def _server(policies: Path) -> Iterator[str]:
    """`opa run --server` on a free loopback port with ``policies``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [str(OPA), "run", "--server", f"--addr=127.0.0.1:{port}", "--log-level=error",
         str(policies)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"bench.floor: OPA did not start with {policies}")
            time.sleep(0.1)
        _PIDS[url] = process.pid
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _markdown(
    rows: dict[tuple[str, int], Floor],
    scaling: list[Floor],
    args: argparse.Namespace,
    evaluating: int,
    load_average: float,
) -> str:
    sizes = sorted({size for _, size in rows})
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        f"Written by `python -m bench.floor` on {when}:"
        f" {_opa_version()}, {_cpu()}, {_cpu_count()} cores, {_memory_gib():.0f} GiB; the"
        f" machine's 1-minute load average as the run began: {load_average:.2f}.",
        "",
        "OPA's own input parsing plus evaluation of `data.scan.report` on the whole"
        " inventory in one query (`timer_rego_input_parse_ns + timer_rego_query_eval_ns`"
        " from `?metrics=true`, a running `opa run --server`: bench/run.py's floor), for the"
        f" policies of git rev {BASELINE_REV} (before) and the working tree's (after), in one"
        f" run on this machine. Median of {args.repeat} alternating runs at {args.small}"
        " resources (after one warm-up run each), one run above. Both give the same report"
        f" on the {args.small}-resource inventory (checked; the bench fails otherwise).",
        "",
        "`per check evaluation`: floor / (checks x resources), the cost that has to stay"
        " flat as checks are added. Of the checks, "
        f"{evaluating} judge at least one resource of these inventories;"
        " the others cost only their selection of no resources. `OPA CPU s`: the OPA"
        " process's user plus system CPU time for the same queries (also counting reading"
        " the request and writing the answer), less sensitive than the floor to other work"
        " on the machine.",
        "",
        "| policies | resources | checks | floor s | per check evaluation ns | OPA CPU s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        for label in ("before", "after"):
            row = rows.get((label, size))
            if row:
                lines.append(f"| {label} | {size} | {row.checks} | {row.median:.2f} |"
                             f" {row.per_check_ns:.1f} | {row.cpu_median:.2f} |")  # fmt: skip
    lines += ["", "### Targets (issue 18)", ""]
    for size in sizes:
        old, new = rows.get(("before", size)), rows.get(("after", size))
        if old and new:
            ratio = old.per_check_ns / new.per_check_ns
            verdict = "met" if ratio >= TARGET else "**not met**"
            target = f"at least {TARGET:g}x lower" if size == max(sizes) else "for reference"
            lines.append(f"- Cost per check evaluation at {size} resources, {target}:"
                         f" {old.per_check_ns:.1f} -> {new.per_check_ns:.1f} ns, {ratio:.2f}x"
                         f"{', ' + verdict if size == max(sizes) else ''} (OPA CPU time"
                         f" {old.cpu_median / new.cpu_median:.2f}x lower).")  # fmt: skip
    if scaling:
        full = rows[("after", args.small)]
        lines += [
            "",
            "### Cost per check evaluation as checks are added",
            "",
            f"The working tree's policies with every 4th, every 2nd and every check file"
            f" loaded (library whole), at {args.small} resources, median of {args.repeat}"
            " runs. The subsets hold checks of the inventory's types in about the same share.",
            "",
            "| checks loaded | checks | floor s | per check evaluation ns |",
            "|---|---:|---:|---:|",
        ]
        for row in [*scaling, Floor("all", full.checks, full.resources, full.seconds)]:
            lines.append(f"| {row.label} | {row.checks} | {row.median:.2f} |"
                         f" {row.per_check_ns:.1f} |")  # fmt: skip
    return sections.section(HEADING, lines)


def _cpu_count() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
