"""Reading an inventory snapshot resource by resource, never holding it whole.

A parsed snapshot takes about four times its size on disk in Python objects, and a scan
needs each resource only long enough to check it. So a UTF-8 snapshot is read in blocks
and each resource is parsed, checked (repeated keys, nesting, lone surrogates, its
type's schema) and dropped, keeping what the scan needs later: address, type, line, the
byte span of its text in the file and any sensitive values. What OPA is sent is read
again from those spans, and the resources that have findings are parsed again from
theirs for scoring (`StreamedResources`).

A Terraform plan is read the same way (`read_plan_stream`): each resource change is
checked and kept as its text, to be parsed again one at a time as the plan is adapted; the
configuration (for folding) is parsed alone; every other part (planned values, prior state)
is walked a member at a time, checked and dropped; the line of each address's first
`"address"` key is noted on the way. A 28 MB plan never becomes 100 MiB of objects at once.

Whatever these readers do not accept outright (UTF-16, invalid JSON, a resource that
breaks a rule, a plan of planned values only) raises NotStreamable, and a plan the adapter
refuses is read again: the whole-document loader in load.py then reads the file and words
the first error in it exactly as it always has.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from compliance_opa.domain.redact import sensitive_values
from compliance_opa.errors import InputError
from compliance_opa.inventory.compiled_schema import document_conforms, resource_conforms
from compliance_opa.inventory.json_checks import (
    SURROGATE_ESCAPE,
    UTF16_BOMS,
    address_keys,
    checked_key_count,
    finite_float,
    keys_in_text,
    no_constant,
    pairs_without_duplicates,
)
from compliance_opa.support.jsonbytes import dumps

BLOCK = 4 * 1024 * 1024
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Resources whose keys are counted in one walk.
_BATCH = 256
# Top-level keys of a Terraform plan: the plan adapter needs the document whole.
_PLAN_KEYS = frozenset({"format_version", "resource_changes", "planned_values"})


class NotStreamable(Exception):
    """The file is for the whole-document loader, which also words any error in it."""


@dataclass(frozen=True, slots=True)
class ResourceEntry:
    address: str
    type: str
    line: int  # of its "address" key, for reports that point into the input
    start: int  # byte offsets of the resource's JSON text in the file
    end: int
    crc: int  # of that text: a resource read again must be the one checked
    # It spells a number with a fraction or an exponent: sent to OPA as the whole-document
    # loader parses it (3.0 as the integer 3, 0.30000000000000000001 as the double 0.3),
    # not as written.
    normalised: bool


@dataclass(frozen=True)
class StreamedResources:
    """The resources of a snapshot file, read again from it when needed. A file that is
    no longer the one checked (replaced, or any resource's text changed) is refused."""

    path: Path
    entries: list[ResourceEntry]
    digest: str  # sha256 of the file when it was checked
    file_id: tuple[int, int, int, int]  # device, inode, size, mtime: unchanged since
    sensitive: dict[str, set[str]] = field(default_factory=dict)

    def encoded(self, compact_over: int | None = None) -> Iterator[bytes]:
        """Each resource's JSON text, in order, from one sequential read of the file: as
        written, or written again compactly when normalised or longer than
        ``compact_over``. The file's digest is checked after the last one."""
        digest = hashlib.sha256()
        with _open_same(self.path, self.file_id) as handle:
            offset = 0
            for entry in self.entries:
                gap = handle.read(entry.start - offset)
                text = self._checked(entry, handle.read(entry.end - entry.start))
                digest.update(gap)
                digest.update(text)
                offset = entry.end
                if entry.normalised or (compact_over is not None and len(text) > compact_over):
                    text = _normalised(text)
                yield text
            while block := handle.read(BLOCK):
                digest.update(block)
        if digest.hexdigest() != self.digest:
            raise InputError(f"{self.path}: changed while it was being scanned")

    def compact_size(self, entry: ResourceEntry) -> int:
        """The length of the resource's text written compactly."""
        with _open_same(self.path, self.file_id) as handle:
            handle.seek(entry.start)
            return len(_normalised(self._checked(entry, handle.read(entry.end - entry.start))))

    def parsed(self, wanted: Container[str] | None = None) -> Iterator[dict[str, Any]]:
        """The resources (those whose address is in ``wanted``, when given), parsed again
        from their text."""
        with _open_same(self.path, self.file_id) as handle:
            for entry in self.entries:
                if wanted is not None and entry.address not in wanted:
                    continue
                handle.seek(entry.start)
                text = self._checked(entry, handle.read(entry.end - entry.start))
                resource: dict[str, Any] = _decoder().decode(text.decode("utf-8"))
                yield resource

    def _checked(self, entry: ResourceEntry, text: bytes) -> bytes:
        if zlib.crc32(text) != entry.crc or len(text) != entry.end - entry.start:
            raise InputError(f"{self.path}: changed while it was being scanned")
        return text


def read_snapshot(
    path: Path, handle: IO[bytes], max_bytes: int
) -> tuple[dict[str, Any], int, StreamedResources]:
    """(The envelope without its resources, bytes read, the resources) of an inventory
    snapshot open in ``handle``; NotStreamable for anything else."""
    stat = os.fstat(handle.fileno())
    reader = _Reader(path, handle, max_bytes)
    envelope, entries, sensitive = _Snapshot(reader).read()
    resources = StreamedResources(
        path=path,
        entries=entries,
        digest=reader.digest(),
        file_id=(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns),
        sensitive=sensitive,
    )
    return envelope, reader.size, resources


class _Reader:
    """Decoded text of a file, a block at a time, with the byte offset and line of any
    position (asked for in increasing order)."""

    def __init__(self, path: Path, handle: IO[bytes], max_bytes: int) -> None:
        self.path = path
        self._handle = handle
        self._max_bytes = max_bytes
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._hash = hashlib.sha256()
        self.size = 0
        self.eof = False
        self.text = ""
        self.pos = 0
        # text[_mark] is at byte _mark_byte of the file, on line _mark_line.
        self._mark = 0
        self._mark_byte = 0
        self._mark_line = 1
        self._started = False
        self._ascii = True

    def digest(self) -> str:
        return self._hash.hexdigest()

    def fill(self, at_least: int = 0) -> bool:
        """Read one more block (or ``at_least`` bytes), dropping the text before ``pos``;
        False at end of file."""
        if self.eof:
            return False
        # The first read holds any byte order mark whole.
        raw = self._handle.read(max(BLOCK, at_least, 0 if self._started else 4))
        self.size += len(raw)
        if self.size > self._max_bytes:  # grown since it was opened
            raise NotStreamable
        self._hash.update(raw)
        if not self._started:
            self._started = True
            if raw.startswith(UTF16_BOMS):
                raise NotStreamable
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
                self._mark_byte = len(codecs.BOM_UTF8)
        try:
            decoded = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise NotStreamable from exc
        self.eof = not raw
        self.locate(self.pos)
        self.text = self.text[self.pos :] + decoded
        self.pos = self._mark = 0
        self._ascii = self.text.isascii()  # then a character is a byte
        return True

    def locate(self, position: int) -> tuple[int, int]:
        """(Byte offset in the file, line) of text[position]; never before the last asked."""
        if self._ascii:
            self._mark_byte += position - self._mark
        else:
            self._mark_byte += len(self.text[self._mark : position].encode("utf-8"))
        self._mark_line += self.text.count("\n", self._mark, position)
        self._mark = position
        return self._mark_byte, self._mark_line

    def next_char(self) -> str:
        """The next character that is not whitespace ('' at end of file), not consumed."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill():
                return ""

    def value(self, scan: Callable[[str, int], tuple[Any, int]]) -> tuple[Any, int, int]:
        """(The next JSON value, its start and end in ``text``), consumed."""
        self.next_char()
        while True:
            try:
                value, end = scan(self.text, self.pos)
            except (json.JSONDecodeError, StopIteration):
                # The value may just go on: read as much again as it has so far, so a
                # value of many blocks is parsed from its start a few times, not once a block.
                if self.fill(len(self.text) - self.pos):
                    continue
                raise NotStreamable from None
            except (ValueError, RecursionError) as exc:  # NaN, 1e999, a 5000-digit integer
                raise NotStreamable from exc
            # A number that ends where the text does may go on in the next block.
            if end == len(self.text) and self.fill():
                continue
            start, self.pos = self.pos, end
            return value, start, end


class _Snapshot:
    """The grammar of a snapshot's outer object, with each resource checked as it comes."""

    def __init__(self, reader: _Reader) -> None:
        self._reader = reader
        self._floats = 0  # number tokens with a fraction or an exponent read so far
        self._scan = _decoder(self._count_float).raw_decode
        self._entries: list[ResourceEntry] = []
        self._sensitive: dict[str, set[str]] = {}
        self._exact = json.JSONDecoder(
            object_pairs_hook=pairs_without_duplicates,
            parse_float=finite_float,
            parse_constant=no_constant,
        )
        self._batch: list[Any] = []  # resources whose keys are not yet counted
        self._batch_keys = 0  # the keys their text spells

    def _count_float(self, text: str) -> float | int:
        self._floats += 1
        return finite_float(text)

    def read(self) -> tuple[dict[str, Any], list[ResourceEntry], dict[str, set[str]]]:
        reader = self._reader
        if reader.next_char() != "{":
            raise NotStreamable
        reader.pos += 1
        envelope: dict[str, Any] = {}
        streamed = False
        closing = reader.next_char()
        while closing != "}":
            if closing != '"':
                raise NotStreamable
            key, _, _ = reader.value(self._scan)
            if reader.next_char() != ":" or key in envelope or key in _PLAN_KEYS:
                raise NotStreamable
            reader.pos += 1
            if key == "resources" and not streamed and reader.next_char() == "[":
                reader.pos += 1
                self._resources()
                streamed = True
            elif key == "resources":
                raise NotStreamable
            else:
                envelope[key] = self._checked(*reader.value(self._scan), depth=1)
            closing = reader.next_char()
            if closing == ",":
                reader.pos += 1
                closing = reader.next_char()
                if closing == "}":
                    raise NotStreamable
            elif closing != "}":
                raise NotStreamable
        reader.pos += 1
        if reader.next_char() != "" or not streamed:
            raise NotStreamable
        if not document_conforms({**envelope, "resources": []}):
            raise NotStreamable
        return envelope, self._entries, self._sensitive

    def _resources(self) -> None:
        reader = self._reader
        if reader.next_char() == "]":
            reader.pos += 1
            return
        while True:
            self._resource()
            following = reader.next_char()
            reader.pos += 1
            if following == "]":
                self._settle()
                return
            if following != ",":
                raise NotStreamable

    def _resource(self) -> None:
        reader = self._reader
        floats_before = self._floats
        resource, start, end = reader.value(self._scan)
        text, spelled = self._spelled(start, end)
        if spelled is None:  # rare: this one is checked on its own, key by key
            self._check_exactly(start, end)
            self._key_count(resource, depth=2)  # the depth limit
        else:
            self._batch.append(resource)
            self._batch_keys += spelled
            if len(self._batch) >= _BATCH:
                self._settle()
        if not isinstance(resource, dict) or not resource_conforms(resource):
            raise NotStreamable
        address = resource["address"]
        start_byte, _ = reader.locate(start)
        line = self._address_line(address, start, end)
        end_byte, _ = reader.locate(end)
        if resource.get("sensitive"):
            self._sensitive[address] = sensitive_values(resource)
        self._entries.append(
            ResourceEntry(
                address=address,
                type=sys.intern(resource["type"]),
                line=line,
                start=start_byte,
                end=end_byte,
                crc=zlib.crc32(text),
                normalised=self._floats != floats_before,
            )
        )

    def _address_line(self, address: str, start: int, end: int) -> int:
        reader = self._reader
        if reader.text.find("\n", start, end) < 0:  # all on one line
            return reader.locate(start)[1]
        for position, spelled in address_keys(reader.text, start, end):
            if spelled == address:
                return reader.locate(position)[1]
        return reader.locate(start)[1]

    def _checked(self, value: Any, start: int, end: int, depth: int) -> Any:
        """The value, when its text repeats no key and spells no lone surrogate."""
        _, spelled = self._spelled(start, end)
        if spelled is None:
            self._check_exactly(start, end)
            self._key_count(value, depth)  # the depth limit
        elif self._key_count(value, depth) != spelled:
            raise NotStreamable
        return value

    def _spelled(self, start: int, end: int) -> tuple[bytes, int | None]:
        """(text[start:end] as UTF-8, the keys it spells): None when they cannot be counted
        from the text (`"::/0"`); NotStreamable when it spells a lone surrogate."""
        text = self._reader.text[start:end].encode("utf-8")
        if SURROGATE_ESCAPE.search(text):
            raise NotStreamable
        return text, keys_in_text(text)

    def _key_count(self, value: Any, depth: int) -> int:
        try:
            return checked_key_count(self._reader.path, value, depth)
        except InputError as exc:  # too deep: worded by the whole loader, after anything
            raise NotStreamable from exc  # it finds earlier in the file

    def _check_exactly(self, start: int, end: int) -> None:
        """Parse text[start:end] again key by key: NotStreamable when a key repeats."""
        try:
            self._exact.decode(self._reader.text[start:end])
        except ValueError as exc:
            raise NotStreamable from exc

    def _settle(self) -> None:
        """Counts the keys of the resources read since the last time at once (one walk of
        many resources costs far less than many walks of one)."""
        if self._key_count(self._batch, depth=1) != self._batch_keys:
            raise NotStreamable
        self._batch.clear()
        self._batch_keys = 0


def _decoder(parse_float: Callable[[str], Any] = finite_float) -> json.JSONDecoder:
    return json.JSONDecoder(parse_float=parse_float, parse_constant=no_constant)


def _normalised(text: bytes) -> bytes:
    return dumps(_decoder().decode(text.decode("utf-8")))


def _open_same(path: Path, file_id: tuple[int, int, int, int]) -> IO[bytes]:
    """The file again, refused when it is no longer the one that was checked."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read it again: {exc.strerror or exc}") from exc
    stat = os.fstat(handle.fileno())
    if (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns) != file_id:
        handle.close()
        raise InputError(f"{path}: changed while it was being scanned")
    return handle


# A plan's top-level values that the adapter reads (besides resource_changes); any other
# is checked as the whole-document loader would check it, then dropped.
_PLAN_KEPT = frozenset({"format_version", "timestamp", "configuration"})
# Levels of a dropped value walked a member at a time: below them each value is parsed
# whole (planned_values.root_module.resources[N] is at level 4, prior_state's at 5).
_WALKED_LEVELS = 5


@dataclass(frozen=True)
class StreamedPlan:
    """A Terraform plan read as it streams: the values the adapter reads, each resource
    change's JSON text (parsed again one at a time as the plan is adapted), and the line of
    the first `"address"` key of each address in the file."""

    document: dict[str, Any]  # format_version, timestamp, configuration, when present
    changes: list[str]
    lines: dict[str, int]
    digest: str  # sha256 of the file
    size: int  # bytes read

    def parsed_changes(self) -> Iterator[Any]:
        """Each resource change parsed, its text let go once parsed (read once)."""
        decoder = _decoder()
        for index, text in enumerate(self.changes):
            self.changes[index] = ""
            yield decoder.decode(text)


def read_plan_stream(path: Path, handle: IO[bytes], max_bytes: int) -> StreamedPlan:
    """A plan open in ``handle``, never parsed whole: NotStreamable for anything the
    whole-document loader must read or word (not UTF-8, invalid JSON, a repeated key, too
    deep, a lone surrogate, no resource_changes list, not a plan)."""
    reader = _Reader(path, handle, max_bytes)
    document, changes, lines = _Plan(reader).read_plan()
    return StreamedPlan(document, changes, lines, reader.digest(), reader.size)


class _Plan(_Snapshot):
    """The outer object of a plan; values are checked as a snapshot's are."""

    def __init__(self, reader: _Reader) -> None:
        super().__init__(reader)
        self._changes: list[str] = []
        self._lines: dict[str, int] = {}

    def read_plan(self) -> tuple[dict[str, Any], list[str], dict[str, int]]:
        document: dict[str, Any] = {}
        seen = self._members(1, document.__setitem__, top=True)
        if not {"format_version", "resource_changes"} <= seen or "schema_version" in seen:
            raise NotStreamable  # planned values only, or not a plan: read whole
        if self._reader.next_char() != "":
            raise NotStreamable
        return document, self._changes, self._lines

    def _members(
        self, depth: int, keep: Callable[[str, Any], None] | None, *, top: bool = False
    ) -> set[str]:
        """The members of the object at the reader (level ``depth``), each value checked;
        top level: the values the adapter reads passed to ``keep``. The keys seen."""
        reader = self._reader
        if reader.next_char() != "{":
            raise NotStreamable
        reader.pos += 1
        seen: set[str] = set()
        closing = reader.next_char()
        while closing != "}":
            if closing != '"':
                raise NotStreamable
            key, key_start, key_end = reader.value(self._scan)
            self._spelled(key_start, key_end)  # no lone surrogate
            # Where an "address" key is, before its value is read (reading may move on).
            key_line = reader.locate(key_start)[1] if key == "address" else None
            if reader.next_char() != ":" or key in seen:
                raise NotStreamable
            seen.add(key)
            reader.pos += 1
            if top and key == "resource_changes":
                if reader.next_char() != "[":
                    raise NotStreamable
                reader.pos += 1
                self._resource_changes()
            elif top and key in _PLAN_KEPT and keep is not None:
                keep(key, self._leaf(depth))
            else:
                self._dropped(depth, key_line)
            closing = reader.next_char()
            if closing == ",":
                reader.pos += 1
                closing = reader.next_char()
                if closing == "}":
                    raise NotStreamable
            elif closing != "}":
                raise NotStreamable
        reader.pos += 1
        return seen

    def _items(self, depth: int) -> None:
        """The elements of the array at the reader (level ``depth``), each checked."""
        reader = self._reader
        reader.pos += 1
        if reader.next_char() == "]":
            reader.pos += 1
            return
        while True:
            self._dropped(depth, None)
            following = reader.next_char()
            reader.pos += 1
            if following == "]":
                return
            if following != ",":
                raise NotStreamable

    def _dropped(self, depth: int, key_line: int | None) -> None:
        """A value the adapter does not read (a member of an object at level ``depth``, or
        an element): checked, the lines of its addresses noted, then dropped."""
        reader = self._reader
        first = reader.next_char()
        if depth < _WALKED_LEVELS and first == "{":
            self._members(depth + 1, None)
        elif depth < _WALKED_LEVELS and first == "[":
            self._items(depth + 1)
        else:
            self._leaf(depth, key_line)

    def _leaf(self, depth: int, key_line: int | None = None) -> Any:
        """The next value, parsed whole and checked (``depth``: the levels above it), the
        lines of the addresses in it noted (``key_line``: the line of its own `"address"`
        key, when it is the value of one)."""
        reader = self._reader
        value, start, end = reader.value(self._scan)
        checked = self._checked(value, start, end, depth=depth)
        if key_line is not None and isinstance(value, str):
            self._lines.setdefault(value, key_line)
        if isinstance(value, (dict, list)):
            self._addresses(start, end)
        return checked

    def _resource_changes(self) -> None:
        reader = self._reader
        if reader.next_char() == "]":
            reader.pos += 1
            return
        while True:
            change, start, end = reader.value(self._scan)
            _, spelled = self._spelled(start, end)
            if spelled is None:
                self._check_exactly(start, end)
                self._key_count(change, depth=2)
            else:
                self._batch.append(change)
                self._batch_keys += spelled
                if len(self._batch) >= _BATCH:
                    self._settle()
            self._addresses(start, end)
            self._changes.append(reader.text[start:end])
            following = reader.next_char()
            reader.pos += 1
            if following == "]":
                self._settle()
                return
            if following != ",":
                raise NotStreamable

    def _addresses(self, start: int, end: int) -> None:
        for position, address in address_keys(self._reader.text, start, end):
            self._note(address, position)

    def _note(self, address: str, position: int) -> None:
        line = self._reader.locate(position)[1]
        self._lines.setdefault(address, line)
