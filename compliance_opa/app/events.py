"""What a service tells its front end while it runs: notes, warnings and collection
progress. The CLI prints them as they come; the default keeps them for the outcome."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from compliance_opa.collect.base import Collector, CollectProgress, CollectSummary


class Events(Protocol):
    def note(self, text: str) -> None:
        """Something the user may want to know (evidence appended, links published)."""

    def warning(self, text: str) -> None:
        """Something that needs attention but did not stop the run."""

    def collecting(self, source: Collector) -> AbstractContextManager[CollectProgress]:
        """The progress hooks of one collection, for its duration."""

    def collected(self, source: Collector, summary: CollectSummary) -> None:
        """One collection done."""


class Recorded:
    """Events kept in order, for callers with no terminal (tests, the compliance service)."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.warnings: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)

    def warning(self, text: str) -> None:
        self.warnings.append(text)

    @contextmanager
    def collecting(self, source: Collector) -> Iterator[CollectProgress]:
        yield CollectProgress()

    def collected(self, source: Collector, summary: CollectSummary) -> None:
        self.notes.append(source.describe(summary))
