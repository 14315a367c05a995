"""Coloured HTML tables (heatmaps): a few bytes of inline colour per cell instead of a large SVG.

A cell is plain text, or a ``Heat(text, value, scale)``: green for positive values, red for negative,
fully saturated at ``|value| >= scale``; text stays dark on every shade, so it reads in print too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from r2k.report.tables import plain_cell, wrap_table

UP, DOWN, PAPER = (46, 125, 50), (198, 40, 40), (255, 255, 255)
MAX_MIX = 0.55  # the strongest shade: 55% of the colour into white keeps dark text readable


@dataclass(frozen=True)
class Heat:
    text: str
    value: float
    scale: float

    @property
    def background(self) -> str:
        """The cell's background (a report block's shaded cell), "" for none."""
        return shade(self.value, self.scale) or ""


def shade(value: float, scale: float) -> str | None:
    """The background for ``value`` as #rrggbb, or None for 0 / NaN (left white)."""
    if value != value or value == 0 or scale <= 0:
        return None
    w = MAX_MIX * min(abs(value) / scale, 1.0)
    rgb = UP if value > 0 else DOWN
    return "#" + "".join(f"{round(p + (c - p) * w):02x}" for c, p in zip(rgb, PAPER))


def _cell(value: object) -> str:
    if isinstance(value, Heat):
        bg = shade(value.value, value.scale)
        style = f' style="background:{bg}"' if bg else ""
        return f'<td class="num"{style}>{escape(value.text)}</td>'
    return plain_cell(value)


def heatmap_table(headers: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    """A data table whose ``Heat`` cells are coloured, in a box that scrolls sideways on narrow screens."""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return wrap_table(f'<table class="data heatmap">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def plain(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    """The rows with ``Heat`` cells as their text (for Markdown)."""
    return [[v.text if isinstance(v, Heat) else str(v) for v in row] for row in rows]
