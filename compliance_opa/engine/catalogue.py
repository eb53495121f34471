"""The check catalogue, so a managed OPA loads only the checks an input can meet.

OPA's start is most of a small scan: it parses and compiles every module before it
serves, about 0.7 s for our ~250 modules against 0.1 s for the library and a few checks.
A check judges only resources of the types its metadata lists (`inventory.of(metadata)`,
a rule of our policy conventions that tests/unit/policies/test_isolation.py enforces on
the bundled checks), so for an input holding a few types every other check evaluates
nothing and finds nothing. The catalogue holds what a full report says of each check on
an empty input (its package and metadata, in the report's order) and which module files
define it; a sidecar then loads every file but the check modules of other types, and the
report is filled back to the full one (the other checks as evaluating nothing). Tests
compare both on every real plan and example.

Only the bundled policies have a catalogue (shipped beside this module; regenerate with
`scripts/build_policy_catalogue.py`, a test keeps it current): the convention is
proven for them, not for any other folder, and a catalogue a user's cache could hold
would be one more thing to trust. A folder applies the catalogue only when its modules
are exactly those it was made from (digest and file names) and it holds nothing OPA reads
differently from a plain copy (a symbolic link); anything else loads whole, as before.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance_opa.engine.digest import combined, folder_digest
from compliance_opa.errors import EngineError

if TYPE_CHECKING:
    from compliance_opa.inventory.load import Inventory

SHIPPED = Path(__file__).with_name("policy_catalogue.json")
_FORMAT = 1
# A module's package line (a trailing comment allowed).
_PACKAGE = re.compile(r"^package\s+([A-Za-z0-9_.]+)\s*(?:#.*)?$", re.MULTILINE)
# A module that could read another check's rules: then no check may be left out (a
# mention in a comment counts too: a full load is only slower).
_READS_CHECKS = re.compile(r"data\s*\.\s*checks\b|data\s*\[")
_REPORT_PACKAGE = "scan"


@dataclass(frozen=True)
class Catalogue:
    digest: str
    checks: tuple[dict[str, Any], ...]  # {"package", "metadata"}, in the report's order
    files: Mapping[str, tuple[str, ...]]  # check package -> its module files, relative

    def packages_for(self, types: Collection[str]) -> list[str]:
        """The check packages whose metadata names one of ``types``."""
        return [
            str(c["package"])
            for c in self.checks
            if any(t in types for t in c["metadata"].get("resource_types", ()))
        ]

    def filled(self, result: Any, loaded: Collection[str]) -> Any:
        """The full report from a report on the ``loaded`` checks: every catalogue check
        in the catalogue's order, the others as evaluating nothing. A check missing from
        the answer, or one the catalogue does not know, is an error: never a silent gap."""
        if not isinstance(result, dict) or not isinstance(result.get("checks"), list):
            return result  # the parser names the bad shape
        answered: dict[str, Any] = {}
        for check in result["checks"]:
            name = check.get("package") if isinstance(check, dict) else None
            if not isinstance(name, str) or name not in self.files:
                raise EngineError(
                    f"the sidecar answered for check {str(name)[:80]!r}, which the policy"
                    " catalogue does not list"
                )
            answered[name] = check
        missing = [p for p in loaded if p not in answered]
        if missing and not result.get("errors"):
            raise EngineError(f"the sidecar did not answer for check {missing[0]!r}")
        checks = [
            answered.get(c["package"]) or {**c, "evaluated": [], "findings": []}
            for c in self.checks
        ]
        return {**result, "checks": checks}

    def as_json(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "digest": self.digest,
            "checks": list(self.checks),
            "files": {k: list(v) for k, v in self.files.items()},
        }


@dataclass(frozen=True)
class PolicyFolder:
    """A policy folder as read once: its module texts (relative path -> text), their
    digest, and the catalogue when one applies to exactly these modules."""

    root: Path
    digest: str | None
    catalogue: Catalogue | None
    texts: Mapping[str, str]

    def write_subset(self, target: Path, types: Collection[str]) -> list[str]:
        """Write into ``target`` the folder as OPA reads it, minus the check modules no
        type in ``types`` needs: the modules from the texts read (those the digest is
        of), every other file copied. Returns the check packages kept."""
        if self.catalogue is None:
            raise EngineError(f"{self.root}: no check catalogue applies")
        kept = self.catalogue.packages_for(types)
        wanted = set(kept)
        files = self.catalogue.files
        left_out = {f for p, fs in files.items() if p not in wanted for f in fs}
        for relative, text in self.texts.items():
            if relative not in left_out:
                _write(target / relative, text.encode("utf-8"))
        for path in _files(self.root):
            relative = path.relative_to(self.root).as_posix()
            if relative not in self.texts:
                _write(target / relative, path.read_bytes())
        return kept


def read_folder(root: Path) -> PolicyFolder:
    """The folder's modules and digest (as digest.py computes it), with the shipped
    catalogue when it was made from exactly these modules."""
    if has_links(root):  # the digest as OPA sees it (links followed), and no catalogue
        return PolicyFolder(root, folder_digest(root), None, {})
    try:
        files = _files(root)
        texts = {
            p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in files
            if p.suffix == ".rego"
        }
    except (OSError, UnicodeDecodeError):
        return PolicyFolder(root, None, None, {})
    digest = combined(texts.values())
    catalogue = shipped()
    if catalogue is not None and not _made_from(catalogue, digest, texts):
        catalogue = None
    return PolicyFolder(root, digest, catalogue, texts)


def shipped() -> Catalogue | None:
    """The bundled policies' catalogue, or None when it is missing or not one."""
    try:
        raw = json.loads(SHIPPED.read_text(encoding="utf-8"))
        if raw["format"] != _FORMAT:
            return None
        checks = tuple(raw["checks"])
        for check in checks:
            if not isinstance(check["package"], str) or not isinstance(
                check["metadata"]["resource_types"], list
            ):
                return None
        files = {str(k): tuple(str(f) for f in v) for k, v in raw["files"].items()}
        if {c["package"] for c in checks} != set(files):
            return None
        return Catalogue(digest=str(raw["digest"]), checks=checks, files=files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def build(report: Any, texts: Mapping[str, str]) -> Catalogue | None:
    """The catalogue of a report on an empty input and the module texts it came from;
    None when a subset could change a verdict (see the module docstring) or the report
    has errors."""
    try:
        if report["errors"]:
            return None
        checks = tuple(
            {"package": str(c["package"]), "metadata": c["metadata"]} for c in report["checks"]
        )
    except (KeyError, TypeError):
        return None
    packages = {c["package"] for c in checks}
    files: dict[str, list[str]] = {p: [] for p in packages}
    for relative, text in texts.items():
        package = _package_of(text)
        if package is None:
            return None  # a module we cannot place: load everything
        if package in packages:
            files[package].append(relative)
        if package != _REPORT_PACKAGE and _READS_CHECKS.search(text):  # comments too
            return None
    if any(not f for f in files.values()):
        return None
    return Catalogue(
        digest=combined(texts.values()),
        checks=checks,
        files={p: tuple(sorted(f)) for p, f in sorted(files.items())},
    )


def input_types(inventories: Iterable[Inventory]) -> frozenset[str]:
    """The resource types of the inputs (a streamed snapshot's from its entries)."""
    found: set[str] = set()
    for inventory in inventories:
        if inventory.streamed is not None:
            found.update(e.type for e in inventory.streamed.entries)
        else:
            found.update(str(r.get("type")) for r in inventory.document["resources"])
    return frozenset(found)


def _made_from(catalogue: Catalogue, digest: str, texts: Mapping[str, str]) -> bool:
    listed = {f for files in catalogue.files.values() for f in files}
    in_checks = {r for r, t in texts.items() if _package_of(t) in catalogue.files}
    return catalogue.digest == digest and in_checks == listed


def _files(root: Path) -> list[Path]:
    """The regular files under ``root``, sorted (what a copy of it holds)."""
    found: list[Path] = []
    for folder, _, names in os.walk(root):
        found.extend(Path(folder) / n for n in names)
    return sorted(p for p in found if p.is_file() and not p.is_symlink())


def has_links(root: Path) -> bool:
    """A symbolic link anywhere under ``root`` (OPA follows them; a copy would not)."""
    for folder, dirs, names in os.walk(root):
        for name in (*dirs, *names):
            if (Path(folder) / name).is_symlink():
                return True
    return False


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _package_of(text: str) -> str | None:
    match = _PACKAGE.search(text)  # at a line's start: never in a comment
    return match.group(1) if match else None
