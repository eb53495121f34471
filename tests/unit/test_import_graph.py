"""The package's import graph has no cycle, between modules or between packages.

import-linter (`make lint`, the contracts in .importlinter) keeps the layers; this test
keeps what a layer contract cannot see: two modules of one layer importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp
import pytest

ROOTS = ("compliance_opa", "collectors")


def _cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _module_edges() -> dict[str, set[str]]:
    graph = grimp.build_graph(*ROOTS)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def _package_of(module: str) -> str:
    """compliance_opa.domain.findings -> compliance_opa.domain; top-level modules stay."""
    return ".".join(module.split(".")[:2])


def test_the_cycle_finder_finds_cycles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": set()}
    assert _cycles(edges) == [["a", "b", "c"]]


def test_no_module_imports_itself_back() -> None:
    assert _cycles(_module_edges()) == []


def test_no_package_imports_itself_back() -> None:
    packages: dict[str, set[str]] = {}
    for source, targets in _module_edges().items():
        mine = _package_of(source)
        packages.setdefault(mine, set()).update(
            _package_of(t) for t in targets if _package_of(t) != mine
        )
    assert _cycles(packages) == []


@pytest.mark.parametrize("root", ROOTS)
def test_the_graph_sees_the_package(root: str) -> None:
    # A graph built from nothing would have no cycles too.
    assert len([m for m in _module_edges() if m.startswith(root)]) > 10


def test_collectors_use_only_errors_and_the_schema_helper_of_the_package() -> None:
    allowed = {"compliance_opa.errors", "compliance_opa.inventory.schema"}
    used = {
        target
        for source, targets in _module_edges().items()
        if source.startswith("collectors")
        for target in targets
        if target.startswith("compliance_opa")
    }
    assert used <= allowed, sorted(used - allowed)
    assert used  # the collectors do check their snapshots against the schema
