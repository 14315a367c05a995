"""Table helpers shared by the report's blocks: which cells are numbers, Markdown tables and text, the cells' formatters."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from html import escape

from r2k.words import NA, missing, num, p_value, pct

# numbers, percentages, signed values and dates are right-aligned; text stays left-aligned
NUMERIC = re.compile(r"^[-+−]?[\d,.]+(%| pts| s)?$|^\d{4}-\d{2}-\d{2}$|^n/a$")
SHORT_ROWS = 18  # a table this short is kept on one printed page (under half a page); longer ones break between rows


def humanise(text: str, names: Mapping[str, str]) -> str:
    """``text`` with whole-word ids replaced by human names ({"RUT": "Russell 2000", "ret_1m": "1-month
    return"}): for sentences the analytics library writes with series and column ids."""
    if not names:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")(?![\w-])")
    return pattern.sub(lambda m: names[m.group(1)], text)


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return md_text(str(v)).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def md_text(text: str) -> str:
    """Markdown text with HTML escaped: Markdown renderers pass raw HTML through, so a series id or a
    file name must never become a tag (``<img onerror=...>``)."""
    return escape(text, quote=False)


# the report's cells: the formatters of r2k.words with "n/a" for a missing value (percentages signed)
fmt_num = partial(num, na=NA)
fmt_pct = partial(pct, sign=True, na=NA)
fmt_p = partial(p_value, na=NA)  # "<0.001" below 0.001, never "0"


def fmt_interval(low: float | None, high: float | None, digits: int = 1, na: str = NA) -> str:
    """An interval of fractions as signed percentages, "+1.2% to +3.4%"."""
    return na if missing(low) else f"{pct(low, digits, True)} to {pct(high, digits, True)}"
