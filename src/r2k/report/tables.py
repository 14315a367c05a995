"""Plain HTML and Markdown tables (values are formatted by the caller)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from html import escape

from r2k.words import NA, missing, num, p_value, pct

# numbers, percentages, signed values and dates are right-aligned; text stays left-aligned
NUMERIC = re.compile(r"^[-+−]?[\d,.]+(%| pts| s)?$|^\d{4}-\d{2}-\d{2}$|^n/a$")


def plain_cell(value: object) -> str:
    """One escaped <td>; numbers, percentages and dates right-aligned."""
    text = str(value)
    css = ' class="num"' if NUMERIC.match(text.strip()) else ""
    return f"<td{css}>{escape(text)}</td>"


SHORT_ROWS = 18  # a table this short is kept on one printed page (under half a page); longer ones break between rows


def wrap_table(table_html: str, rows: int | None = None) -> str:
    """A table inside its own horizontally scrolling box: on a phone a wide table scrolls, the page does not.
    With ``rows`` at most SHORT_ROWS the box is marked ``short``: print keeps it whole."""
    css = "table-wrap short" if rows is not None and rows <= SHORT_ROWS else "table-wrap"
    return f'<div class="{css}">{table_html}</div>'


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]], css: str = "data") -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(plain_cell(v) for v in row) + "</tr>" for row in rows)
    return wrap_table(f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>', len(rows))


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
