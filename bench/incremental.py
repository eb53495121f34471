"""`python -m bench.incremental`: a drift of the 100k inventory, full and incremental.

On this machine, in one run, with the managed sidecar and a SQLite state store under
.bench/ (generated inputs are kept there too):
- setup (not timed against anything): `opa-comply drift --no-cache` of the inventory,
  the scope's previous scan, which fills the verdict cache; the store is copied aside;
- full: the same inventory with 1% of its resources changed (attributes from another
  resource of the type, or the Environment tag flipped), `drift --no-cache` on a copy of
  that store: every resource to OPA;
- warm: the same, without the flag, on another copy: only the changed resources go to
  OPA, the rest come from the cache.
Both compare with the same previous scan. Each run is timed whole (wall clock of the
command) and by phase (timers wrapped around the application's steps in the child
process). Target (issue 18): the warm drift in at most 10% of the full one. The section
"## Incremental drift" of BENCHMARKS.md is written (replaced when there) by this script.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.generate import inventory, write_json

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".bench"
OPA = Path(os.environ.get("OPA_BINARY", REPO / ".tools" / "bin" / "opa"))
POLICIES_COPY = WORK / "incremental-policies"
SECTION = "## Incremental drift"
SEED = 20261123
TARGET = 0.10


def inputs(size: int, share: float) -> tuple[Path, Path, int]:
    """(The inventory, the same with ``share`` of its resources changed, how many),
    generated once and kept under .bench/."""
    base = WORK / f"incremental-{size}.json"
    changed_path = WORK / f"incremental-{size}-changed-{share:g}.json"
    count = max(1, int(size * share))
    if base.exists() and changed_path.exists():
        return base, changed_path, count
    document = inventory(size, SEED)
    _write(base, document)
    changed = copy.deepcopy(document)
    rng = random.Random(SEED)  # noqa: S311 - a reproducible edit, not a secret
    resources: list[dict[str, Any]] = changed["resources"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for r in resources:
        by_type.setdefault(r["type"], []).append(r)
    for index in rng.sample(range(len(resources)), count):
        resource = resources[index]
        kin = by_type[resource["type"]]
        sample = rng.sample(kin, min(8, len(kin)))
        donors = [d for d in sample if d["attributes"] != resource["attributes"]]
        if donors:
            resource["attributes"] = copy.deepcopy(donors[0]["attributes"])
        else:
            tags = resource.setdefault("tags", {})
            tags["Environment"] = (
                "staging" if tags.get("Environment") == "production" else "production"
            )
    _write(changed_path, changed)
    return base, changed_path, count


def _write(path: Path, document: dict[str, Any]) -> None:
    with path.open("w", encoding="utf-8", buffering=1 << 20) as handle:
        write_json(document, handle.write)


def drift(path: Path, state: Path, *extra: str) -> tuple[float, str, dict[str, float]]:
    """Wall seconds of one `opa-comply drift`, what it said on stderr, and its phases."""
    phases = WORK / "incremental-phases.json"
    phases.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.incremental", "--child", str(phases), "--",
               "drift", str(path), "--state", str(state), "--scope", "bench", "--format",
               "json", "--output", str(WORK / "drift.json"), "--fail-on", "none",
               "--max-input-bytes", str(1 << 30), "--policies", str(POLICIES_COPY),
               *extra]  # fmt: skip
    env = {**os.environ, "OPA_BINARY": str(OPA), "XDG_STATE_HOME": str(WORK / "incremental-xdg")}
    for name in ("OPA_URL", "OPA_TOKEN", "OPA_COMPLY_STATE"):
        env.pop(name, None)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: drift of {path} failed: {done.stderr.strip()}")
    return seconds, done.stderr, json.loads(phases.read_text())


# (label, module, attribute): the steps timed in the child, outermost first.
PHASES = (
    ("load and validate the input", "compliance_opa.app.scan", "load_inventories"),
    ("evaluate (all of run_scan)", "compliance_opa.app.scan", "run_scan"),
    ("  hash the resources", "compliance_opa.app.incremental", "resource_hashes"),
    ("  read the verdict cache", "compliance_opa.state.verdicts", "VerdictCache.lookup"),
    ("  OPA (the resources sent)", "compliance_opa.app.incremental", "evaluate_inventories"),
    ("  merge cached and fresh", "compliance_opa.app.incremental", "_merged"),
    ("  save the verdict cache", "compliance_opa.state.verdicts", "VerdictCache.save"),
    ("record (drift, history, alerts)", "compliance_opa.app.scan", "record"),
    ("  data-store changes", "compliance_opa.app.record", "changes"),
    ("write the report", "compliance_opa.app.outputs", "write_report"),
    ("evidence record (every format)", "compliance_opa.app.outputs", "append_evidence"),
)


def child(phases_path: Path, argv: list[str]) -> None:
    """Run the CLI with ``argv``, timing PHASES; their seconds are written to the file."""
    import importlib

    spent: dict[str, float] = {label: 0.0 for label, _, _ in PHASES}

    def timed(label: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return wrapper

    for label, module_name, attribute in PHASES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(label, getattr(owner, name)))
    from compliance_opa.cli import main as cli_main

    sys.argv = ["opa-comply", *argv]
    start = time.perf_counter()
    try:
        cli_main()
    finally:
        spent["total (in process)"] = time.perf_counter() - start
        phases_path.write_text(json.dumps(spent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--changed", type=float, default=0.01, help="share of resources changed")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child is not None:
        child(args.child, rest[1:] if rest[:1] == ["--"] else rest)
        return 0
    WORK.mkdir(exist_ok=True)
    base, changed, count = inputs(args.size, args.changed)
    # The policies as they are now, for all three runs: an edit of policies/ meanwhile
    # would change the policy digest, and every verdict with it.
    shutil.rmtree(POLICIES_COPY, ignore_errors=True)
    shutil.copytree(REPO / "policies", POLICIES_COPY)
    state = WORK / "incremental-state.db"
    shutil.rmtree(WORK / "incremental-xdg", ignore_errors=True)
    for stale in (state, state.with_name(state.name + ".lock")):
        stale.unlink(missing_ok=True)
    setup, _, _ = drift(base, state, "--no-cache")
    print(f"setup: drift of {args.size:,} resources, --no-cache: {setup:.1f} s", flush=True)
    previous = WORK / "incremental-state-previous.db"
    shutil.copyfile(state, previous)
    shutil.copyfile(previous, state)
    full, _, full_phases = drift(changed, state, "--no-cache")
    print(f"full drift ({count:,} changed, --no-cache): {full:.1f} s", flush=True)
    shutil.copyfile(previous, state)
    warm, said, warm_phases = drift(changed, state)
    note = next((line for line in said.splitlines() if "verdict cache:" in line), "")
    print(f"warm drift ({count:,} changed): {warm:.1f} s; {note.strip()}", flush=True)
    section = markdown(args.size, count, full, warm, note, state.stat().st_size,
                       full_phases, warm_phases)  # fmt: skip
    old = args.output.read_text() if args.output.exists() else "# Benchmarks\n"
    args.output.write_text(replaced(old, section))
    print(section)
    print(f"wrote {args.output}")
    return 0


def markdown(
    size: int,
    count: int,
    full: float,
    warm: float,
    note: str,
    db_bytes: int,
    full_phases: dict[str, float],
    warm_phases: dict[str, float],
) -> str:
    ratio = warm / full
    verdict = "met" if ratio <= TARGET else "**not met**"
    said = note.split("opa-comply: ", 1)[-1].strip()
    rows = [
        f"| {label.strip()}{' (part of the above)' if label.startswith(' ') else ''} |"
        f" {full_phases.get(label, 0.0):.1f} | {warm_phases.get(label, 0.0):.1f} |"
        for label in [*(p[0] for p in PHASES), "total (in process)"]
    ]
    return "\n".join(
        [
            SECTION,
            "",
            "`python -m bench.incremental`: `opa-comply drift` of a generated inventory with the",
            "managed sidecar and a SQLite state store, after a first drift of the unchanged",
            "inventory (the previous scan, which filled the verdict cache). Full: with",
            "`--no-cache`, every resource to OPA. Warm: only the changed resources to OPA. Both",
            "compare with the same previous scan. Wall time of the whole command (start, load,",
            "hashing, cache, OPA, drift, recording, reports, evidence), then by phase.",
            f"Written on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())};"
            f" {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end.",
            "",
            "| resources | changed | full s | warm s | warm/full | store after |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {size:,} | {count:,} | {full:.1f} | {warm:.1f} | {ratio:.1%} |"
            f" {db_bytes / 2**20:.0f} MiB |",
            "",
            "| phase | full s | warm s |",
            "|---|---:|---:|",
            *rows,
            "",
            f"Warm run: {said or 'no cache note'}.",
            f"Target: the warm drift in at most {TARGET:.0%} of the full one: {ratio:.1%},"
            f" {verdict}.",
            "",
        ]
    )


def replaced(old: str, section: str) -> str:
    """``old`` with this script's section replaced where it is, else appended at the end
    (it ends at the next `## ` heading or the end of the file)."""
    head, found, rest = old.partition(f"\n{SECTION}\n")
    if not found:
        return f"{old.rstrip(chr(10))}\n\n{section}"
    _, next_heading, tail = rest.partition("\n## ")
    after = f"\n## {tail}" if next_heading else ""
    return f"{head.rstrip(chr(10))}\n\n{section}{after}"


if __name__ == "__main__":
    sys.exit(main())
