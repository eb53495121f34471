"""Conventions every check under policies/checks must follow.

Each check file needs a mirrored Rego test file under policy_tests/ with pass, fail
and missing-data tests, complete METADATA (read with ``opa inspect -a``), a unique
check id, and a package name that follows its path. The Rego tests themselves
must pass. A failure names the check file it is about.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
POLICIES = REPO / "policies"
CHECKS = POLICIES / "checks"
POLICY_TESTS = REPO / "policy_tests"

CHECK_ID = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+-\d{3}$", re.ASCII)
SEVERITIES = frozenset({"critical", "high", "medium", "low", "info"})
FRAMEWORKS = frozenset({"gdpr", "hipaa", "pci_dss", "soc2", "iso27001"})
# Every check maps to these, whatever else it maps to.
REQUIRED_FRAMEWORKS = ("iso27001",)
RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9_]*$", re.ASCII)  # the inventory schema's pattern
# Every check's test file needs at least one test rule whose name contains each word.
REQUIRED_TEST_KINDS = ("pass", "fail", "missing")
MIN_TESTS_PER_CHECK = len(REQUIRED_TEST_KINDS)


def opa_binary() -> Path:
    configured = os.environ.get("OPA_BINARY")
    return Path(configured) if configured else REPO / ".tools/bin/opa"


def run_opa(*args: str | Path) -> subprocess.CompletedProcess[str]:
    binary = opa_binary()
    if not binary.is_file():
        pytest.fail(f"OPA binary not found at {binary} (set OPA_BINARY or run `make opa`)")
    return subprocess.run(
        [str(binary), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def opa_json(*args: str | Path) -> Any:
    completed = run_opa(*args)
    assert completed.returncode == 0, f"opa {' '.join(map(str, args))}:\n{completed.stderr}"
    return json.loads(completed.stdout)


def discover_check_files() -> list[Path]:
    return sorted(p for p in CHECKS.rglob("*.rego") if not p.name.endswith("_test.rego"))


CHECK_FILES = discover_check_files()


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def mirrored_test_file(check_file: Path) -> Path:
    """policies/checks/aws/rds/x.rego -> policy_tests/checks/aws/rds/x_test.rego"""
    relative = check_file.relative_to(POLICIES)
    return POLICY_TESTS / relative.with_name(f"{check_file.stem}_test.rego")


def expected_package(check_file: Path) -> str:
    """policies/checks/aws/rds/x.rego -> checks.aws.rds.x"""
    return ".".join(check_file.relative_to(POLICIES).with_suffix("").parts)


def _ref_to_name(ref: list[dict[str, Any]]) -> str:
    """An AST ref (data.checks.aws...) as a dotted name without the data root."""
    parts = [str(term["value"]) for term in ref]
    return ".".join(parts[1:] if parts and parts[0] == "data" else parts)


@cache
def parse_module(path: Path) -> dict[str, Any]:
    parsed: dict[str, Any] = opa_json("parse", "--format", "json", path)
    return parsed


def package_of(path: Path) -> str:
    return _ref_to_name(parse_module(path)["package"]["path"])


def rego_test_names(path: Path) -> list[str]:
    """Names of the test_ rules a Rego file defines (todo_test_ ones are skipped by OPA)."""
    names = []
    for rule in parse_module(path).get("rules", []):
        ref = rule["head"].get("ref") or [{"value": rule["head"].get("name", "")}]
        name = str(ref[0]["value"])
        if len(ref) == 1 and name.startswith("test_"):
            names.append(name)
    return names


@cache
def package_annotations(root: Path) -> dict[Path, dict[str, Any]]:
    """Package-scoped METADATA under root, by the file that carries it."""
    inspected = opa_json("inspect", "-a", "--format", "json", root)
    found: dict[Path, dict[str, Any]] = {}
    for entry in inspected.get("annotations") or []:
        annotations = entry.get("annotations", {})
        if annotations.get("scope") != "package":
            continue
        file = Path(entry["location"]["file"])
        found[(file if file.is_absolute() else REPO / file).resolve()] = entry
    return found


@cache
def catalogue_controls(framework: str) -> frozenset[str]:
    """The control ids policies/frameworks/<framework>/data.json lists."""
    catalogue = json.loads((POLICIES / "frameworks" / framework / "data.json").read_text())
    return frozenset(catalogue["controls"])


def validate_metadata(annotation: dict[str, Any]) -> list[str]:
    """Problems with one check's METADATA: the ``annotations`` object of an entry
    from ``opa inspect -a --format json``. An empty list means it is complete."""
    problems: list[str] = []

    def non_empty_string(value: Any) -> bool:
        return isinstance(value, str) and value.strip() != ""

    for field in ("title", "description"):
        if not non_empty_string(annotation.get(field)):
            problems.append(f"{field}: missing or empty")
    if annotation.get("scope") != "package":
        problems.append(f"scope: must be 'package', got {annotation.get('scope')!r}")

    custom = annotation.get("custom")
    if not isinstance(custom, dict):
        problems.append(
            "custom: missing (needs id, severity, resource_types, controls, remediation)"
        )
        return problems

    check_id = custom.get("id")
    if not isinstance(check_id, str) or not CHECK_ID.fullmatch(check_id):
        problems.append(f"custom.id: {check_id!r} does not match {CHECK_ID.pattern}")

    severity = custom.get("severity")
    if severity not in SEVERITIES:
        problems.append(f"custom.severity: {severity!r} is not one of {sorted(SEVERITIES)}")

    resource_types = custom.get("resource_types")
    if not isinstance(resource_types, list) or not resource_types:
        problems.append("custom.resource_types: missing or empty list")
    else:
        for resource_type in resource_types:
            if not isinstance(resource_type, str) or not RESOURCE_TYPE.fullmatch(resource_type):
                problems.append(f"custom.resource_types: {resource_type!r} is not a resource type")

    controls = custom.get("controls")
    if not isinstance(controls, dict) or not controls:
        problems.append(f"custom.controls: missing or empty, map some of {sorted(FRAMEWORKS)}")
    else:
        for framework, ids in controls.items():
            if framework not in FRAMEWORKS:
                problems.append(f"custom.controls: unknown framework {framework!r}")
            if (
                not isinstance(ids, list)
                or not ids
                or not all(non_empty_string(control) for control in ids)
            ):
                problems.append(
                    f"custom.controls.{framework}: must be a non-empty list of strings, got {ids!r}"
                )
            elif framework in FRAMEWORKS:
                unknown = [c for c in ids if c not in catalogue_controls(framework)]
                if unknown:
                    problems.append(
                        f"custom.controls.{framework}: {unknown!r} not in"
                        f" policies/frameworks/{framework}/data.json"
                    )
        for framework in REQUIRED_FRAMEWORKS:
            if framework not in controls:
                problems.append(f"custom.controls.{framework}: missing, every check maps to it")

    if not non_empty_string(custom.get("remediation")):
        problems.append("custom.remediation: missing or empty")
    return problems


def check_ids(annotations: dict[Path, dict[str, Any]]) -> dict[str, list[str]]:
    """check id -> the files declaring it."""
    by_id: dict[str, list[str]] = defaultdict(list)
    for file, entry in sorted(annotations.items()):
        check_id = entry["annotations"].get("custom", {}).get("id")
        if isinstance(check_id, str):
            by_id[check_id].append(rel(file))
    return dict(by_id)


def duplicate_ids(annotations: dict[Path, dict[str, Any]]) -> dict[str, list[str]]:
    return {cid: files for cid, files in check_ids(annotations).items() if len(files) > 1}


per_check = pytest.mark.parametrize("check_file", CHECK_FILES, ids=[rel(p) for p in CHECK_FILES])


def test_checks_exist() -> None:
    assert CHECK_FILES, f"no check found under {rel(CHECKS)}"


@per_check
def test_check_has_mirrored_test_file(check_file: Path) -> None:
    test_file = mirrored_test_file(check_file)
    assert test_file.is_file(), f"{rel(check_file)}: no test file at {rel(test_file)}"
    expected = f"{expected_package(check_file)}_test"
    assert package_of(test_file) == expected, (
        f"{rel(test_file)}: package must be {expected}, not {package_of(test_file)}"
    )


@per_check
def test_check_tests_cover_pass_fail_and_missing(check_file: Path) -> None:
    test_file = mirrored_test_file(check_file)
    if not test_file.is_file():
        pytest.fail(f"{rel(check_file)}: no test file at {rel(test_file)}")
    names = rego_test_names(test_file)
    absent = [kind for kind in REQUIRED_TEST_KINDS if not any(kind in n for n in names)]
    assert not absent, f"{rel(test_file)}: no test rule named with {absent} (tests found: {names})"


_METADATA_TEST = "test_metadata_matches_annotation if {\n\tcheck.metadata == _metadata\n}\n"


@per_check
def test_check_tests_hold_one_copy_of_the_metadata(check_file: Path) -> None:
    """A test file writes its check's metadata once, as the `_metadata` literal compared
    with the check's own, and builds every expected finding from it (data.test.expect)."""
    test_file = mirrored_test_file(check_file)
    if not test_file.is_file():
        pytest.fail(f"{rel(check_file)}: no test file at {rel(test_file)}")
    text = test_file.read_text(encoding="utf-8")
    assert len(re.findall(r"^_metadata := \{$", text, re.MULTILINE)) == 1, (
        f"{rel(test_file)}: needs one `_metadata := {{...}}` literal of the check's metadata"
    )
    assert _METADATA_TEST in text, f"{rel(test_file)}: needs `{_METADATA_TEST.strip()}`"
    assert text.count('"check_id":') == 1, (
        f"{rel(test_file)}: writes the check's fields more than once; build expected"
        " findings with data.test.expect from `_metadata`"
    )


@per_check
def test_check_metadata_is_complete(check_file: Path) -> None:
    entry = package_annotations(POLICIES).get(check_file.resolve())
    assert entry is not None, f"{rel(check_file)}: no package-scoped METADATA block"
    problems = validate_metadata(entry["annotations"])
    assert not problems, f"{rel(check_file)}: incomplete METADATA:\n  " + "\n  ".join(problems)


@per_check
def test_check_package_follows_path(check_file: Path) -> None:
    levels = check_file.relative_to(CHECKS).parts
    assert len(levels) == 3, (
        f"{rel(check_file)}: checks live at checks/<provider>/<area>/<name>.rego, "
        f"found {len(levels)} level(s) under checks/"
    )
    expected = expected_package(check_file)
    assert package_of(check_file) == expected, (
        f"{rel(check_file)}: package must be {expected}, not {package_of(check_file)}"
    )


# The one line that selects a check's resources: every resource of the types its METADATA
# lists (lib.inventory.of), optionally narrowed by a filter on that one resource.
_RESOURCES_LINE = re.compile(
    r"^resources := (?:inventory\.of\(metadata\)"
    r"|\{r \| some r in inventory\.of\(metadata\); (?P<filter>[^\n]+)\})$",
    re.MULTILINE,
)
_METADATA_LINE = "metadata := result.check_metadata(rego.metadata.chain())"
# What a check may not read outside its resources line, nor its filter (which may not
# read the resources set either: it tests one resource, joining none).
_INPUT_READS = ("input.", "input[", "inventory.", "data.lib.inventory")
_FILTER_READS = (*_INPUT_READS, "resources")


def input_reading_problems(text: str) -> list[str]:
    """How a check's source breaks the resources convention; an empty list if it keeps it.

    A check selects its resources in one line, ``resources := inventory.of(metadata)``
    or ``resources := {r | some r in inventory.of(metadata); <filter on r>}``, and reads
    the input nowhere else: it judges each resource on its own."""
    problems: list[str] = []
    if len(re.findall(rf"^{re.escape(_METADATA_LINE)}$", text, re.MULTILINE)) != 1:
        problems.append(f"needs exactly one `{_METADATA_LINE}` line")
    definitions = re.findall(r"^resources\b.*$", text, re.MULTILINE)
    lines = _RESOURCES_LINE.findall(text)
    if len(definitions) != 1 or len(lines) != 1:
        problems.append(
            "needs exactly one resources rule, `resources := inventory.of(metadata)` or"
            " `resources := {r | some r in inventory.of(metadata); <filter>}`, found"
            f" {definitions or 'none'}"
        )
    for filter_ in lines:
        for needle in _FILTER_READS:
            if needle in filter_:
                problems.append(
                    f"the resources filter reads {needle!r}: it may only test the one resource r"
                )
    outside = _RESOURCES_LINE.sub("", text).replace("import data.lib.inventory\n", "", 1)
    outside = re.sub(r"^resources\b.*$", "", outside, flags=re.MULTILINE)
    for needle in _INPUT_READS:
        if needle in outside:
            problems.append(
                f"reads {needle!r} outside its resources line: a check judges one resource"
                " at a time"
            )
    return problems


@per_check
def test_check_reads_the_input_only_through_its_resources_rule(check_file: Path) -> None:
    """A check selects its resources with lib.inventory.of in its one `resources` line and
    judges each on its own. That keeps a scan linear (no check scans every resource) and
    lets a large input be split across OPA requests (the chunked evaluator)."""
    problems = input_reading_problems(check_file.read_text(encoding="utf-8"))
    assert not problems, f"{rel(check_file)}:\n  " + "\n  ".join(problems)


_CONVENTIONAL_CHECK = f"""package checks.aws.x.y

import data.lib.inventory
import data.lib.result

{_METADATA_LINE}

resources := inventory.of(metadata)

findings contains result.fail(rego.metadata.chain(), r, "m") if {{
\tsome r in resources
\tr.attributes.on == false
}}
"""
_ONE_LINE = "resources := inventory.of(metadata)\n"


def test_resources_convention_accepts_the_one_line_forms() -> None:
    assert input_reading_problems(_CONVENTIONAL_CHECK) == []
    filtered = "resources := {r | some r in inventory.of(metadata); tags.classified(r)}\n"
    assert input_reading_problems(_CONVENTIONAL_CHECK.replace(_ONE_LINE, filtered)) == []


@pytest.mark.parametrize(
    ("resources_rule", "problem"),
    [
        pytest.param(
            "resources contains r if {\n\tsome t in metadata.resource_types\n"
            "\tsome r in inventory.by_type[t]\n}\n",
            "needs exactly one resources rule",
            id="old-four-line-rule",
        ),
        pytest.param("", "needs exactly one resources rule", id="no-resources-rule"),
        pytest.param(
            _ONE_LINE + "\nresources := inventory.of(metadata)\n",
            "needs exactly one resources rule",
            id="two-lines",
        ),
        pytest.param(
            _ONE_LINE + "\nresources contains r if some r in input.resources\n",
            "needs exactly one resources rule",
            id="second-rule",
        ),
        pytest.param(
            "resources := {r | some r in input.resources}\n",
            "needs exactly one resources rule",
            id="scans-input",
        ),
        pytest.param(
            "resources := {r | some r in inventory.of(metadata); r.name in input.names}\n",
            "the resources filter reads 'input.'",
            id="filter-reads-input",
        ),
        pytest.param(
            "resources := {r | some r in inventory.of(metadata);"
            " count(inventory.by_type.aws_kms_key) > 0}\n",
            "the resources filter reads 'inventory.'",
            id="filter-joins-another-type",
        ),
        pytest.param(
            "resources := {r | some r in inventory.of(metadata); count(resources) > 1}\n",
            "the resources filter reads 'resources'",
            id="filter-reads-resources",
        ),
        pytest.param(
            _ONE_LINE + "\nowners := {o | some o in input.resources}\n",
            "reads 'input.' outside its resources line",
            id="input-elsewhere",
        ),
        pytest.param(
            _ONE_LINE + "\nkeys := inventory.by_type.aws_kms_key\n",
            "reads 'inventory.' outside its resources line",
            id="inventory-elsewhere",
        ),
        pytest.param(
            _ONE_LINE + "\nroles := data.lib.inventory.by_type.aws_iam_role\n",
            "reads 'data.lib.inventory' outside its resources line",
            id="inventory-by-path-elsewhere",
        ),
    ],
)
def test_resources_convention_rejects(resources_rule: str, problem: str) -> None:
    problems = input_reading_problems(_CONVENTIONAL_CHECK.replace(_ONE_LINE, resources_rule))
    assert any(p.startswith(problem) for p in problems), problems


def test_resources_convention_needs_the_metadata_line() -> None:
    other = _CONVENTIONAL_CHECK.replace(_METADATA_LINE, "metadata := {'resource_types': ['x']}")
    assert input_reading_problems(other) == [f"needs exactly one `{_METADATA_LINE}` line"]


def test_check_ids_are_unique() -> None:
    annotations = {
        file: entry
        for file, entry in package_annotations(POLICIES).items()
        if file.is_relative_to(CHECKS.resolve())
    }
    assert duplicate_ids(annotations) == {}, "check ids declared more than once"
    declared = [file for files in check_ids(annotations).values() for file in files]
    assert sorted(declared) == sorted(rel(p) for p in CHECK_FILES), "a check declares no id"


def test_rego_tests_pass() -> None:
    completed = run_opa("test", "policies", "policy_tests", "--format", "json")
    try:
        results: list[dict[str, Any]] = json.loads(completed.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"opa test did not report JSON:\n{completed.stdout}\n{completed.stderr}")
    failed = [
        f"{r['package']}.{r['name']}: {r.get('error') or 'fail'}"
        for r in results
        if r.get("fail") or r.get("error")
    ]
    assert not failed, "Rego tests failed:\n  " + "\n  ".join(failed)
    assert completed.returncode == 0, completed.stderr
    ran = [r for r in results if not r.get("skip")]
    assert len(ran) >= max(6 * 3, MIN_TESTS_PER_CHECK * len(CHECK_FILES)), (
        f"only {len(ran)} Rego tests ran for {len(CHECK_FILES)} checks"
    )
    for check_file in CHECK_FILES:
        package = f"data.{expected_package(check_file)}_test"
        count = sum(1 for r in ran if r["package"] == package)
        assert count >= MIN_TESTS_PER_CHECK, f"{rel(check_file)}: only {count} Rego test(s) ran"


# The validator must be able to fail: the same checks, broken on purpose.

_SAMPLE_CHECK = CHECKS / "aws" / "rds" / "storage_encrypted.rego"


def _split_metadata(source: str) -> tuple[dict[str, Any], str]:
    """A Rego file's leading METADATA block as YAML, and the rest of the file."""
    lines = source.splitlines(keepends=True)
    assert lines[0].strip() == "# METADATA"
    end = next(i for i, line in enumerate(lines[1:], 1) if not line.startswith("#"))
    block = "".join(line[2:] if line.startswith("# ") else line[1:] for line in lines[1:end])
    loaded = yaml.safe_load(block)
    assert isinstance(loaded, dict)
    return loaded, "".join(lines[end:])


def _join_metadata(metadata: dict[str, Any], rest: str) -> str:
    dumped = yaml.safe_dump(metadata, sort_keys=False, width=1000)
    return "# METADATA\n" + "".join(f"# {line}\n" for line in dumped.splitlines()) + rest


def test_validator_rejects_check_without_remediation(tmp_path: Path) -> None:
    metadata, rest = _split_metadata(_SAMPLE_CHECK.read_text(encoding="utf-8"))
    del metadata["custom"]["remediation"]
    broken = tmp_path / "checks" / "aws" / "rds" / _SAMPLE_CHECK.name
    broken.parent.mkdir(parents=True)
    broken.write_text(_join_metadata(metadata, rest), encoding="utf-8")

    entry = package_annotations(tmp_path).get(broken.resolve())
    assert entry is not None, "opa inspect found no METADATA in the broken copy"
    assert "remediation" not in entry["annotations"]["custom"]
    problems = validate_metadata(entry["annotations"])
    assert problems == ["custom.remediation: missing or empty"]


def test_validator_accepts_an_unmodified_round_trip(tmp_path: Path) -> None:
    metadata, rest = _split_metadata(_SAMPLE_CHECK.read_text(encoding="utf-8"))
    copy = tmp_path / "checks" / "aws" / "rds" / _SAMPLE_CHECK.name
    copy.parent.mkdir(parents=True)
    copy.write_text(_join_metadata(metadata, rest), encoding="utf-8")

    entry = package_annotations(tmp_path).get(copy.resolve())
    assert entry is not None
    assert validate_metadata(entry["annotations"]) == []


def _good_annotation() -> dict[str, Any]:
    return {
        "scope": "package",
        "title": "t",
        "description": "d",
        "custom": {
            "id": "AWS-RDS-001",
            "severity": "high",
            "resource_types": ["aws_db_instance"],
            "controls": {"gdpr": ["Art.32(1)(a)"], "soc2": ["CC6.1"], "iso27001": ["A.8.24"]},
            "remediation": "r",
        },
    }


def test_good_annotation_has_no_problems() -> None:
    assert validate_metadata(_good_annotation()) == []


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("title",), None, "title"),
        (("description",), "  ", "description"),
        (("scope",), "rule", "scope"),
        (("custom",), None, "custom"),
        (("custom", "id"), "aws-rds-001", "custom.id"),
        (("custom", "id"), "AWS-RDS-01", "custom.id"),
        (("custom", "id"), "AWS-001", "custom.id"),
        (("custom", "id"), None, "custom.id"),
        (("custom", "severity"), "urgent", "custom.severity"),
        (("custom", "severity"), None, "custom.severity"),
        (("custom", "resource_types"), [], "custom.resource_types"),
        (("custom", "resource_types"), "aws_db_instance", "custom.resource_types"),
        (("custom", "resource_types"), ["AWS DB"], "custom.resource_types"),
        (("custom", "controls"), {}, "custom.controls"),
        (("custom", "controls"), None, "custom.controls"),
        (("custom", "controls"), {"sox": ["404"], "iso27001": ["A.8.24"]}, "custom.controls"),
        (("custom", "controls"), {"gdpr": ["Art.32(1)(a)"]}, "custom.controls.iso27001"),
        (("custom", "controls"), {"iso27001": ["A.8"]}, "custom.controls.iso27001"),
        (("custom", "controls"), {"iso27001": ["A.12.4.1"]}, "custom.controls.iso27001"),
        (("custom", "controls"), {"iso27001": ["8.24"]}, "custom.controls.iso27001"),
        (("custom", "controls"), {"iso27001": []}, "custom.controls.iso27001"),
        (
            ("custom", "controls"),
            {"soc2": ["CC6.99"], "iso27001": ["A.8.24"]},
            "custom.controls.soc2",
        ),
        (
            ("custom", "controls"),
            {"pci_dss": ["3.5.1", "99.1"], "iso27001": ["A.8.24"]},
            "custom.controls.pci_dss",
        ),
        (("custom", "controls"), {"gdpr": []}, "custom.controls.gdpr"),
        (("custom", "controls"), {"hipaa": "164.312"}, "custom.controls.hipaa"),
        (("custom", "controls"), {"pci_dss": [3]}, "custom.controls.pci_dss"),
        (("custom", "remediation"), "", "custom.remediation"),
        (("custom", "remediation"), None, "custom.remediation"),
    ],
)
def test_validator_rejects_each_incomplete_field(
    path: tuple[str, ...], value: Any, problem: str
) -> None:
    annotation = _good_annotation()
    parent: dict[str, Any] = annotation
    for key in path[:-1]:
        parent = parent[key]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    problems = validate_metadata(annotation)
    assert any(p.startswith(f"{problem}:") for p in problems), problems


def test_iso27001_catalogue_holds_the_93_annex_a_controls() -> None:
    catalogue = json.loads((POLICIES / "frameworks" / "iso27001" / "data.json").read_text())
    themes = {"5": ("Organizational controls", 37), "6": ("People controls", 8),
              "7": ("Physical controls", 14), "8": ("Technological controls", 34)}  # fmt: skip
    expected = [f"A.{clause}.{n}" for clause, (_, count) in themes.items()
                for n in range(1, count + 1)]  # fmt: skip
    assert (catalogue["id"], catalogue["version"]) == ("iso27001", "2022")
    assert list(catalogue["controls"]) == expected  # in Annex A order, none missing or extra
    for control_id, control in catalogue["controls"].items():
        clause = control_id.split(".")[1]
        assert control["group"] == themes[clause][0], control_id
        assert control["clause"] == clause, control_id
        assert control["title"].strip(), control_id
    new = {c for c, control in catalogue["controls"].items() if control.get("new_in_2022")}
    assert len(new) == 11  # the controls the 2022 revision added


def test_duplicate_check_ids_are_found() -> None:
    entry: dict[str, Any] = {"annotations": _good_annotation()}
    other: dict[str, Any] = {"annotations": {**_good_annotation(), "custom": {"id": "PG-SRV-009"}}}
    one, two, three = (CHECKS / "a" / "b" / f"{n}.rego" for n in ("one", "two", "three"))
    assert duplicate_ids({one: entry, two: entry, three: other}) == {
        "AWS-RDS-001": ["policies/checks/a/b/one.rego", "policies/checks/a/b/two.rego"]
    }
    assert duplicate_ids({one: entry, three: other}) == {}


def test_mirrored_paths_and_package_names() -> None:
    check = POLICIES / "checks" / "aws" / "rds" / "storage_encrypted.rego"
    assert mirrored_test_file(check) == (
        POLICY_TESTS / "checks" / "aws" / "rds" / "storage_encrypted_test.rego"
    )
    assert expected_package(check) == "checks.aws.rds.storage_encrypted"
