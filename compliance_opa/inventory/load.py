"""Loading inventory snapshots: size, JSON, nesting and schema checks before evaluation.

Every check raises InputError with the file and, for schema violations, the
JSON path of the first bad field, so bad input never reaches OPA.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import stat
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from compliance_opa.domain.redact import sensitive_values
from compliance_opa.errors import InputError
from compliance_opa.inventory import envelope
from compliance_opa.inventory.json_checks import (
    MAX_DEPTH,
    SURROGATE_ESCAPE,
    UTF16_BOMS,
    Refused,
    address_keys,
    check_not_future,
    checked_key_count,
    finite_float,
    keys_in_text,
    no_constant,
    pairs_without_duplicates,
)
from compliance_opa.inventory.schema import validate_document
from compliance_opa.inventory.stream import (
    NotStreamable,
    StreamedPlan,
    StreamedResources,
    read_plan_stream,
    read_snapshot,
)
from compliance_opa.inventory.terraform.plan import is_plan, plan_snapshot, read_plan
from compliance_opa.support.jsonbytes import dumps

# Per scan, all inputs together: a guard against a runaway file (OPA's own request
# limit is met by splitting the input, compliance_opa/engine/request_builder.py).
DEFAULT_MAX_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class Inventory:
    """One validated snapshot file.

    A snapshot is read resource by resource and its resources are not kept (``streamed``
    reads them again from the file when needed). A plan is read as it streams too (its
    resource changes one at a time, the configuration alone for folding, the rest checked
    and dropped) and its adapted resources are held in ``document``, as are those of the
    odd file the streaming readers leave to the whole-document loader. The methods below
    answer the same either way."""

    path: Path
    document: dict[str, Any]  # the envelope; with its "resources" unless streamed
    size: int  # bytes read, counted against the scan's input limit
    digest: str = ""  # sha256 of the bytes read: the evidence of what was judged
    streamed: StreamedResources | None = None
    # Address -> the JSON path of its address in the file, where that is not
    # `$.resources[N].address` (a plan's `$.resource_changes[N].address`).
    origins: dict[str, str] = field(default_factory=dict)
    # Address -> the line of its first "address" key, when found as the file was read
    # (a plan read as it streams).
    lines: dict[str, int] | None = None

    @property
    def resources(self) -> list[dict[str, Any]]:
        """Every resource, parsed (a streamed file is read again: for tools and tests;
        the scan uses the methods below)."""
        if self.streamed is not None:
            return list(self.streamed.parsed())
        resources: list[dict[str, Any]] = self.document["resources"]
        return resources

    @property
    def sources(self) -> list[dict[str, Any]]:
        sources: list[dict[str, Any]] = self.document["sources"]
        return sources

    def addresses(self) -> list[str]:
        if self.streamed is not None:
            return [entry.address for entry in self.streamed.entries]
        return [str(r["address"]) for r in self.document["resources"]]

    def encoded_resources(self) -> Iterator[bytes]:
        """Each resource as the JSON text OPA is sent, in order."""
        if self.streamed is not None:
            return self.streamed.encoded()
        return (dumps(r) for r in self.document["resources"])

    def resources_at(self, addresses: Container[str]) -> Iterator[dict[str, Any]]:
        """The resources whose address is in ``addresses``, parsed."""
        if self.streamed is not None:
            return self.streamed.parsed(addresses)
        return (r for r in self.document["resources"] if r["address"] in addresses)

    def sensitive(self) -> dict[str, set[str]]:
        """Address -> the text of every value under the resource's sensitive paths."""
        if self.streamed is not None:
            return self.streamed.sensitive
        return {
            r["address"]: sensitive_values(r)
            for r in self.document["resources"]
            if r.get("sensitive")
        }


def load_inventory(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, *, stream: bool = True
) -> Inventory:
    """An inventory snapshot, or a Terraform plan (recognised by its content) adapted to one.

    A snapshot is read resource by resource (compliance_opa/inventory/stream.py) and read
    again from the file when needed, unless ``stream`` is False (a file about to be
    removed); what that reader does not take, the whole-document loader does, and words
    its errors."""
    if not stream:
        return _load_whole(path, max_bytes)
    with _open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise InputError(_over_limit(path, max_bytes))
        try:
            envelope, read, streamed = read_snapshot(path, handle, max_bytes)
        except NotStreamable:
            pass
        except OSError as exc:
            raise _read_error(path, exc) from exc
        else:
            _check_collected_at(path, envelope)
            return Inventory(
                path=path, document=envelope, size=read, digest=streamed.digest, streamed=streamed
            )
        try:
            handle.seek(0)
            return _streamed_plan(path, read_plan_stream(path, handle, max_bytes))
        except (NotStreamable, InputError):
            pass  # the whole-document loader words the first error in the file
        except OSError as exc:
            raise _read_error(path, exc) from exc
    return _load_whole(path, max_bytes)


def _streamed_plan(path: Path, plan: StreamedPlan) -> Inventory:
    """A plan read as it streams, adapted as the whole-document loader adapts it."""
    adapted = plan_snapshot(plan.document, path, plan.digest, plan.parsed_changes())
    document = adapted.snapshot
    validate_document(path, {**document, "resources": []})
    lines = {r["address"]: plan.lines.get(r["address"], 1) for r in document["resources"]}
    return Inventory(
        path=path,
        document=document,
        size=plan.size,
        digest=plan.digest,
        origins=adapted.origins,
        lines=lines,
    )


def _load_whole(path: Path, max_bytes: int) -> Inventory:
    raw = _read(path, max_bytes)
    return inventory_from_bytes(path, raw)


def parse_json(label: Path, raw: bytes) -> Any:
    """JSON from bytes with every check a file gets (encoding, repeated keys, depth,
    non-finite numbers, lone surrogates); errors name ``label``."""
    document = _parse(label, raw)
    _check_text_of(label, document, raw)
    return document


def inventory_from_bytes(label: Path, raw: bytes) -> Inventory:
    """An inventory (or a plan, adapted) from bytes already read and size-checked: a
    file's, or a request body's in the compliance service, named ``label`` in errors."""
    return inventory_from_document(label, parse_json(label, raw), raw)


def inventory_from_document(path: Path, document: Any, raw: bytes) -> Inventory:
    """The same from a document parsed by ``parse_json``; ``raw`` is what its digest
    and size are of."""
    origins: dict[str, str] = {}
    if is_plan(document):
        # The adapter checks each resource against its type's schema as it builds it;
        # the envelope around them is checked here.
        plan = read_plan(document, path, raw)
        document, origins = plan.snapshot, plan.origins
        validate_document(path, {**document, "resources": []})
    elif (
        isinstance(document, dict)
        and "schema_version" not in document
        and "format_version" in document
    ):
        raise InputError(f"{path}: a Terraform plan needs resource_changes or planned_values")
    else:
        validate_document(path, document)
        _check_collected_at(path, document)
    return Inventory(
        path=path,
        document=document,
        size=len(raw),
        digest=hashlib.sha256(raw).hexdigest(),
        origins=origins,
    )


def _check_collected_at(path: Path, document: dict[str, Any]) -> None:
    """Refuse a collection dated in the future: evidence would say the estate was seen
    after the scan that judged it (an assessment period ending before it starts)."""
    stamp = str(document["collected_at"])  # an RFC 3339 date-time: the schema checked it
    try:
        when = datetime.fromisoformat(stamp.upper().replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:  # RFC 3339 that Python cannot read (23:59:60)
        raise InputError(f"{path}: $.collected_at {json.dumps(stamp[:40])}: not a time we can read")
    check_not_future(path, "$.collected_at", stamp, when)


def expand_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a directory stands for the ``*.json`` files directly in it."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise InputError(f"{path}: directory holds no *.json inventory")
            expanded.extend(found)
        else:
            expanded.append(path)
    return expanded


def load_inventories(paths: Sequence[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Inventory]:
    """Load every input, refusing a scan whose inputs together exceed ``max_bytes``."""
    remaining = max_bytes
    inventories = []
    for path in expand_inputs(paths):
        inventory = load_inventory(path, remaining)
        remaining -= inventory.size
        inventories.append(inventory)
    check_unique_addresses(inventories)
    return inventories


def opa_input(
    inventories: Iterable[Inventory], parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The one document OPA evaluates: every source and resource, and parameter overrides."""
    sources: list[Any] = []
    resources: list[Any] = []
    for inventory in inventories:
        sources.extend(inventory.document["sources"])
        resources.extend(inventory.resources)
    return envelope.document(sources, resources, parameters)


def resource_locations(inventory: Inventory) -> dict[str, tuple[str, int]]:
    """Address -> (file, line of its first "address" key) so reports can point into the
    input; line 1 when the address is not found."""
    path = str(inventory.path)
    if inventory.streamed is not None:  # found as the file was read
        return {entry.address: (path, entry.line) for entry in inventory.streamed.entries}
    if inventory.lines is not None:
        return {address: (path, line) for address, line in inventory.lines.items()}
    lines = _address_lines(inventory)
    return {address: (path, lines.get(address, 1)) for address in inventory.addresses()}


def _address_lines(inventory: Inventory) -> dict[str, int]:
    """One pass over the text whatever the order of resources (a plan's are sorted
    differently from its file)."""
    text = ""
    try:
        raw = inventory.path.read_bytes()
        text = _decode(inventory.path, raw)
    except (OSError, InputError):
        pass
    wanted = set(inventory.addresses())
    first: dict[str, int] = {}
    for position, address in address_keys(text):
        if address in wanted and address not in first:
            first[address] = position
    # Line numbers by counting newlines between the found offsets in order: no table of
    # every line start of a file with millions of lines.
    lines: dict[str, int] = {}
    line, offset = 1, 0
    for address, position in sorted(first.items(), key=lambda item: item[1]):
        line += text.count("\n", offset, position)
        offset = position
        lines[address] = line
    return lines


def _open_regular(path: Path) -> BinaryIO:
    """A regular file open for reading (FIFOs and devices are refused)."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        handle = os.fdopen(fd, "rb")
    except OSError as exc:
        raise _read_error(path, exc) from exc
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        raise InputError(f"{path}: not a regular file")
    return handle


def _read(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, never more than ``max_bytes``."""
    with _open_regular(path) as handle:
        try:
            raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise _read_error(path, exc) from exc
    if len(raw) > max_bytes:
        raise InputError(_over_limit(path, max_bytes))
    return raw


def _read_error(path: Path, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{path}: no such file")
    if isinstance(exc, PermissionError):
        return InputError(f"{path}: permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{path}: is a directory")
    return InputError(f"{path}: cannot read: {exc.strerror or exc}")


def _over_limit(path: Path, max_bytes: int) -> str:
    return f"{path}: over the input limit of {max_bytes:,} bytes (raise it with --max-input-bytes)"


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 with or without a BOM, or UTF-16 with a BOM (what PowerShell's `>` writes)."""
    encoding = "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise InputError(f"{path}: not {name} text (byte {exc.start})") from exc
    if text.lstrip().startswith("[command]"):
        raise InputError(
            f"{path}: CI wrapper output, not plan JSON (run `terraform show -json` without"
            " hashicorp/setup-terraform's wrapper: terraform_wrapper: false)"
        )
    return text


def _parse(path: Path, raw: bytes) -> Any:
    """The JSON document, refusing repeated keys, non-finite numbers and nesting deeper
    than MAX_DEPTH.

    Catching a repeated key takes a Python hook on every object, which doubles the parse
    time of a big snapshot. So a UTF-8 text whose keys can be counted from its bytes is
    parsed without it first: when its objects hold as many keys as the text spells, no
    key was repeated. Anything else is parsed again with the hook, which names the key.
    """
    text = _decode(path, raw)
    counted = keys_in_text(raw)
    if counted is not None:
        document = _loads(path, text, exact=False)
        if checked_key_count(path, document) == counted:
            return document
    document = _loads(path, text, exact=True)
    checked_key_count(path, document)
    return document


def _loads(path: Path, text: str, *, exact: bool) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=pairs_without_duplicates if exact else None,
            parse_float=finite_float,
            parse_constant=no_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except Refused as exc:
        raise InputError(f"{path}: {exc}") from exc
    except RecursionError as exc:
        raise InputError(f"{path}: JSON nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise InputError(f"{path}: unusable JSON number ({str(exc).split(':')[0]})") from exc


def _check_text_of(path: Path, document: Any, raw: bytes | None = None) -> None:
    """Refuse strings that cannot be written as UTF-8 (lone surrogates). They can only
    come from \\ud800-style escapes: when the UTF-8 input holds none, strings are not
    looked at one by one. Paths are spelled out only for an error."""
    if raw is not None and not raw.startswith(UTF16_BOMS) and not SURROGATE_ESCAPE.search(raw):
        return
    stack: list[tuple[Any, Trail]] = [(document, None)]
    while stack:
        value, trail = stack.pop()
        if isinstance(value, str):
            _check_text(path, value, trail)
        elif isinstance(value, dict):
            for key, child in value.items():
                _check_text(path, key, trail)
                stack.append((child, (trail, f".{key}")))
        elif isinstance(value, list):
            stack.extend((child, (trail, f"[{i}]")) for i, child in enumerate(value))


# A JSON path kept as a linked list of steps: cheap to extend, spelled out when needed.
Trail = tuple["Trail", str] | None


def _spelled(trail: Trail) -> str:
    steps: list[str] = []
    while trail is not None:
        trail, step = trail
        steps.append(step)
    return "$" + "".join(reversed(steps))


def _check_text(path: Path, text: str, trail: Trail) -> None:
    # \ud800-style escapes decode to lone surrogates, which no report can encode.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = _spelled(trail)
        raise InputError(
            f"{path}: string at {where.encode('utf-8', 'backslashreplace').decode()}"
            f" holds a lone surrogate (\\u{ord(text[exc.start]):04x})"
        ) from exc


def check_unique_addresses(inventories: Sequence[Inventory]) -> None:
    """Refuse an address two inputs share, named where the later input has it."""
    seen: dict[str, Path] = {}
    for inventory in inventories:
        for index, address in enumerate(inventory.addresses()):
            if address in seen:
                where = inventory.origins.get(address, f"$.resources[{index}].address")
                raise InputError(
                    f"{inventory.path}: {where} {address!r} also appears in {seen[address]}"
                )
            seen[address] = inventory.path
