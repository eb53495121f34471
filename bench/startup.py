"""`make bench` (last): how long a CI job waits for `opa-comply plan` on real plans.

Every Terraform plan under tests/fixtures/terraform-plans, run one after another as a
user would (`opa-comply plan FILE --format json --fail-on none`, managed OPA sidecar),
`--rounds` times; the table gives our median against the issue's target, and beside it
what bounds it from below on this machine: a bare OPA started on the same policies until
it answers /health (the floor with a fresh sidecar), and the Python interpreter with the
CLI's imports alone. Nothing is written: the table is printed for the note.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compliance_opa.support.bundled import policies_dir

REPO = Path(__file__).resolve().parents[1]
PLANS = REPO / "tests" / "fixtures" / "terraform-plans"
OPA = Path(os.environ.get("OPA_BINARY", REPO / ".tools" / "bin" / "opa"))
CLI = Path(sys.executable).with_name("opa-comply")
TARGET_SECONDS = 0.35


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="runs of every plan")
    args = parser.parse_args()
    plans = sorted(PLANS.glob("*.json"))
    env = {**os.environ, "OPA_BINARY": str(OPA)}
    _plan_run(plans[0], env)  # warm: bytecode written, opa version probe cached
    times: list[float] = []
    failed: list[str] = []
    for _ in range(args.rounds):
        for path in plans:
            seconds, code = _plan_run(path, env)
            times.append(seconds)
            if code not in (0, 2):  # 2: a plan our adapter refuses, one line (as checkov)
                failed.append(f"{path.name}: exit {code}")
    opa_alone = [_opa_ready() for _ in range(7)]
    imports = [_imports(env) for _ in range(7)]
    ours = statistics.median(times)
    floor = statistics.median(opa_alone)
    rows = [
        ("opa-comply plan, median over the real plans", ours),
        ("  fastest run", min(times)),
        ("  slowest run", max(times)),
        ("OPA alone: start until /health answers (median)", floor),
        (
            "Python: interpreter plus `import compliance_opa.cli` (median)",
            statistics.median(imports),
        ),
    ]
    print(f"Start-up of `opa-comply plan`: {len(plans)} plans x {args.rounds} rounds")
    print(f"| {'measure':<62} | seconds |")
    print(f"|{'-' * 64}|---------|")
    for name, value in rows:
        print(f"| {name:<62} | {value:7.3f} |")
    verdict = "met" if ours <= TARGET_SECONDS else "not met"
    print(
        f"Target: median at most {TARGET_SECONDS} s: {verdict}"
        f" ({ours:.3f} s; OPA alone takes {floor:.3f} s of it on this machine)"
    )
    for line in failed:
        print(f"FAILED {line}")
    return 1 if failed else 0


def _plan_run(path: Path, env: dict[str, str]) -> tuple[float, int]:
    command = [str(CLI), "plan", str(path), "--format", "json", "--fail-on", "none"]
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, completed.returncode


def _opa_ready() -> float:
    """A bare `opa run --server` on the bundled policies, until /health answers 200."""
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
            str(policies_dir()),
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
