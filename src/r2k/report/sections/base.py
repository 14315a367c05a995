"""A report section: facts (numbers, no formatting) plus its HTML and Markdown renderings.

New sections say what they show once, as blocks (:mod:`r2k.report.blocks`), and :meth:`Section.of` renders them
to HTML and Markdown; ``blocks`` stays on the section for other renderings (rich in a terminal)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from r2k.report import blocks as B
from r2k.report.context import ReportContext


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    facts: dict[str, Any]
    html: str
    markdown: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    blocks: tuple[B.Block, ...] = field(default_factory=tuple, repr=False)

    @classmethod
    def of(cls, key: str, title: str, facts: dict[str, Any], blocks: Sequence[B.Block],
           notes: Sequence[str] = ()) -> Section:
        """A section written once as blocks, rendered to HTML (autoescaped Jinja) and Markdown."""
        return cls(key, title, facts, B.to_html(blocks), B.to_markdown(blocks), tuple(notes), tuple(blocks))


SectionBuilder = Callable[[ReportContext], "Section | None"]
