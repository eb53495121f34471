"""Text from outside (the scanned estate, a remote answer, the user) as people may see it."""

from __future__ import annotations


def printable(text: object) -> str:
    """Text as a terminal (or any output for people) may show it: every character that is
    not printable (C0 and C1 controls, DEL, bidi overrides and other format characters,
    line and paragraph separators) escaped as Python writes it (`\\x1b`, `\\u202e`), as
    the one-line errors do. ESC[2J cannot clear a screen, nor a CR or LF split a row."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def exception_line(exc: BaseException, limit: int = 300) -> str:
    """An exception's text on one line, whitespace runs folded, cut to ``limit``; its
    type's name when it says nothing."""
    return " ".join(str(exc).split())[:limit] or type(exc).__name__
