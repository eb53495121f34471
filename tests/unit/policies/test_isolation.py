"""Every check judges one resource at a time from that resource and the parameters only.

Chunked evaluation (engine/request_builder.py) and the verdict cache of incremental scans
(app/incremental.py) depend on it: a resource's verdicts must be a function of its own
text, the parameters and the policies. So, read statically from the .rego sources
(comments and strings left out):

- a check reads its resources only as `resources := ...inventory.of(metadata)...` and
  ranges over them only as `some r in resources` inside a `findings contains` rule (one
  variable: two resources are never joined);
- no check names `input` or `data` (other than importing `data.lib.*`), nor any other
  rule of lib.inventory;
- the library reads `input` only in lib.inventory (`input.resources`, grouped by type)
  and lib.params (`input.parameters`), and `data` only in lib.params (`data.config`, the
  defaults, whose file is part of the cache's context);
- the report (scan.rego) reads no input.

Facts from other resources reach a check folded into the resource by the collectors and
the plan adapter (tests/integration/test_incremental.py checks that such a fold changes
the resource's cache key)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

POLICIES = Path(__file__).resolve().parents[3] / "policies"
CHECKS = sorted(
    p for p in (POLICIES / "checks").rglob("*.rego") if not p.name.endswith("_test.rego")
)
LIBRARY = sorted(p for p in (POLICIES / "lib").rglob("*.rego") if not p.name.endswith("_test.rego"))

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')
_RESOURCES = re.compile(r"(?<![.\w])resources\b")
_INPUT = re.compile(r"(?<![.\w])input\b")
_DATA = re.compile(r"(?<![.\w])data\b")


def code_lines(path: Path) -> list[str]:
    """The module's lines with strings emptied and comments cut."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = _STRING.sub('""', line)
        lines.append(line.split("#", 1)[0].rstrip())
    return lines


def check_violations(path: Path) -> list[str]:
    problems: list[str] = []
    head = ""
    name = path.relative_to(POLICIES) if path.is_relative_to(POLICIES) else path.name
    for number, line in enumerate(code_lines(path), 1):
        where = f"{name}:{number}"
        if line and not line[0].isspace() and not line.startswith("}"):
            head = line  # the rule this line starts (a rule's body is indented)
        if _INPUT.search(line):
            problems.append(f"{where}: reads input")
        if _DATA.search(line) and not re.fullmatch(r"import data\.lib\.\w+(\s+as\s+\w+)?", line):
            problems.append(f"{where}: reads data")
        if "inventory." in line.replace("inventory.of(metadata)", ""):
            problems.append(f"{where}: uses lib.inventory other than inventory.of(metadata)")
        if "inventory.of(metadata)" in line and not line.startswith("resources :="):
            problems.append(f"{where}: inventory.of(metadata) outside `resources :=`")
        if _RESOURCES.search(line) and not line.startswith("resources :="):
            if not re.fullmatch(r"\s+some r in resources", line):
                problems.append(f"{where}: uses its resources other than `some r in resources`")
            elif not head.startswith("findings contains"):
                problems.append(f"{where}: ranges over its resources outside a findings rule")
    return problems


@pytest.mark.parametrize("path", CHECKS, ids=lambda p: str(p.relative_to(POLICIES / "checks")))
def test_a_check_reads_only_its_own_resource_and_the_parameters(path: Path) -> None:
    assert check_violations(path) == []


def test_the_library_reads_input_and_data_only_where_the_cache_key_covers_them() -> None:
    reads: dict[str, set[str]] = {}
    for path in LIBRARY:
        for line in code_lines(path):
            if line.lstrip().startswith("import "):
                continue
            for match in re.finditer(r"(?<![.\w])(input|data)\b(\.\w+)*", line):
                reads.setdefault(path.name, set()).add(match.group(0))
    assert reads == {"inventory.rego": {"input.resources"}, "params.rego": {"input", "data.config"}}
    # lib.params's whole-input read takes its parameters, nothing else.
    params = (POLICIES / "lib" / "params.rego").read_text(encoding="utf-8")
    code = [line for line in params.splitlines() if not line.lstrip().startswith("#")]
    uses = [m.group(0) for line in code for m in re.finditer(r"\binput\b.{0,16}", line)]
    assert uses == ['input, "parameters", ']


def test_the_report_reads_no_input() -> None:
    assert not [line for line in code_lines(POLICIES / "scan.rego") if _INPUT.search(line)]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("resources := inventory.of(metadata)\nfindings contains x if {\n\tsome r in resources\n"
         "\tsome other in resources\n}\n", "other than `some r in resources`"),
        ("resources := inventory.of(metadata)\n_peer(x) if {\n\tsome r in resources\n}\n",
         "outside a findings rule"),
        ('findings contains x if {\n\tsome r in input.resources\n}\n', "reads input"),
        ("import data.lib.inventory\nx := inventory.by_type\n", "other than inventory.of"),
        ("x := data.checks.aws\n", "reads data"),
        ("n := count(resources)\n", "other than `some r in resources`"),
    ],
)  # fmt: skip
def test_the_scan_catches_each_way_of_looking_across_resources(
    text: str, problem: str, tmp_path: Path
) -> None:
    probe = tmp_path / "probe.rego"
    probe.write_text("package checks.x.y.z\n\n" + text, encoding="utf-8")
    problems = check_violations(probe)
    assert any(problem in p for p in problems), problems
