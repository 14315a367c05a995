"""Heat-map cells: a few bytes of inline colour per table cell instead of a large SVG.

A ``Heat(text, value, scale)`` is a cell of a report table (:class:`r2k.report.blocks.Table`): green for positive
values, red for negative, fully saturated at ``|value| >= scale``; text stays dark on every shade, so it reads in
print too.
"""

from __future__ import annotations

from dataclasses import dataclass

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

