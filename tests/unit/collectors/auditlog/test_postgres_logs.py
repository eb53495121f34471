"""The PostgreSQL log readers and the summary's rules, on logs written by the test."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from collectors.auditlog.period import Period
from collectors.auditlog.postgres import (
    parse_grant,
    prefix_pattern,
    sql_tokens,
    summarise_postgres_logs,
)
from compliance_opa.errors import InputError

PERIOD = Period(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))


def csv_row(
    time: str,
    user: str,
    db: str,
    message: str,
    state: str = "00000",
    severity: str = "LOG",
    session: str = "6b17.1",
    columns: int = 26,
) -> list[str]:
    row = [
        time,
        user,
        db,
        "4242",
        "10.0.0.9:5000",
        session,
        "1",
        "SELECT",
        time,
        "3/1",
        "0",
        severity,
        state,
        message,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "psql",
    ]
    return row + ["client backend", "", "0"][: columns - 23]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


def audit(
    n: int, klass: str, command: str, obj: str = "", statement: str = "x", sub: int = 1
) -> str:
    kind = "TABLE" if obj else ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(
        ["SESSION", n, sub, klass, command, kind, obj, statement, "<not logged>"]
    )
    return "AUDIT: " + buffer.getvalue()


def summarise(paths: list[Path], **options: Any) -> dict[str, Any]:
    attributes: dict[str, Any] = summarise_postgres_logs(
        paths, period=PERIOD, server="s", **options
    )["attributes"]
    return attributes


T = "2026-11-05 10:00:00.123 UTC"


@pytest.mark.parametrize("columns", [23, 24, 26])
def test_every_csvlog_layout(tmp_path: Path, columns: int) -> None:
    log = tmp_path / "a.csv"
    write_csv(
        log, [csv_row(T, "ana", "db", audit(1, "READ", "SELECT", "public.p"), columns=columns)]
    )
    a = summarise([log], classified={"db.public.p": ["pii"]})
    assert a["total_operations"] == 1
    assert a["sensitive_operations"]["reads"] == 1


def test_one_statement_counted_once(tmp_path: Path) -> None:
    rows = [
        csv_row(T, "ana", "db", audit(1, "READ", "SELECT", "public.p")),
        csv_row(T, "ana", "db", audit(1, "READ", "SELECT", "public.q")),  # log_relation
        csv_row(T, "ana", "db", audit(1, "WRITE", "INSERT", "public.p", sub=2)),  # substatement
        csv_row(T, "ana", "db", audit(2, "READ", "SELECT", "public.p")),
        csv_row(T, "bo", "db", audit(1, "READ", "SELECT"), session="6b17.2"),
    ]
    write_csv(tmp_path / "a.csv", rows)
    a = summarise([tmp_path], classified={"db.public.p": ["pii"]})
    assert a["total_operations"] == 3
    assert a["by_user"] == {"ana": 2, "bo": 1}
    assert a["by_class"] == {"READ": 3, "WRITE": 1}
    assert a["sensitive_operations"]["reads"] == 2
    assert a["sensitive_operations"]["writes"] == 1


def test_period_filters_records(tmp_path: Path) -> None:
    rows = [
        csv_row("2026-10-31 23:59:59.999 UTC", "a", "d", audit(1, "READ", "SELECT")),
        csv_row("2026-11-01 00:00:00.000 UTC", "a", "d", audit(2, "READ", "SELECT")),
        csv_row("2026-12-01 00:59:59.000 +01", "a", "d", audit(3, "READ", "SELECT")),
        csv_row("2026-12-01 00:00:00.000 UTC", "a", "d", audit(4, "READ", "SELECT")),
        csv_row("2026-11-30 20:00:00.000 -0330", "a", "d", audit(5, "READ", "SELECT")),
    ]
    write_csv(tmp_path / "a.csv", rows)
    # in: 2 (the start), 3 (23:59:59 UTC) and 5 (23:30 UTC); out: 1 and 4 (the end)
    assert summarise([tmp_path / "a.csv"])["total_operations"] == 3


def test_gzip_and_plain_agree_and_digest_the_stored_bytes(tmp_path: Path) -> None:
    rows = [csv_row(T, "a", "d", audit(n, "WRITE", "INSERT")) for n in range(1, 50)]
    write_csv(tmp_path / "plain.csv", rows)
    write_csv(tmp_path / "packed.csv.gz", rows)
    plain = summarise([tmp_path / "plain.csv"])
    packed = summarise([tmp_path / "packed.csv.gz"])
    assert packed["total_operations"] == plain["total_operations"] == 49
    stored = (tmp_path / "packed.csv.gz").read_bytes()
    assert packed["sources"][0]["sha256"] == hashlib.sha256(stored).hexdigest()
    assert packed["sources"][0]["bytes"] == len(stored)


def test_failed_logins_and_violations_per_user_and_client(tmp_path: Path) -> None:
    rows = [
        csv_row(T, "ana", "d", "password authentication failed", "28P01", "FATAL"),
        csv_row(T, "ana", "d", "password authentication failed", "28P01", "FATAL"),
        csv_row(T, "ana", "d", "no pg_hba.conf entry", "28000", "FATAL"),
        csv_row(T, "bo", "d", "permission denied for table p", "42501", "ERROR"),
    ]
    write_csv(tmp_path / "a.csv", rows)
    a = summarise([tmp_path / "a.csv"])
    assert a["failed_logins"] == [
        {"user": "ana", "client": "10.0.0.9", "sqlstate": "28P01", "count": 2},
        {"user": "ana", "client": "10.0.0.9", "sqlstate": "28000", "count": 1},
    ]
    assert a["access_violations"] == [{"user": "bo", "client": "10.0.0.9", "count": 1}]


def test_jsonlog(tmp_path: Path) -> None:
    entry = {
        "timestamp": T,
        "user": "ana",
        "dbname": "d",
        "remote_host": "10.1.1.1",
        "session_id": "s1",
        "error_severity": "LOG",
        "message": audit(1, "DDL", "CREATE TABLE"),
    }
    (tmp_path / "a.json").write_text(json.dumps(entry) + "\n")
    a = summarise([tmp_path / "a.json"])
    assert a["ddl_statements_total"] == 1
    assert a["ddl_statements"][0]["client"] == "10.1.1.1"


def test_stderr_with_prefix_and_continuation_lines(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    head = "2026-11-05 10:00:00.12{} UTC [77] ana@db 10.0.0.3(5555) 6b17.4d "
    log.write_text(
        head.format(3)
        + "42501 ERROR:  permission denied for table p\n"
        + head.format(4)
        + 'LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,,,"GRANT SELECT\n'.replace("LOG", "00000 LOG")
        + '\tON p TO PUBLIC",<not logged>\n'
        + "2026-11-05 10:00:00.125 UTC [78] LOG:  checkpoint starting: time\n"
    )
    a = summarise(
        [log], line_prefix="%m [%p] %q%u@%d %r %c %e ", classified={"db.public.p": ["pii"]}
    )
    assert a["access_violations"] == [{"user": "ana", "client": "10.0.0.3", "count": 1}]
    [grant] = a["classified_grants"]
    assert grant["grantees"] == [{"name": "PUBLIC", "public": True, "login": None}]
    assert a["sources"][0]["lines"] == 4


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("bad.csv", "2026-11-05 10:00:00 UTC,a,b\n", "bad.csv:1: csvlog record has 3 columns"),
        ("bad.json", '{"timestamp": "x"\n', "bad.json:1: not a jsonlog record"),
        ("bad.log", "nothing like a prefix\n", "bad.log:1: line does not start"),
    ],
)
def test_bad_input_names_file_and_line(
    tmp_path: Path, name: str, content: str, fragment: str
) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(InputError) as caught:
        summarise([tmp_path / name], line_prefix="%m [%p] ")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_gzip_and_bad_time(tmp_path: Path) -> None:
    (tmp_path / "cut.csv.gz").write_bytes(gzip.compress(b"x" * 5000)[:40])
    with pytest.raises(InputError, match=r"cut\.csv\.gz"):
        summarise([tmp_path / "cut.csv.gz"])
    write_csv(
        tmp_path / "t.csv",
        [csv_row("2026-11-05 10:00:00 CET", "a", "d", audit(1, "READ", "SELECT"))],
    )
    with pytest.raises(InputError, match=r"t\.csv:1: unreadable log time"):
        summarise([tmp_path / "t.csv"])


def test_literals_never_kept() -> None:
    statement = (
        "ALTER ROLE x PASSWORD 'secret-literal-1'; GRANT SELECT ON E'a\\'b' TO y;"
        " $q$secret-literal-2$q$ /* secret /* nested */ literal */ -- secret-literal-3"
    )
    assert not any("secret" in t.text for t in sql_tokens(statement))


def test_grant_forms() -> None:
    grant = parse_grant(
        sql_tokens(
            'GRANT SELECT (a, b), UPDATE ON ALL TABLES IN SCHEMA s, "T"'
            ' TO "Ana", GROUP g WITH GRANT OPTION'
        )
    )
    assert grant is not None
    assert (grant.privileges, grant.object_kind, grant.objects, grant.grantees) == (
        ["SELECT", "UPDATE"],
        "ALL TABLES IN SCHEMA",
        ["s.*", "T.*"],
        ["Ana", "g"],
    )
    revoke = parse_grant(
        sql_tokens("REVOKE GRANT OPTION FOR ALL PRIVILEGES ON TABLE public.p FROM PUBLIC CASCADE")
    )
    assert revoke is not None
    assert (revoke.privileges, revoke.objects, revoke.grantees) == (
        ["ALL"],
        ["public.p"],
        ["PUBLIC"],
    )
    member = parse_grant(sql_tokens("GRANT readers TO ana"))
    assert member is not None
    assert (member.object_kind, member.objects, member.grantees) == (
        "ROLE",
        ["readers"],
        ["ana"],
    )


# ---------------------------------------------------------------- properties

text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(messages=st.lists(text, min_size=1, max_size=5), statement=text)
@example(messages=[""], statement="\nA,")  # a newline once ended a line comment early
def test_csv_records_round_trip(
    tmp_path_factory: pytest.TempPathFactory, messages: list[str], statement: str
) -> None:
    """Messages and statements with commas, quotes and newlines are read back intact."""
    path = tmp_path_factory.mktemp("csv") / "a.csv"
    # In a block comment: a line comment (`--`) ends at a newline, and what follows it is
    # SQL (more grantees) to the parser as to PostgreSQL.
    comment = statement.replace("*", "").replace("/", "")
    rows = [csv_row(T, "u", "d", m) for m in messages]
    rows.append(
        csv_row(
            T,
            "u",
            "d",
            audit(1, "ROLE", "GRANT", statement=f"GRANT SELECT ON p TO r /* {comment} */"),
        )
    )
    write_csv(path, rows)
    a = summarise([path], classified={"d.public.p": ["pii"]})
    assert a["sources"][0]["records"] == len(rows)
    assert a["role_statements_total"] == 1
    assert a["classified_grants"][0]["grantees"] == [{"name": "r", "public": False, "login": None}]


names = st.text(st.characters(whitelist_categories=["Ll", "Nd"]), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(
    user=names,
    database=names,
    pid=st.integers(1, 10**6),
    state=st.sampled_from(["42501", "28P01", "00000"]),
    message=text.filter(lambda m: "\n" not in m),
)
def test_stderr_prefix_parser(user: str, database: str, pid: int, state: str, message: str) -> None:
    pattern = prefix_pattern("%m [%p] %q%u@%d %e ")
    line = f"2026-11-05 10:00:00.123 UTC [{pid}] {user}@{database} {state} ERROR:  {message}"
    match = pattern.match(line)
    assert match is not None
    assert (
        match["time"],
        match["pid"],
        match["user"],
        match["database"],
        match["sqlstate"],
        match["message"],
    ) == (
        "2026-11-05 10:00:00.123 UTC",
        str(pid),
        user,
        database,
        state,
        message,
    )
    bare = pattern.match(f"2026-11-05 10:00:00.123 UTC [{pid}] LOG:  {message}")
    assert bare is not None
    assert bare["user"] is None
    assert bare["message"] == message


def test_a_statement_longer_than_the_csv_default_field_is_read(tmp_path: Path) -> None:
    """A bulk INSERT logged whole is over the csv module's 128 KiB default field size."""
    long_statement = "INSERT INTO public.items VALUES " + ",".join(["(1)"] * 60_000)  # noqa: S608
    path = tmp_path / "big.csv"
    write_csv(
        path,
        [csv_row(T, "app", "orders", audit(1, "WRITE", "INSERT", "public.items", long_statement))],
    )
    assert summarise([path])["total_operations"] == 1


def test_a_jsonlog_line_nested_too_deep_is_one_input_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"timestamp": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    with pytest.raises(InputError, match=r"deep\.json:1: not a jsonlog record"):
        summarise([path])
