"""The check catalogue, so a managed OPA loads only the checks an input can meet.

OPA's start is most of a small scan: it parses and compiles every module before it
serves, about 0.7 s for our ~250 modules against 0.1 s for the library and a few checks.
A check judges only resources of the types its metadata lists (`inventory.of(metadata)`,
a rule of our policy conventions), so for an input holding a few types every other check
evaluates nothing and finds nothing. The catalogue holds what a full report says of each
check on an empty input (its package and metadata, in the report's order) and which
module files define it; a sidecar then loads every non-check module and data file plus
the check modules of the input's types, and the report is filled back to the full one
(the other checks as evaluating nothing). Tests compare both on every real plan.

A catalogue belongs to one policy digest. The bundled policies' is shipped beside this
module (regenerate: `python -m compliance_opa.engine.catalogue`; a test keeps it current);
any other policy folder's is learnt on its first full load and cached per user
($XDG_CACHE_HOME/opa-comply). A catalogue never applies to policies it was not made from,
nor when a module other than the report's could read a check's rules (`data.checks`,
`data[`): loading part of such policies could change a verdict, so they load whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compliance_opa.engine.digest import combined

if TYPE_CHECKING:
    from compliance_opa.engine.evaluator import Evaluator
    from compliance_opa.inventory.load import Inventory

SHIPPED = Path(__file__).with_name("policy_catalogue.json")
_FORMAT = 1
_PACKAGE = re.compile(r"^package\s+([A-Za-z0-9_.]+)\s*$", re.MULTILINE)
# A module that could read another check's rules: then no check may be left out (a
# mention in a comment counts too: a full load is only slower).
_READS_CHECKS = re.compile(r"data\s*\.\s*checks\b|data\s*\[")
_REPORT_PACKAGE = "scan"


@dataclass(frozen=True)
class PolicyFolder:
    """A policy folder as read once: its digest, and its catalogue when one applies."""

    root: Path
    digest: str | None
    catalogue: Catalogue | None


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

    def write_subset(self, source: Path, target: Path, types: Collection[str]) -> int:
        """Copy into ``target`` every file of ``source`` except the check modules no type
        in ``types`` needs; their relative paths are kept (OPA names data by folder).
        Returns how many check packages were kept."""
        kept = set(self.packages_for(types))
        left_out = {
            f for package, files in self.files.items() if package not in kept for f in files
        }
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source).as_posix()
            if relative in left_out or not path.is_file():
                continue
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
        return len(kept)

    def filled(self, result: Any) -> Any:
        """The full report from a report on part of the checks: every catalogue check in
        the catalogue's order, those not loaded as evaluating nothing. A check the
        catalogue does not know means it is not this policy set's: an error."""
        from compliance_opa.errors import EngineError

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


def read_folder(root: Path) -> PolicyFolder:
    """The folder's digest (over its .rego modules, as digest.py computes it) and the
    catalogue made from exactly these modules, when one is shipped or cached."""
    try:
        texts = {
            path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(root.rglob("*.rego"))
            if path.is_file()
        }
    except (OSError, UnicodeDecodeError):
        return PolicyFolder(root, None, None)
    digest = combined(texts.values())
    catalogue = _stored(digest)
    if catalogue is not None and set(_check_modules(texts, catalogue)) != _listed(catalogue):
        catalogue = None  # the same texts under other names: learn it again
    return PolicyFolder(root, digest, catalogue)


def learn(client: Evaluator, folder: PolicyFolder) -> Catalogue | None:
    """Make the folder's catalogue from the full report on an empty input of an OPA that
    loaded all of it, and cache it; None when the policies do not allow one."""
    from compliance_opa.inventory import envelope

    if folder.digest is None:
        return None
    report = client.evaluate(envelope.document([], [], {})).result
    texts = {
        path.relative_to(folder.root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.root.rglob("*.rego"))
        if path.is_file()
    }
    catalogue = build(report, texts)
    if catalogue is None or catalogue.digest != folder.digest:
        return None  # changed while OPA read it: nothing is cached
    _remember(catalogue)
    return catalogue


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
        if package is not None and package in packages:
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
    """The resource types of the inputs, from the entries of a streamed snapshot."""
    found: set[str] = set()
    for inventory in inventories:
        if inventory.streamed is not None:
            found.update(e.type for e in inventory.streamed.entries)
        else:
            found.update(str(r.get("type")) for r in inventory.document["resources"])
    return frozenset(found)


def cache_path(digest: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = digest.removeprefix("sha256:")
    return Path(base) / "opa-comply" / f"policy-catalogue-{name}.json"


def _stored(digest: str) -> Catalogue | None:
    for path in (SHIPPED, cache_path(digest)):
        catalogue = _read(path)
        if catalogue is not None and catalogue.digest == digest:
            return catalogue
    return None


def _read(path: Path) -> Catalogue | None:
    """A catalogue file, or None when it is missing or not one (a cache is disposable)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
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
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _remember(catalogue: Catalogue) -> None:
    """Best effort: a cache that cannot be written costs a full load next time."""
    path = cache_path(catalogue.digest)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(catalogue.as_json(), handle)
        os.replace(handle.name, path)


def _check_modules(texts: Mapping[str, str], catalogue: Catalogue) -> list[str]:
    return [r for r, t in texts.items() if _package_of(t) in catalogue.files]


def _listed(catalogue: Catalogue) -> set[str]:
    return {f for files in catalogue.files.values() for f in files}


def _package_of(text: str) -> str | None:
    match = _PACKAGE.search(text)  # at a line's start: never in a comment
    return match.group(1) if match else None


def main(argv: Sequence[str] = ()) -> int:
    """Write the bundled policies' catalogue (OPA_BINARY or the project's OPA)."""
    from compliance_opa.engine.connect import EngineSettings, open_engine
    from compliance_opa.support.bundled import policies_dir

    folder = read_folder(policies_dir())
    with open_engine(EngineSettings()) as client:
        from compliance_opa.inventory import envelope

        report = client.evaluate(envelope.document([], [], {})).result
    texts = {
        p.relative_to(folder.root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.root.rglob("*.rego"))
    }
    catalogue = build(report, texts)
    if catalogue is None:
        print("the bundled policies allow no catalogue", file=sys.stderr)
        return 1
    SHIPPED.write_text(json.dumps(catalogue.as_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED} ({len(catalogue.checks)} checks, {catalogue.digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
