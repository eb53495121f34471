"""Runs a pinned checkov (installed apart by scripts/install-checkov.sh) on a Terraform plan,
limited to the checks equivalent to opa-comply's, and times it.

    python bench/checkov_runner.py PLAN.json [--venv .bench/checkov-venv]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_VENV = Path(".bench/checkov-venv")

# opa-comply check id -> the checkov checks that together test the same thing
# (all verified present in `checkov --list --framework terraform` of checkov 3.3.30).
EQUIVALENT_CHECKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AWS-RDS-001", ("CKV_AWS_16",)),  # RDS storage encrypted at rest
    ("AWS-RDS-002", ("CKV_AWS_17",)),  # RDS not publicly accessible
    # a complete public access block: one exists for the bucket, and all four settings are on
    ("AWS-S3-001", ("CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56")),
    ("AWS-S3-002", ("CKV_AWS_19",)),  # S3 default (server-side) encryption
    ("AWS-EC2-002", ("CKV_AWS_24", "CKV_AWS_25")),  # no 0.0.0.0/0 ingress to SSH (22) / RDP (3389)
    ("AWS-KMS-001", ("CKV_AWS_7",)),  # customer-managed key rotation
    ("AWS-CWL-001", ("CKV_AWS_338",)),  # log retention >= 1 year (our default minimum is 365 days)
    ("AWS-CWL-002", ("CKV_AWS_158",)),  # log group encrypted with KMS
)
CHECKOV_CHECKS: tuple[str, ...] = tuple(c for _, ids in EQUIVALENT_CHECKS for c in ids)


@dataclass(frozen=True)
class CheckovResult:
    seconds: float
    failed: int
    passed: int
    checks: tuple[str, ...]


class CheckovError(RuntimeError):
    pass


def checkov_binary(venv: Path) -> Path:
    binary = venv / "bin" / "checkov"
    if not binary.is_file():
        raise CheckovError(f"no checkov at {binary}: run scripts/install-checkov.sh {venv}")
    return binary


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Keep checkov offline and quiet: no platform calls, no version check, no telemetry.
    env.update(
        {
            "BC_SKIP_MAPPING": "TRUE",
            "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
            "LOG_LEVEL": "ERROR",
            "ANSI_COLORS_DISABLED": "1",
        }
    )
    return env


def checkov_version(venv: Path = DEFAULT_VENV) -> str:
    done = subprocess.run(
        [str(checkov_binary(venv)), "--version"],
        capture_output=True,
        text=True,
        env=_environment(),
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise CheckovError(f"checkov --version failed ({done.returncode}): {done.stderr.strip()}")
    return lines[-1].strip()


def command(plan_path: Path, venv: Path, checks: tuple[str, ...] = CHECKOV_CHECKS) -> list[str]:
    return [
        str(checkov_binary(venv)),
        "-f",
        str(plan_path),
        "--framework",
        "terraform_plan",
        *(("--check", ",".join(checks)) if checks else ()),  # none given: all of checkov's
        "--output",
        "json",
        "--quiet",
        "--compact",
        "--skip-download",
        "--soft-fail",
    ]


def count_results(report: Any) -> tuple[int, int]:
    """(failed, passed) from checkov's JSON: one report (a dict), a list of reports (one a
    framework), or the bare summary it prints when nothing was scanned."""
    reports = report if isinstance(report, list) else [report]
    failed = passed = 0
    for one in reports:
        if not isinstance(one, dict):
            raise CheckovError(f"unexpected checkov report: {type(one).__name__}")
        summary = one.get("summary", one)
        failed += int(summary.get("failed", 0))
        passed += int(summary.get("passed", 0))
    return failed, passed


def run_checkov(
    plan_path: Path, venv: Path = DEFAULT_VENV, checks: tuple[str, ...] = CHECKOV_CHECKS
) -> CheckovResult:
    argv = command(plan_path, venv, checks)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=_environment(), check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise CheckovError(f"checkov exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as err:
        raise CheckovError(f"checkov printed no JSON: {done.stdout[:500]!r}") from err
    failed, passed = count_results(report)
    return CheckovResult(seconds=seconds, failed=failed, passed=passed, checks=checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", nargs="*", type=Path)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--version", action="store_true", help="print checkov's version")
    args = parser.parse_args(argv)
    if args.version:
        print(checkov_version(args.venv))
        return 0
    for plan in args.plans:
        result = run_checkov(plan, args.venv)
        print(f"{plan}\tfailed={result.failed}\tpassed={result.passed}\t{result.seconds:.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
