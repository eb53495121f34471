"""Markdown report, for pull-request comments and wikis (rendered from a Jinja2 template).

Everything a template prints with `{{ }}` is text: escaped for CommonMark and GitHub
(`text`), so a resource address, a message or a gap's detail cannot open an HTML comment
that hides the findings after it, show an image (a tracking pixel), make a link, ping
@someone or break a table. Markdown we write ourselves is a `Markdown` value (code
spans from `code`); the templates' own text is theirs.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from compliance_opa.domain.assessment import report_context
from compliance_opa.domain.data_map import DataMap
from compliance_opa.domain.report import ScanReport
from compliance_opa.domain.suggestions import Suggestion, advice
from compliance_opa.reports.data_map_view import helpers as data_map_helpers
from compliance_opa.support.printable import printable

if TYPE_CHECKING:
    from jinja2 import Environment


class Markdown(str):
    """Markdown we wrote: the templates print it as it is."""


# Characters with a meaning anywhere inline: escapes, code spans, emphasis, links and
# images, table cells, strikethrough, math (GitHub); HTML and entities become entities.
_INLINE = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "~": "\\~",
    "$": "\\$",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
}
# What opens a block at the start of a line's content: a heading, a list item (bullet or
# ordered: the marker is escaped), a setext underline or a thematic break. `>`, `*`, `_`,
# `` ` ``, `~`, `<` and `|` are escaped everywhere already.
_BLOCK_START = re.compile(r"(?:#{1,6}|[-+]|(?P<number>\d{1,9})[.)])(?:[ \t]|$)|[-=][-= \t]*$")
# A zero-width space after an @ at a word's start: GitHub pings nobody (as Dependabot
# and Renovate do it). Written as an entity, so the Markdown itself stays plain ASCII.
_NO_MENTION = "@&#8203;"


def text(value: object) -> Markdown:
    """Inline text that reads as itself wherever it stands: a paragraph, a list item, a
    quote or a table cell, even at the start of a line. Control characters are shown
    escaped (`\\x1b`, `\\r`), so a CR or LF cannot end the line."""
    plain = printable(value)
    out = [_escaped(plain, i) for i in range(len(plain))]
    block = _BLOCK_START.match(plain)
    if block:
        marker = block.end("number") if block.group("number") else 0
        out[marker] = "\\" + out[marker]
    elif plain.startswith(" "):  # four would make code of a list item's text
        out[0] = "&#32;"
    return Markdown("".join(out))


def _escaped(plain: str, i: int) -> str:
    c = plain[i]
    if c in _INLINE:
        return _INLINE[c]
    before = plain[i - 1] if i else ""
    if c == "_":  # inside a word it cannot start or end emphasis: snake_case stays
        after = plain[i + 1 : i + 2]
        return c if before.isalnum() and after.isalnum() else "\\_"
    if c == "@":  # after a letter an e-mail (GitHub would link it), else a mention
        return "\\@" if _word_char(before) else _NO_MENTION
    if c == ":" and plain.startswith("//", i + 1):  # GitHub links scheme://
        return "\\:"
    if c == "." and plain[:i].lower().endswith("www") and not _word_char(plain[i - 4 : i - 3]):
        return "\\."  # GitHub links www.
    return c


def code(value: object, table: bool = False, fence: int = 1) -> Markdown:
    """A code span showing the text as it is (control characters escaped): its fence
    longer than any run of backticks inside, padded where the text starts or ends with
    a backtick or space. In a table cell (`table`), `|` is escaped, as GitHub requires
    even inside code. `fence` is the shortest fence to use (2: spaced, as the PR
    comment's code spans always were)."""
    plain = printable(value)
    if plain.strip(" ") == "":
        return Markdown(text(plain))
    longest = max((len(run) for run in re.findall(r"`+", plain)), default=0)
    ticks = "`" * max(fence, longest + 1)
    padded = len(ticks) > 1 or plain[0] == "`" or plain[-1] == "`"
    padded = padded or (plain[0] == " " and plain[-1] == " ")
    pad = " " if padded else ""
    if table:
        plain = plain.replace("|", "\\|")
    return Markdown(f"{ticks}{pad}{plain}{pad}{ticks}")


def fenced(value: str, info: str) -> Markdown:
    """A fenced code block showing the lines as they are (control characters escaped, so
    a CR cannot end a line): its fence of backticks longer than any run inside, so no
    line of the text can close it. `info` names the language (no backticks in it)."""
    body = "\n".join(printable(line) for line in value.split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markdown(f"{fence}{info}\n{body}\n{fence}")


# The info string of a suggestion's code block, by kind.
LANGUAGES = {"terraform": "hcl", "sql": "sql"}


def suggestion_block(suggestion: Suggestion) -> Markdown:
    return fenced(suggestion.text, LANGUAGES[suggestion.kind])


def _word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def _finalize(value: object) -> object:
    """What `{{ }}` prints: Markdown as it is, anything else as text."""
    return value if isinstance(value, Markdown) else text(value)


@cache
def environment() -> Environment:
    """The Jinja2 environment shared by the Markdown templates (this report, the PR comment,
    the data map), built when one is first rendered: a scan writing other formats never
    loads Jinja2."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    markdown = Environment(
        loader=PackageLoader("compliance_opa.reports", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - Markdown, not HTML: `finalize` escapes for Markdown.
        finalize=_finalize,
        keep_trailing_newline=True,
    )
    markdown.filters["code"] = code
    markdown.filters["suggestion_block"] = suggestion_block
    # A heading of a level the template computes (the data map's section sits at level 2 in
    # its own document, 3 in the report).
    markdown.globals["heading"] = lambda level: Markdown("#" * level)
    markdown.globals["data_map_section"] = data_map_section
    return markdown


def data_map_section(data_map: DataMap, base: int) -> Markdown:
    """The data map's section, its classes headed at level `base`: in the data-map
    document (2) and in this report (3). Without its last newline, so the template that
    places it decides the spacing."""
    template = environment().get_template("data_map_section.md.j2")
    text = template.render(dm=data_map, base=base, **data_map_helpers())
    return Markdown(text.rstrip("\n"))


def render(report: ScanReport) -> str:
    seen: dict[str, object] = {}
    for finding in report.findings_by_severity():
        seen.setdefault(finding.check.check_id, finding.check)
    context = report_context(report)
    return (
        environment()
        .get_template("report.md.j2")
        .render(
            **context,
            checks_with_findings=list(seen.values()),
            advice=advice(report.findings_by_severity()),
        )
    )
