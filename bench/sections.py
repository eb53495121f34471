"""BENCHMARKS.md is written by several scripts, each owning some `## ` sections.

A script replaces its own sections (in place, or appended in the order given when new)
and leaves every other one as it was, so `make bench` can run them in any order and a
script run alone refreshes only its figures. The text before the first `## ` heading
belongs to bench/run.py (PREAMBLE).
"""

from __future__ import annotations

from pathlib import Path

PREAMBLE = ""


def split(text: str) -> dict[str, str]:
    """Heading line (without `## `) -> the section's text, heading included; the text
    before the first heading under PREAMBLE. Order is kept."""
    sections: dict[str, str] = {}
    current, lines = PREAMBLE, list[str]()
    for line in text.splitlines():
        if line.startswith("## "):
            sections[current] = "\n".join(lines).strip("\n")
            current, lines = line[3:].strip(), []
        lines.append(line)
    sections[current] = "\n".join(lines).strip("\n")
    if not sections.get(PREAMBLE):
        sections.pop(PREAMBLE, None)
    return sections


def update(path: Path, owned: dict[str, str]) -> None:
    """Write ``owned`` (heading -> section text starting with its `## ` line; PREAMBLE ->
    the text above every section) into ``path``, keeping the other sections."""
    old = split(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged = {PREAMBLE: owned.get(PREAMBLE) or old.get(PREAMBLE) or "# Benchmarks"}
    for heading, text in old.items():
        if heading != PREAMBLE:
            merged[heading] = owned.get(heading, text)
    for heading, text in owned.items():
        merged.setdefault(heading, text)
    body = "\n\n".join(t.strip("\n") for t in merged.values() if t.strip())
    path.write_text(body + "\n", encoding="utf-8")


def section(heading: str, lines: list[str]) -> str:
    """A section's text from its heading (without `## `) and its lines."""
    return "\n".join([f"## {heading}", "", *lines]).rstrip("\n")
