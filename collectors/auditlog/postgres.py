"""PostgreSQL audit logs (pgaudit) summarised over a period into one inventory resource.

Reads csvlog, jsonlog and stderr logs (with the server's ``log_line_prefix``), plain or
gzip, in one pass, line by line, holding only counters and capped lists: memory does not
grow with the log. What is kept from a statement is its class, command, object type and
name, and for GRANT/REVOKE the privileges (keywords), objects and grantees
(identifiers); string literals, dollar-quoted bodies, comments and bind parameters are
dropped before anything is read from the text, so nothing a statement carried as a value
(a password, personal data) reaches the summary.

Counting (what one "operation" is): pgaudit gives each statement of a backend an
increasing statement_id, and logs one line per relation (``pgaudit.log_relation``), per
substatement (functions, DO blocks) and per audit type (SESSION and OBJECT) under it. A
statement is counted once per session and statement_id: ``total_operations``,
``by_database`` and ``by_user`` count statements (their sums equal the total);
``by_class`` and ``by_command`` count each distinct class / command a statement's lines
carry once (a DO block that reads and writes counts once under READ and once under
WRITE, so their sums can exceed the total); sensitive reads and writes count each
(statement, classified table, read or write) once.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections import Counter, OrderedDict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import IO, Any

from collectors.auditlog.period import Period
from compliance_opa.errors import InputError

RESOURCE_TYPE = "postgresql_audit_summary"
LIST_CAP = 500  # entries kept in each list; the *_total attributes count them all
SESSION_CACHE = 65536  # sessions whose last statement_id is remembered (LRU)
LOG_SUFFIXES = (".csv", ".json", ".log")
FORMATS = ("auto", "csvlog", "jsonlog", "stderr")

# csvlog columns, by count: PostgreSQL 9.0-12 write 23, 13 adds backend_type (24),
# 14 adds leader_pid and query_id (26, unchanged through 17). The first 23 are shared.
CSV_LAYOUTS = {23: "PostgreSQL 9.0-12", 24: "PostgreSQL 13", 26: "PostgreSQL 14 or later"}
CSV_USER, CSV_DATABASE, CSV_CONNECTION, CSV_SESSION = 1, 2, 4, 5
CSV_TIME, CSV_SQLSTATE, CSV_MESSAGE = 0, 12, 13

ACCESS_VIOLATION = "42501"
FAILED_LOGIN = frozenset({"28P01", "28000"})
WANTED_STATES = FAILED_LOGIN | {ACCESS_VIOLATION}
AUDIT_PREFIX = "AUDIT: "
ROLE_COMMANDS = frozenset({"GRANT", "REVOKE", "CREATE ROLE", "ALTER ROLE", "DROP ROLE"})
WRITE_COMMANDS = frozenset({"INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "MERGE"})

# Without %e in a stderr prefix the SQLSTATE is not in the log: these messages stand in.
_STATE_BY_MESSAGE = (
    ("permission denied for ", ACCESS_VIOLATION),
    ("password authentication failed for user ", "28P01"),
    ("no pg_hba.conf entry for ", "28000"),
)

MAX_FIELD_BYTES = 64 * 1024 * 1024  # the longest csvlog field (a statement) read
# The longest physical line and the longest stderr record (a line and its continuation
# lines) read, in characters: iterating over a text stream reads a whole line into memory,
# so a log of one line of gigabytes (or a gzip bomb of one) would exhaust it.
MAX_LINE_CHARS = MAX_FIELD_BYTES


@dataclass
class _Record:
    """The fields of one log record the summary uses."""

    time: str
    user: str
    database: str
    client: str
    session: str
    sqlstate: str | None
    message: str


@dataclass
class _Source:
    path: Path
    log_format: str
    sha256: str = ""
    bytes: int = 0
    lines: int = 0
    records: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.log_format,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "lines": self.lines,
            "records": self.records,
        }


class _HashingReader(io.RawIOBase):
    """A file's raw bytes, hashed as they are read (the evidence digest of what was read)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self.digest.update(memoryview(buffer)[:n])
            self.count += n
        return n or 0

    def drain(self) -> None:
        """Hash whatever the parser left unread (trailing bytes after a gzip member)."""
        chunk = bytearray(1 << 16)
        while self.readinto(chunk):
            pass


# ---------------------------------------------------------------- SQL text, without values


_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<line_comment>--[^\n]*)
    | (?P<block_comment>/\*)
    | (?P<estring>[Ee]'(?:[^'\\]|\\.|'')*'?)
    | (?P<string>(?:[BbXxNn]|[Uu]&)?'(?:[^']|'')*'?)
    | (?P<dollar>\$(?P<tag>[A-Za-z_][A-Za-z0-9_]*)?\$)
    | (?P<param>\$\d+)
    | (?P<quoted>(?:[Uu]&)?"(?:[^"]|"")*"?)
    | (?P<word>[A-Za-z_\x80-\uffff][A-Za-z0-9_$\x80-\uffff]*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # word (upper-cased keyword or plain identifier), ident (quoted), punct
    text: str


def sql_tokens(statement: str) -> list[_Token]:
    """Identifiers, keywords and punctuation of ``statement``; literals, numbers, bind
    parameters, comments and dollar-quoted bodies are dropped (never returned)."""
    tokens: list[_Token] = []
    pos, end = 0, len(statement)
    while pos < end:
        match = _TOKEN.match(statement, pos)
        if match is None:  # pragma: no cover - the pattern matches any character
            break
        kind = match.lastgroup
        pos = match.end()
        if kind == "block_comment":
            depth = 1
            while depth and pos < end:
                if statement.startswith("/*", pos):
                    depth, pos = depth + 1, pos + 2
                elif statement.startswith("*/", pos):
                    depth, pos = depth - 1, pos + 2
                else:
                    pos += 1
        elif kind == "dollar" or kind == "tag":
            closing = statement.find(match.group("dollar"), pos)
            pos = end if closing < 0 else closing + len(match.group("dollar"))
        elif kind == "quoted":
            text = match.group()
            body = text[text.index('"') + 1 :]
            body = body[:-1] if body.endswith('"') else body
            tokens.append(_Token("ident", body.replace('""', '"')))
        elif kind == "word":
            tokens.append(_Token("word", match.group()))
        elif kind == "other":
            tokens.append(_Token("punct", match.group()))
    return tokens


def _is(token: _Token | None, *keywords: str) -> bool:
    return token is not None and token.kind == "word" and token.text.upper() in keywords


def _name(token: _Token) -> str:
    """An identifier as PostgreSQL folds it: unquoted lower-cased, quoted kept."""
    return token.text if token.kind == "ident" else token.text.lower()


def _statements(tokens: list[_Token]) -> list[list[_Token]]:
    parts: list[list[_Token]] = [[]]
    for token in tokens:
        if token.kind == "punct" and token.text == ";":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


_PRIVILEGES = frozenset(
    {
        "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
        "CREATE", "CONNECT", "TEMPORARY", "TEMP", "EXECUTE", "USAGE", "SET",
        "ALTER", "SYSTEM", "MAINTAIN", "ALL", "PRIVILEGES",
    }
)  # fmt: skip
_OBJECT_KINDS = frozenset(
    {
        "TABLE", "SEQUENCE", "DATABASE", "DOMAIN", "FOREIGN", "FUNCTION", "PROCEDURE",
        "ROUTINE", "LANGUAGE", "LARGE", "SCHEMA", "TABLESPACE", "TYPE", "PARAMETER",
        "DATA", "WRAPPER", "SERVER", "OBJECT",
    }
)  # fmt: skip
_OBJECT_KIND_WORDS = tuple(
    _OBJECT_KINDS
    | {"ALL", "TABLES", "SEQUENCES", "FUNCTIONS", "PROCEDURES", "ROUTINES", "IN", "OBJECTS"}
)


@dataclass
class Grant:
    """What a GRANT or REVOKE names: privileges (keywords), object kind, objects, grantees."""

    privileges: list[str]
    object_kind: str  # TABLE (the default), SCHEMA, ..., ALL TABLES IN SCHEMA, or ROLE
    objects: list[str]  # identifiers as written, dotted; ALL TABLES IN SCHEMA s -> "s.*"
    grantees: list[str]  # role names; PUBLIC as "PUBLIC"


def parse_grant(tokens: list[_Token]) -> Grant | None:
    """One GRANT or REVOKE statement's parts (from :func:`sql_tokens`), or None."""
    if not tokens or not _is(tokens[0], "GRANT", "REVOKE"):
        return None
    revoke = _is(tokens[0], "REVOKE")
    i = 1
    if (
        revoke
        and _is(_at(tokens, i), "GRANT", "ADMIN", "INHERIT", "SET")
        and _is(_at(tokens, i + 1), "OPTION")
        and _is(_at(tokens, i + 2), "FOR")
    ):
        i += 3
    head: list[_Token] = []
    depth = 0
    while i < len(tokens) and not (depth == 0 and _is(tokens[i], "ON", "TO", "FROM")):
        token = tokens[i]
        if token.kind == "punct" and token.text == "(":
            depth += 1
        elif token.kind == "punct" and token.text == ")":
            depth -= 1
        elif depth == 0 and token.kind in ("word", "ident"):
            head.append(token)
        i += 1
    if i >= len(tokens):
        return None
    if _is(tokens[i], "TO", "FROM"):  # role membership: GRANT role TO grantee
        roles = [_name(t) for t in head]
        return Grant(["MEMBERSHIP"], "ROLE", roles, _grantees(tokens, i + 1))
    words = {t.text.upper() for t in head if t.kind == "word"}
    privileges = sorted(words & _PRIVILEGES - {"PRIVILEGES"})
    i += 1  # ON
    kind_words: list[str] = []
    while i < len(tokens) and _is(tokens[i], *_OBJECT_KIND_WORDS):
        kind_words.append(tokens[i].text.upper())
        i += 1
    objects: list[str] = []
    current: list[str] = []
    while i < len(tokens) and not _is(tokens[i], "TO", "FROM"):
        token = tokens[i]
        if token.kind in ("word", "ident"):
            current.append(_name(token))
        elif token.text == "," and current:
            objects.append(".".join(current))
            current = []
        elif token.text == "(":  # a function's argument list
            depth = 1
            while depth and i + 1 < len(tokens):
                i += 1
                depth += (
                    {"(": 1, ")": -1}.get(tokens[i].text, 0) if tokens[i].kind == "punct" else 0
                )
        i += 1
    if current:
        objects.append(".".join(current))
    kind = " ".join(kind_words) or "TABLE"
    if kind.startswith("ALL ") and "IN SCHEMA" in kind:
        objects = [f"{schema}.*" for schema in objects]
    if i >= len(tokens):
        return None
    return Grant(privileges, kind, objects, _grantees(tokens, i + 1))


def _at(tokens: list[_Token], i: int) -> _Token | None:
    return tokens[i] if i < len(tokens) else None


def _grantees(tokens: list[_Token], i: int) -> list[str]:
    names: list[str] = []
    while i < len(tokens):
        token = tokens[i]
        if _is(token, "WITH", "GRANTED", "CASCADE", "RESTRICT"):
            break
        if token.kind == "word" and token.text.upper() == "GROUP":
            pass
        elif token.kind == "word" and token.text.upper() == "PUBLIC":
            names.append("PUBLIC")
        elif token.kind in ("word", "ident"):
            names.append(_name(token))
        i += 1
    return names


def _role_targets(tokens: list[_Token]) -> list[str]:
    """The role a CREATE/ALTER/DROP ROLE (or USER) names: the identifiers after the verb."""
    i = 2 if len(tokens) > 1 and _is(tokens[1], "ROLE", "USER", "GROUP") else 1
    if _is(_at(tokens, i), "IF") and _is(_at(tokens, i + 1), "EXISTS"):
        i += 2
    names: list[str] = []
    if _is(tokens[0], "DROP"):
        while i < len(tokens):
            if tokens[i].kind in ("word", "ident"):
                names.append(_name(tokens[i]))
            i += 1
    elif i < len(tokens) and tokens[i].kind in ("word", "ident"):
        names.append(_name(tokens[i]))
    return names


# ---------------------------------------------------------------- log record readers


def _tz(text: str, cache: dict[str, tzinfo]) -> tzinfo | None:
    zone = cache.get(text)
    if zone is not None:
        return zone
    if text in ("UTC", "GMT", "Z", "UCT", "Etc/UTC"):
        zone = UTC
    else:
        match = re.fullmatch(r"([+-])(\d\d):?(\d\d)?", text)
        if match is None:
            return None
        minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
        zone = timezone(timedelta(minutes=-minutes if match.group(1) == "-" else minutes))
    cache[text] = zone
    return zone


def parse_log_time(text: str, cache: dict[str, tzinfo] | None = None) -> datetime | None:
    """``2026-12-07 19:30:50.558 UTC`` (or ``+01``, ``-0330``) as an aware datetime."""
    stamp, _, zone_text = text.strip().rpartition(" ")
    if not stamp:
        return None
    zone = _tz(zone_text, {} if cache is None else cache)
    if zone is None:
        return None
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=zone)
    except ValueError:
        return None


def _client_host(connection_from: str) -> str:
    """csvlog's connection_from (``host:port`` or ``[local]``) without the port."""
    if connection_from.startswith("[") or ":" not in connection_from:
        return connection_from
    host, _, port = connection_from.rpartition(":")
    return host if port.isdigit() else connection_from


def _lines(stream: IO[str], source: _Source) -> Iterator[str]:
    """The stream's lines, each at most MAX_LINE_CHARS long; a longer line, or one with a
    NUL byte (PostgreSQL writes none: not a log, or a corrupt one), is a one-line error."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"{source.path}:{number}: line longer than {MAX_LINE_CHARS >> 20} Mi characters"
            )
        if "\x00" in line:
            raise InputError(f"{source.path}:{number}: NUL byte in the log (not a text log)")
        yield line


def _csv_records(stream: IO[str], source: _Source) -> Iterator[tuple[int, _Record]]:
    # A logged statement can be far longer than the csv module's 128 KiB field default (a
    # bulk INSERT); past this a record is refused with its line, not read whole.
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(_lines(stream, source))
    columns = 0
    try:
        for row in reader:
            if not row:
                continue
            if not columns:
                columns = len(row)
                if columns not in CSV_LAYOUTS:
                    raise InputError(
                        f"{source.path}:{reader.line_num}: csvlog record has {columns} columns;"
                        " expected 23 (PostgreSQL 9.0-12), 24 (13) or 26 (14 or later)"
                    )
            elif len(row) != columns:
                raise InputError(
                    f"{source.path}:{reader.line_num}: csvlog record has {len(row)} columns,"
                    f" earlier records {columns}"
                )
            yield (
                reader.line_num,
                _Record(
                    row[CSV_TIME],
                    row[CSV_USER],
                    row[CSV_DATABASE],
                    _client_host(row[CSV_CONNECTION]),
                    row[CSV_SESSION],
                    row[CSV_SQLSTATE] or None,
                    row[CSV_MESSAGE],
                ),
            )
    except csv.Error as error:
        raise InputError(f"{source.path}:{reader.line_num}: not a csvlog record: {error}") from None
    finally:
        source.lines = reader.line_num


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A record with a key twice is ambiguous (readers keep the first or the last: a second
    # "timestamp" could move an audit line out of the period unseen): refused, not guessed.
    entry = dict(pairs)
    if len(entry) != len(pairs):
        raise _DuplicateKey
    return entry


_JSON_TEXT_FIELDS = ("user", "dbname", "remote_host", "session_id", "state_code", "message")


def _json_records(stream: IO[str], source: _Source) -> Iterator[tuple[int, _Record]]:
    number = 0
    try:
        for number, line in enumerate(_lines(stream, source), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line, object_pairs_hook=_unique_keys)
            except _DuplicateKey:
                raise InputError(
                    f"{source.path}:{number}: jsonlog record with a key twice"
                ) from None
            except (ValueError, RecursionError):
                raise InputError(f"{source.path}:{number}: not a jsonlog record") from None
            if not isinstance(entry, dict) or not isinstance(entry.get("timestamp"), str):
                raise InputError(f"{source.path}:{number}: jsonlog record without a timestamp")
            # A field of another type (a message as a list) is not PostgreSQL's: str() of it
            # would drop an audit line as an ordinary message, so it is refused.
            for name in _JSON_TEXT_FIELDS:
                if not isinstance(entry.get(name, ""), str | None):
                    raise InputError(
                        f"{source.path}:{number}: jsonlog field {name!r} is not a string"
                    )
            if not isinstance(entry.get("pid", 0), int | str | None) or isinstance(
                entry.get("pid"), bool
            ):
                raise InputError(f"{source.path}:{number}: jsonlog field 'pid' is not a number")
            yield (
                number,
                _Record(
                    entry["timestamp"],
                    _text(entry.get("user")),
                    _text(entry.get("dbname")),
                    _text(entry.get("remote_host")),
                    _text(entry.get("session_id")) or _text(entry.get("pid")),
                    _text(entry.get("state_code")) or None,
                    _text(entry.get("message")),
                ),
            )
    finally:
        source.lines = number


def _text(value: Any) -> str:
    return "" if value is None else str(value)


_SEVERITIES = (
    "DEBUG5|DEBUG4|DEBUG3|DEBUG2|DEBUG1|DEBUG|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC"
    "|DETAIL|HINT|QUERY|CONTEXT|LOCATION|STATEMENT"
)
_TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
_ESCAPES = {
    "t": ("time", _TIME + r"(?: \S+)?"),
    "m": ("time", _TIME + r"\.\d+(?: \S+)?"),
    "n": ("epoch", r"\d+(?:\.\d+)?"),
    "s": (None, _TIME + r"(?: \S+)?"),
    "p": ("pid", r"\d+"),
    "P": (None, r"\d*"),
    "u": ("user", r".*?"),
    "d": ("database", r".*?"),
    "r": ("remote", r"\S*?"),
    "h": ("host", r"\S*?"),
    "a": (None, r".*?"),
    "b": (None, r".*?"),
    "i": (None, r".*?"),
    "l": (None, r"\d+"),
    "e": ("sqlstate", r"[0-9A-Z]{5}"),
    "c": ("session", r"[0-9a-f]+\.[0-9a-f]+"),
    "v": (None, r"\S*?"),
    "x": (None, r"\d+"),
    "Q": (None, r"-?\d+"),
}


def prefix_pattern(line_prefix: str) -> re.Pattern[str]:
    """A regular expression for one stderr log line: ``line_prefix``'s escapes as named
    groups, then ``SEVERITY:  message``. ``%q`` makes the rest of the prefix optional
    (PostgreSQL leaves it out for processes without a session)."""
    parts: list[str] = []
    optional_from: int | None = None
    seen: set[str] = set()
    i = 0
    while i < len(line_prefix):
        char = line_prefix[i]
        if char != "%":
            parts.append(re.escape(char))
            i += 1
            continue
        match = re.compile(r"%(-?\d+)?(.)").match(line_prefix, i)
        if match is None:
            parts.append(re.escape(char))
            i += 1
            continue
        i = match.end()
        padding, escape = match.group(1), match.group(2)
        if escape == "%":
            parts.append("%")
            continue
        if escape == "q":
            optional_from = len(parts)
            continue
        if escape not in _ESCAPES:
            raise InputError(f"log_line_prefix {line_prefix!r}: unsupported escape %{escape}")
        group, pattern = _ESCAPES[escape]
        if group and group not in seen:
            seen.add(group)
            pattern = f"(?P<{group}>{pattern})"
        else:
            pattern = f"(?:{pattern})"
        parts.append(f" *{pattern} *" if padding else pattern)
    if optional_from is not None:
        parts[optional_from:] = ["(?:" + "".join(parts[optional_from:]) + ")?"]
    return re.compile("".join(parts) + rf"(?P<severity>{_SEVERITIES}):  (?P<message>.*)", re.DOTALL)


def _stderr_records(
    stream: IO[str], source: _Source, pattern: re.Pattern[str]
) -> Iterator[tuple[int, _Record]]:
    has_state = "sqlstate" in pattern.groupindex
    pending: tuple[int, re.Match[str]] | None = None
    extra: list[str] = []
    extra_chars = 0
    number = 0

    def record(first: int, match: re.Match[str]) -> tuple[int, _Record] | None:
        if match.group("severity") not in ("LOG", "ERROR", "FATAL", "PANIC", "WARNING"):
            return None  # DETAIL, STATEMENT, ...: parts of the record before
        groups = match.groupdict()
        message = match.group("message")
        if extra:
            message = "\n".join([message, *extra])
        time = groups.get("time") or ""
        if not time and groups.get("epoch"):
            time = datetime.fromtimestamp(float(groups["epoch"]), UTC).isoformat(" ")
            time = time.replace("+00:00", " UTC")
        remote = groups.get("remote") or ""
        client = groups.get("host") or (remote.partition("(")[0] if remote else "")
        state = groups.get("sqlstate") if has_state else _state_from_message(message)
        if not time:
            raise InputError(f"{source.path}:{first}: log_line_prefix has no %t, %m or %n")
        return first, _Record(
            time,
            groups.get("user") or "",
            groups.get("database") or "",
            client,
            groups.get("session") or groups.get("pid") or "",
            state,
            message,
        )

    try:
        for number, line in enumerate(_lines(stream, source), 1):
            line = line.rstrip("\n").rstrip("\r")
            if pending is not None and (line.startswith("\t") or not line):
                extra.append(line[1:] if line.startswith("\t") else line)
                extra_chars += len(line)
            else:
                match = pattern.match(line)
                if match is None:
                    if pending is None:
                        raise InputError(
                            f"{source.path}:{number}: line does not start with the log_line_prefix"
                        )
                    extra.append(line)
                    extra_chars += len(line)
                else:
                    if pending is not None:
                        done = record(*pending)
                        if done:
                            yield done
                    pending, extra, extra_chars = (number, match), [], 0
                    continue
            # Continuation lines are kept until the record ends: bounded, or a log of one
            # prefixed line and gigabytes of others would be held whole.
            if extra_chars > MAX_LINE_CHARS and pending is not None:
                raise InputError(
                    f"{source.path}:{pending[0]}: record longer than"
                    f" {MAX_LINE_CHARS >> 20} Mi characters (continued to line {number})"
                )
        if pending is not None:
            done = record(*pending)
            if done:
                yield done
    finally:
        source.lines = number


def _state_from_message(message: str) -> str | None:
    for text, state in _STATE_BY_MESSAGE:
        if message.startswith(text):
            return state
    return None


# ---------------------------------------------------------------- the summary


@dataclass
class _Session:
    statement: str = ""
    classes: set[str] = field(default_factory=set)
    commands: set[str] = field(default_factory=set)
    tables: set[tuple[str, str]] = field(default_factory=set)
    listed: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass
class _Totals:
    operations: int = 0
    by_database: Counter[str] = field(default_factory=Counter)
    by_user: Counter[str] = field(default_factory=Counter)
    by_class: Counter[str] = field(default_factory=Counter)
    by_command: Counter[str] = field(default_factory=Counter)
    table_reads: Counter[str] = field(default_factory=Counter)
    table_writes: Counter[str] = field(default_factory=Counter)
    role_statements: list[dict[str, Any]] = field(default_factory=list)
    role_total: int = 0
    ddl_statements: list[dict[str, Any]] = field(default_factory=list)
    ddl_total: int = 0
    classified_grants: list[dict[str, Any]] = field(default_factory=list)
    classified_grants_total: int = 0
    violations: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed: Counter[tuple[str, str, str]] = field(default_factory=Counter)


class _Summariser:
    def __init__(
        self,
        period: Period,
        classified: Mapping[str, Sequence[str]],
        login_roles: Collection[str] | None,
    ) -> None:
        self.period = period
        self.classified = {key.lower(): sorted(set(v)) for key, v in classified.items()}
        self.classified_schemas = {key.rpartition(".")[0] for key in self.classified}
        self.login_roles = None if login_roles is None else set(login_roles)
        self.sessions: OrderedDict[str, _Session] = OrderedDict()
        self.totals = _Totals()
        self.zones: dict[str, tzinfo] = {}

    def add(self, where: str, record: _Record) -> None:
        message = record.message
        audit = message.startswith(AUDIT_PREFIX)
        if not audit and record.sqlstate not in WANTED_STATES:
            return
        when = parse_log_time(record.time, self.zones)
        if when is None:
            raise InputError(f"{where}: unreadable log time {record.time[:40]!r}")
        if not self.period.contains(when):
            return
        if audit:
            self._audit(where, record, when)
            return
        state = record.sqlstate or ""
        if state == ACCESS_VIOLATION:
            self.totals.violations[(record.user, record.client)] += 1
        else:
            self.totals.failed[(record.user, record.client, state)] += 1

    def _audit(self, where: str, record: _Record, when: datetime) -> None:
        fields = _audit_fields(where, message=record.message[len(AUDIT_PREFIX) :])
        _kind, statement_id, _sub, klass, command, object_type, object_name, rest = fields
        session = self.sessions.get(record.session)
        if session is None:
            session = self.sessions[record.session] = _Session()
            if len(self.sessions) > SESSION_CACHE:
                self.sessions.popitem(last=False)
        else:
            self.sessions.move_to_end(record.session)
        t = self.totals
        if session.statement != statement_id or not record.session:
            session.statement = statement_id
            session.classes.clear()
            session.commands.clear()
            session.tables.clear()
            session.listed.clear()
            t.operations += 1
            t.by_database[record.database] += 1
            t.by_user[record.user] += 1
        if klass not in session.classes:
            session.classes.add(klass)
            t.by_class[klass] += 1
        if command not in session.commands:
            session.commands.add(command)
            t.by_command[command] += 1
        kind = "read" if klass == "READ" else "write" if klass == "WRITE" else None
        if kind and object_name:
            table = self._classified_table(record.database, object_name)
            if table and (table, kind) not in session.tables:
                session.tables.add((table, kind))
                (t.table_reads if kind == "read" else t.table_writes)[table] += 1
        if klass == "ROLE" or command in ROLE_COMMANDS or klass == "DDL":
            key = (klass, command, object_name)
            if key in session.listed:
                return  # the same statement's OBJECT line or another relation of it
            session.listed.add(key)
            self._list(where, record, when, klass, command, object_type, object_name, rest)

    def _list(
        self,
        where: str,
        record: _Record,
        when: datetime,
        klass: str,
        command: str,
        object_type: str,
        object_name: str,
        rest: str,
    ) -> None:
        t = self.totals
        entry: dict[str, Any] = {
            "time": Period.rfc3339(when),
            "database": record.database,
            "user": record.user,
            "client": record.client,
            "class": klass,
            "command": command,
            "object_type": object_type,
            "object_name": object_name,
        }
        if klass != "ROLE" and command not in ROLE_COMMANDS:
            t.ddl_total += 1
            if len(t.ddl_statements) < LIST_CAP:
                t.ddl_statements.append(entry)
            return
        statement = _statement_field(where, rest)
        tokens = [s for s in _statements(sql_tokens(statement)) if _matches(s, command)]
        if command in ("GRANT", "REVOKE"):
            grant = parse_grant(tokens[0]) if len(tokens) == 1 else None
            entry |= self._grant_entry(record.database, grant)
            if command == "GRANT" and (entry["data_classes"] or entry["grantees"] is None):
                t.classified_grants_total += 1
                if len(t.classified_grants) < LIST_CAP:
                    t.classified_grants.append(entry)
        else:
            entry["roles"] = _role_targets(tokens[0]) if len(tokens) == 1 else None
        t.role_total += 1
        if len(t.role_statements) < LIST_CAP:
            t.role_statements.append(entry)

    def _grant_entry(self, database: str, grant: Grant | None) -> dict[str, Any]:
        if grant is None:  # several GRANTs in one query string, or unreadable: unknown
            return {"privileges": None, "object_kind": None, "objects": None,
                    "grantees": None, "data_classes": []}  # fmt: skip
        classes: set[str] = set()
        objects = []
        for name in grant.objects:
            qualified = name if "." in name else f"public.{name}"
            objects.append(qualified)
            if grant.object_kind == "TABLE":
                classes.update(self.classified.get(f"{database}.{qualified}".lower(), []))
            elif qualified.endswith(".*") and "IN SCHEMA" in grant.object_kind:
                prefix = f"{database}.{qualified[:-2]}".lower()
                for key, values in self.classified.items():
                    if key.rpartition(".")[0] == prefix:
                        classes.update(values)
        grantees = [
            {
                "name": name,
                "public": name == "PUBLIC",
                "login": None
                if name == "PUBLIC" or self.login_roles is None
                else name in self.login_roles,
            }
            for name in grant.grantees
        ]
        return {
            "privileges": grant.privileges,
            "object_kind": grant.object_kind,
            "objects": objects,
            "grantees": grantees,
            "data_classes": sorted(classes),
        }

    def _classified_table(self, database: str, object_name: str) -> str | None:
        names = [part for part in next(csv.reader([object_name], delimiter="."), [])]
        qualified = ".".join(names if len(names) > 1 else ["public", *names])
        key = f"{database}.{qualified}".lower()
        return key if key in self.classified else None

    def resource(
        self, server: str, sources: list[_Source], pgaudit_configured: bool | None
    ) -> dict[str, Any]:
        t = self.totals
        tables = sorted(set(t.table_reads) | set(t.table_writes))
        reads, writes = sum(t.table_reads.values()), sum(t.table_writes.values())
        violations = sorted(t.violations.items(), key=lambda kv: (-kv[1], kv[0]))
        failed = sorted(t.failed.items(), key=lambda kv: (-kv[1], kv[0]))
        data_classes = sorted({c for table in tables for c in self.classified[table]})
        attributes = {
            "server": server,
            "period_start": Period.rfc3339(self.period.start),
            "period_end": Period.rfc3339(self.period.end),
            "sources": [s.as_json() for s in sources],
            "pgaudit_configured": pgaudit_configured,
            "total_operations": t.operations,
            "by_database": dict(sorted(t.by_database.items())),
            "by_user": dict(sorted(t.by_user.items())),
            "by_class": dict(sorted(t.by_class.items())),
            "by_command": dict(sorted(t.by_command.items())),
            "sensitive_operations": {
                "total": reads + writes,
                "reads": reads,
                "writes": writes,
                "tables": [
                    {
                        "table": table,
                        "data_classes": self.classified[table],
                        "reads": t.table_reads[table],
                        "writes": t.table_writes[table],
                    }
                    for table in tables
                ],
            },
            "role_statements": t.role_statements,
            "role_statements_total": t.role_total,
            "ddl_statements": t.ddl_statements,
            "ddl_statements_total": t.ddl_total,
            "classified_grants": t.classified_grants,
            "classified_grants_total": t.classified_grants_total,
            "access_violations": [
                {"user": user, "client": client, "count": n}
                for (user, client), n in violations[:LIST_CAP]
            ],
            "access_violations_total": sum(t.violations.values()),
            "failed_logins": [
                {"user": user, "client": client, "sqlstate": state, "count": n}
                for (user, client, state), n in failed[:LIST_CAP]
            ],
            "failed_logins_total": sum(t.failed.values()),
        }
        return {
            "address": f"postgresql-audit://{server}",
            "type": RESOURCE_TYPE,
            "provider": "postgresql",
            "account": None,
            "region": None,
            "name": server,
            "tags": {},
            "data_classes": data_classes,
            "attributes": attributes,
            "unknown": [],
            "sensitive": [],
        }


def _matches(tokens: list[_Token], command: str) -> bool:
    words = command.split()
    return len(tokens) >= len(words) and all(
        _is(token, word) or (word == "ROLE" and _is(token, "USER", "GROUP"))
        for token, word in zip(tokens, words, strict=False)
    )


def _audit_fields(where: str, message: str) -> list[str]:
    """AUDIT_TYPE .. OBJECT_NAME and the unparsed rest (STATEMENT,PARAMETER)."""
    parts = message.split(",", 7)
    if len(parts) == 8 and '"' not in "".join(parts[:7]):
        return parts
    try:
        row = next(csv.reader(io.StringIO(message)))
    except (csv.Error, StopIteration):
        row = []
    if len(row) < 7:
        raise InputError(f"{where}: pgaudit message with fewer than 7 fields")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(row[7:])
    return [*row[:7], buffer.getvalue()]


def _statement_field(where: str, rest: str) -> str:
    try:
        row = next(csv.reader(io.StringIO(rest)), [])
    except csv.Error:
        raise InputError(f"{where}: pgaudit statement field is not valid CSV") from None
    return row[0] if row else ""


# ---------------------------------------------------------------- files


def log_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, and under each directory every *.csv, *.json, *.log (and .gz)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(_walk(path)))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file or directory")
        else:
            raise InputError(f"{path}: no such log file or directory")
    return found


def _walk(top: Path) -> Iterator[Path]:
    """The log files under ``top``. Fail closed: Path.rglob and is_file() skip, without a
    word, a folder that cannot be listed and a log name whose link is dangling or loops,
    which would read as a quiet period; here each is a one-line error. Linked folders are
    not followed (no loop)."""

    def refuse(error: OSError) -> None:
        raise InputError(f"{error.filename}: cannot list: {error.strerror}")

    for folder, _dirs, names in os.walk(top, onerror=refuse):
        for name in names:
            if not name.removesuffix(".gz").endswith(LOG_SUFFIXES):
                continue
            path = Path(folder, name)
            try:
                regular = path.stat().st_mode & 0o170000 == 0o100000
            except OSError as error:
                raise InputError(f"{path}: cannot read: {error.strerror}") from None
            if not regular:
                raise InputError(f"{path}: not a regular file")
            yield path


def _format_of(path: Path, log_format: str, head: bytes) -> str:
    if log_format != "auto":
        return log_format
    name = path.name.removesuffix(".gz")
    if name.endswith(".csv"):
        return "csvlog"
    if name.endswith(".json"):
        return "jsonlog"
    if name.endswith(".log"):
        return "stderr"
    first = head.lstrip()[:1]
    if first == b"{":
        return "jsonlog"
    if re.match(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \S+,", head):
        return "csvlog"
    return "stderr"


def _read(
    path: Path,
    log_format: str,
    pattern: re.Pattern[str] | None,
    summariser: _Summariser,
) -> _Source:
    try:
        raw = path.open("rb")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    hashing = _HashingReader(raw)
    source = _Source(path, log_format)
    try:
        buffered = io.BufferedReader(hashing, 1 << 20)
        binary = buffered
        if buffered.peek(2)[:2] == b"\x1f\x8b":
            binary = io.BufferedReader(gzip.GzipFile(fileobj=buffered, mode="rb"), 1 << 20)  # type: ignore[arg-type]
        source.log_format = _format_of(path, log_format, binary.peek(256)[:256])
        stream = io.TextIOWrapper(binary, encoding="utf-8", errors="replace", newline="")
        if source.log_format == "csvlog":
            records = _csv_records(stream, source)
        elif source.log_format == "jsonlog":
            records = _json_records(stream, source)
        else:
            if pattern is None:
                raise InputError(f"{path}: a stderr log needs the server's log_line_prefix")
            records = _stderr_records(stream, source, pattern)
        for line, record in records:
            source.records += 1
            summariser.add(f"{path}:{line}", record)
        hashing.drain()
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        # Line 0: the error came before the first line (a short gzip is read ahead whole).
        where = f"{path}:{source.lines}" if source.lines else str(path)
        raise InputError(f"{where}: cannot read: {error}") from None
    finally:
        raw.close()
    source.sha256 = hashing.digest.hexdigest()
    source.bytes = hashing.count
    return source


def summarise_postgres_logs(
    paths: Sequence[Path],
    *,
    period: Period,
    server: str,
    log_format: str = "auto",
    line_prefix: str | None = None,
    classified: Mapping[str, Sequence[str]] | None = None,
    pgaudit_configured: bool | None = None,
    login_roles: Collection[str] | None = None,
) -> dict[str, Any]:
    """One ``postgresql_audit_summary`` resource for ``server`` over ``period``.

    ``classified`` maps "database.schema.table" to its data classes (the collector's
    classification); ``login_roles``, when given, are the roles that can log in (so a
    GRANT's grantees are marked login or not; without it their ``login`` is null).
    """
    if log_format not in FORMATS:
        raise InputError(f"log format {log_format!r}: expected one of {', '.join(FORMATS)}")
    pattern = prefix_pattern(line_prefix) if line_prefix is not None else None
    summariser = _Summariser(period, classified or {}, login_roles)
    sources = [_read(path, log_format, pattern, summariser) for path in log_files(paths)]
    return summariser.resource(server, sources, pgaudit_configured)
