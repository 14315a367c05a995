"""A report section: facts (numbers, no formatting) plus its HTML and Markdown renderings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from r2k.report.context import ReportContext


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    facts: dict[str, Any]
    html: str
    markdown: str
    notes: tuple[str, ...] = field(default_factory=tuple)


SectionBuilder = Callable[[ReportContext], "Section | None"]
