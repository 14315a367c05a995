"""Plain HTML and Markdown tables (values are formatted by the caller)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

# numbers, percentages, signed values and dates are right-aligned; text stays left-aligned
NUMERIC = re.compile(r"^[-+−]?[\d,.]+(%| pts| s)?$|^\d{4}-\d{2}-\d{2}$|^n/a$")


def plain_cell(value: object) -> str:
    """One escaped <td>; numbers, percentages and dates right-aligned."""
    text = str(value)
    css = ' class="num"' if NUMERIC.match(text.strip()) else ""
    return f"<td{css}>{escape(text)}</td>"


def wrap_table(table_html: str) -> str:
    """A table inside its own horizontally scrolling box: on a phone a wide table scrolls, the page does not."""
    return f'<div class="table-wrap">{table_html}</div>'


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]], css: str = "data") -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(plain_cell(v) for v in row) + "</tr>" for row in rows)
    return wrap_table(f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


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


def fmt_num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None or value != value else f"{value:,.{digits}f}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None or value != value else f"{100 * value:+.{digits}f}%"


def fmt_p(value: float | None, missing: str = "n/a") -> str:
    """A p-value in a table cell: "<0.001" below 0.001 (never "0"), else two significant digits."""
    return missing if value is None or value != value else ("<0.001" if value < 0.001 else f"{value:.2g}")


def fmt_interval(low: float | None, high: float | None, digits: int = 1, missing: str = "n/a") -> str:
    """An interval of fractions as signed percentages, "+1.2% to +3.4%"."""
    return missing if low is None or low != low else f"{fmt_pct(low, digits)} to {fmt_pct(high, digits)}"
