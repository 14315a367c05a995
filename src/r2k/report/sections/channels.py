"""Placeholder: this section is added by its issue."""

from __future__ import annotations

from r2k.report.context import ReportContext
from r2k.report.sections.base import Section


def build(ctx: ReportContext) -> Section | None:
    return None
