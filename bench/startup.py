"""`make bench`: how long a CI job waits for `opa-comply plan` on real plans, against checkov.

Every Terraform plan under tests/fixtures/terraform-plans, run one after another as a
user would (`opa-comply plan FILE --format json --fail-on none`, managed OPA sidecar),
`--rounds` times, each plan followed by checkov on the same file with all its checks
(`checkov -f FILE --framework terraform_plan`, as a new user runs it) once per round, so
both see the same machine. Beside them, what bounds a small plan from below here: a bare
OPA started on every bundled check, and on the checks of each plan's resource types
(what the sidecar loads, engine/catalogue.py), until /health answers; and the Python
interpreter with the CLI's imports alone. Written to BENCHMARKS.md ("Real plans").
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import sections
from bench.checkov_runner import CheckovError, checkov_binary, run_checkov
from compliance_opa.engine.catalogue import input_types, read_folder
from compliance_opa.errors import InputError
from compliance_opa.inventory.load import load_inventory
from compliance_opa.support.bundled import policies_dir

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "tests" / "fixtures" / "terraform-plans"
OPA = Path(os.environ.get("OPA_BINARY", REPO / ".tools" / "bin" / "opa"))
CLI = Path(sys.executable).with_name("opa-comply")
CHECKOV_VENV = REPO / ".bench" / "checkov-venv"
TARGET_SECONDS = 0.35
TARGET_FACTOR = 8
HEADING = "Real plans: `opa-comply plan` against checkov"


@dataclass
class PlanRow:
    path: Path
    ours: list[float] = field(default_factory=list)
    checkov: list[float] = field(default_factory=list)
    exit_code: int = 0
    checkov_error: str = ""
    checks_loaded: int | None = None
    opa_subset: float | None = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="runs of every plan")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    env = {**os.environ, "OPA_BINARY": str(OPA)}
    with_checkov = checkov_binary(CHECKOV_VENV).exists()
    rows = [PlanRow(p) for p in sorted(PLANS.glob("*.json"))]
    _plan_run(rows[0].path, env)  # warm: bytecode written, opa version probe cached
    for _ in range(args.rounds):
        for row in rows:
            seconds, row.exit_code = _plan_run(row.path, env)
            row.ours.append(seconds)
            if with_checkov and not row.checkov_error:
                try:
                    row.checkov.append(run_checkov(row.path, CHECKOV_VENV, checks=()).seconds)
                except CheckovError as exc:
                    row.checkov_error = str(exc).splitlines()[0][:80]
    for row in rows:
        row.checks_loaded, row.opa_subset = _opa_subset(row.path)
    full = [_opa_ready(policies_dir()) for _ in range(7)]
    imports = [_imports(env) for _ in range(7)]
    text = _markdown(rows, full, imports, args.rounds, with_checkov)
    print(text)
    sections.update(args.output, {HEADING: text})
    failed = [r for r in rows if r.exit_code not in (0, 2)]  # 2: refused, one line
    for row in failed:
        print(f"FAILED {row.path.name}: exit {row.exit_code}")
    return 1 if failed else 0


def _markdown(
    rows: list[PlanRow], full: list[float], imports: list[float], rounds: int, with_checkov: bool
) -> str:
    ours = statistics.median(t for r in rows for t in r.ours)
    judged = [r for r in rows if r.checkov]
    theirs = statistics.median(statistics.median(r.checkov) for r in judged) if judged else None
    ours_judged = statistics.median(statistics.median(r.ours) for r in judged) if judged else None
    subset = [r.opa_subset for r in rows if r.opa_subset is not None]
    lines = [
        f"Written by `make bench` (bench/startup.py) on"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {len(rows)} plans from public"
        f" test suites (tests/fixtures/terraform-plans), each run {rounds} times as a CI job"
        " runs it (`opa-comply plan FILE --format json --fail-on none`, managed OPA), each"
        " followed by checkov on the same file with all its checks once per round.",
        "",
        "| plan | KiB | checks loaded | ours median s | checkov median s | checkov/ours |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        mine = statistics.median(row.ours)
        other = statistics.median(row.checkov) if row.checkov else None
        lines.append(
            f"| {_short(row.path)} | {row.path.stat().st_size / 1024:.0f}"
            f" | {row.checks_loaded if row.checks_loaded is not None else 'refused'}"
            f" | {mine:.3f}{'' if row.exit_code in (0, 1) else f' (exit {row.exit_code})'}"
            f" | {f'{other:.2f}' if other else row.checkov_error or 'not run'}"
            f" | {f'{other / mine:.1f}x' if other else ''} |"
        )
    lines += [
        "",
        "| measure | seconds |",
        "|---|---:|",
        f"| opa-comply plan, median of every run | {ours:.3f} |",
        f"| fastest run / slowest run | {min(t for r in rows for t in r.ours):.3f} /"
        f" {max(t for r in rows for t in r.ours):.3f} |",
    ]
    if theirs is not None and ours_judged is not None:
        lines.append(f"| checkov, median over the plans it reads | {theirs:.3f} |")
    lines += [
        f"| OPA alone, every bundled check, start until /health (median of 7) |"
        f" {statistics.median(full):.3f} |",
        f"| OPA alone, each plan's checks only (median over the plans) |"
        f" {statistics.median(subset) if subset else float('nan'):.3f} |",
        f"| Python: interpreter plus `import compliance_opa.cli` (median of 7) |"
        f" {statistics.median(imports):.3f} |",
        "",
        "Targets (issue 18):",
        "",
        f"- Median `opa-comply plan` at most {TARGET_SECONDS} s: {ours:.3f} s,"
        f" {'met' if ours <= TARGET_SECONDS else '**not met**'}.",
    ]
    if theirs is not None and ours_judged is not None:
        factor = theirs / ours_judged
        lines.append(
            f"- At least {TARGET_FACTOR}x faster than checkov's median on the same files:"
            f" {factor:.1f}x ({len(judged)} plans checkov reads),"
            f" {'met' if factor >= TARGET_FACTOR else '**not met**'}."
        )
    elif not with_checkov:
        lines.append("- Against checkov: not installed (scripts/install-checkov.sh), not run.")
    return sections.section(HEADING, lines)


def _short(path: Path) -> str:
    name = path.name.removesuffix(".json")
    return name if len(name) <= 60 else f"{name[:28]}...{name[-29:]}"


def _plan_run(path: Path, env: dict[str, str]) -> tuple[float, int]:
    command = [str(CLI), "plan", str(path), "--format", "json", "--fail-on", "none"]
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, completed.returncode


def _opa_subset(plan: Path) -> tuple[int | None, float | None]:
    """The checks the sidecar loads for this plan, and a bare OPA's start on them."""
    folder = read_folder(policies_dir())
    try:
        types = input_types([load_inventory(plan)])
    except InputError:
        return None, None
    if folder.catalogue is None:
        return None, None
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "policies"
        loaded = folder.write_subset(root, types)
        seconds = statistics.median(_opa_ready(root) for _ in range(3))
        shutil.rmtree(root)
    return len(loaded), seconds


def _opa_ready(policies: Path) -> float:
    """A bare `opa run --server` on ``policies``, until /health answers 200."""
    with tempfile.TemporaryDirectory() as folder:
        sock = f"{folder}/opa.sock"
        command = [
            str(OPA),
            "run",
            "--server",
            "--addr",
            f"unix://{sock}",
            "--log-level",
            "error",
            "--skip-version-check",
            str(policies),
        ]
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            while not _healthy(sock):
                if process.poll() is not None:
                    raise SystemExit(f"{OPA} exited on start ({process.returncode})")
                time.sleep(0.005)
            return time.perf_counter() - start
        finally:
            process.terminate()
            process.wait(timeout=10)


def _healthy(sock: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(1)
            client.connect(sock)
            client.sendall(b"GET /health HTTP/1.0\r\n\r\n")
            return b" 200 " in client.recv(64)
    except OSError:
        return False


def _imports(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import compliance_opa.cli"], env=env, check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
