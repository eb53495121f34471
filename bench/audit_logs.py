"""`make bench`: summarising PostgreSQL csvlog audit logs (collectors/auditlog/postgres.py).

Generates a PostgreSQL 15 csvlog of the given size (default 1 GB) with pgaudit lines
(reads and writes on a classified and a plain table, GRANTs, DDL, statements spanning
lines with commas and quotes), failed logins and permission errors, then summarises it in
a child process and reports throughput (MB/s of log read) and the child's peak memory
(wait4's ru_maxrss). Memory must stay flat as the log grows: run two sizes to see it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
from pathlib import Path

from bench import sections

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".bench"
SEED = 20261207


AUDIT = "AUDIT: SESSION,{},1,{},{},<not logged>"
# Statements as pgaudit quotes them: commas, doubled quotes and a line break inside.
READ_SQL = '"SELECT * FROM patients WHERE name = \'n%d, ""x""\'\n  AND id > 3"'
WRITE_SQL = "\"INSERT INTO notes VALUES (%d, 'v')\""


def generate(path: Path, size_mb: int) -> int:
    """A csvlog of about ``size_mb`` MB; returns the number of records."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible test data, not secrets
    target = size_mb * 1024 * 1024
    records = 0
    with path.open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        session = 0
        while out.tell() < target:
            session += 1
            sid = f"6b17{session:08x}.{session % 65536:x}"
            user = f"app{session % 7}"
            for statement_id in range(1, 201):
                day, hour, ms = 1 + records % 28, records % 24, records % 1000
                t = f"2026-11-{day:02d} {hour:02d}:00:00.{ms:03d} UTC"
                pick = rng.random()
                state, severity = "00000", "LOG"
                n = statement_id
                if pick < 0.45:
                    msg = AUDIT.format(n, "READ,SELECT,TABLE,public.patients", READ_SQL % records)
                elif pick < 0.75:
                    msg = AUDIT.format(n, "WRITE,INSERT,TABLE,public.notes", WRITE_SQL % records)
                elif pick < 0.77:
                    msg = AUDIT.format(n, "ROLE,GRANT,,", f"GRANT SELECT ON patients TO r{n % 5}")
                elif pick < 0.78:
                    msg = AUDIT.format(
                        n, "DDL,CREATE TABLE,TABLE,public.t", "CREATE TABLE t (a int)"
                    )
                elif pick < 0.79:
                    msg = f'password authentication failed for user "{user}"'
                    state, severity = "28P01", "FATAL"
                elif pick < 0.80:
                    msg, state, severity = "permission denied for table patients", "42501", "ERROR"
                else:
                    msg = "duration: 0.412 ms"
                writer.writerow([
                    t, user, "clinic", "4242", f"10.0.{session % 250}.{session % 200}:5432", sid,
                    statement_id, "SELECT", t, "3/1", "0", severity, state, msg, "", "", "", "",
                    "", "", "", "", "psql", "client backend", "", "0",
                ])  # fmt: skip
                records += 1
    return records


CHILD = """
import json, sys, time
from datetime import UTC, datetime
from pathlib import Path
from collectors.auditlog.period import Period
from collectors.auditlog.postgres import summarise_postgres_logs
start = time.perf_counter()
summary = summarise_postgres_logs(
    [Path(sys.argv[1])],
    period=Period(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
    server="bench", classified={"clinic.public.patients": ["phi"]}, pgaudit_configured=True,
)
a = summary["attributes"]
print(json.dumps({"seconds": time.perf_counter() - start, "operations": a["total_operations"],
                  "records": a["sources"][0]["records"]}))
"""


def measure(path: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=REPO, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(done.stdout)
    size = path.stat().st_size / 1e6
    return {
        "size_mb": size,
        "seconds": result["seconds"],
        "mb_per_s": size / result["seconds"],
        # ru_maxrss of children is the largest so far: measure the smaller size first
        "peak_rss_mb": max(peak_kb, before) / 1024,
        "records": result["records"],
        "operations": result["operations"],
    }


AUDIT_SECTION = "## Audit-log summaries"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1024", help="log sizes in MB, smallest first")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    lines = [
        "| csvlog | records | audited statements | seconds | MB/s | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    print("\n".join(lines))
    for size in sorted(int(s) for s in args.sizes.split(",")):
        path = WORK / f"audit-{size}mb.csv"
        if not path.exists() or path.stat().st_size < size * 1024 * 1024:
            generate(path, size)
        row = measure(path)
        lines.append(
            f"| {row['size_mb']:.0f} MB | {row['records']} | {row['operations']} |"
            f" {row['seconds']:.1f} | {row['mb_per_s']:.1f} | {row['peak_rss_mb']:.0f} MB |"
        )
        print(lines[-1], flush=True)
    section = "\n".join(
        [
            AUDIT_SECTION,
            "",
            "`python -m bench.audit_logs`: a generated PostgreSQL 15 csvlog with pgaudit lines",
            "summarised in one streaming pass (`evidence audit-logs`), in a child process whose",
            "peak resident memory is its own. Memory must not grow with the log.",
            f"Machine: {os.cpu_count()} cores.",
            "",
            *lines,
            "",
        ]
    )
    sections.update(args.output, sections.split(section))  # the other sections are kept
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
