"""What a report section says, as blocks (a paragraph, a heading, a table, a figure, a list, a caveat, a banner),
written once and rendered once per format: HTML through autoescaped Jinja (:func:`to_html`), Markdown
(:func:`to_markdown`) and rich renderables for a terminal (:func:`to_rich`).

Cells and text are plain strings already formatted with :mod:`r2k.words`; only a figure's SVG (made by matplotlib
through :func:`r2k.report.charts.to_svg`, which escapes its own text) reaches the HTML unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from r2k.report.tables import NUMERIC, SHORT_ROWS, md_table, md_text


@dataclass(frozen=True)
class Paragraph:
    text: str
    strong: bool = False
    css: str = ""  # "note" (small grey) or "" (body text)
    lead: str = ""  # a bold run-in head ("Inflation.")


@dataclass(frozen=True)
class Caveat:
    """A qualification that stands next to the number it qualifies."""
    text: str


@dataclass(frozen=True)
class Banner:
    """A warning the reader must see first (stale data): a boxed paragraph with a bold lead."""
    lead: str
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    links: tuple[str, ...] = ()  # per item, the anchor of the section holding its evidence ("" for none)


@dataclass(frozen=True)
class Shaded:
    """A table cell with a background colour (a heat-map cell): the colour carries no information the text lacks."""
    text: str
    background: str = ""  # a CSS colour, "" for none


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    css: str = "data"
    numeric_from: int | None = None  # columns from this index on are numbers (else: guessed per cell)
    row_heads: bool = False  # the first column labels its row (<th>); with it the HTML may leave the header row out
    html_headers: bool = True
    backgrounds: tuple[tuple[str, ...], ...] = ()  # per cell, a CSS background ("" for none): heat maps

    @classmethod
    def of(cls, headers: Sequence[str], rows: Sequence[Sequence[Any]], css: str = "data",
           numeric_from: int | None = None, row_heads: bool = False, html_headers: bool = True) -> Table:
        # a shaded cell is anything with ``text`` and ``background`` (Shaded, r2k.report.heatmap.Heat)
        text = tuple(tuple(str(getattr(c, "text", c)) for c in r) for r in rows)
        shades = tuple(tuple(str(getattr(c, "background", "") or "") for c in r) for r in rows)
        return cls(tuple(str(h) for h in headers), text, css, numeric_from, row_heads, html_headers,
                   shades if any(any(r) for r in shades) else ())

    def background(self, row: int, column: int) -> str:
        return self.backgrounds[row][column] if self.backgrounds else ""

    def numeric(self, column: int, text: str) -> bool:
        return column >= self.numeric_from if self.numeric_from is not None else bool(NUMERIC.match(text.strip()))


@dataclass(frozen=True)
class Figure:
    svg: str  # from r2k.report.charts.to_svg
    caption: str = ""


@dataclass(frozen=True)
class Side:
    """Two columns on a desk, one under the other on a phone: e.g. prose next to its table."""
    left: tuple[Block, ...]
    right: tuple[Block, ...]
    css: str = field(default="side")
    left_css: str = ""
    right_css: str = ""


Block = Paragraph | Caveat | Banner | Heading | Bullets | Table | Figure | Side


def to_html(blocks: Sequence[Block]) -> str:
    """One HTML fragment (every string escaped by Jinja's autoescape)."""
    from r2k.report.templating import environment

    return environment().get_template("blocks.html.j2").render(blocks=blocks, svg=lambda b: Markup(b.svg),
                                                                      short_rows=SHORT_ROWS)


def _md(block: Block) -> str:
    if isinstance(block, Paragraph):
        text = md_text(block.text)
        if block.lead:
            text = f"**{md_text(block.lead)}** {text}"
        return f"**{text}**" if block.strong else (f"_{text}_" if block.css == "note" else text)
    if isinstance(block, Caveat):
        return f"_{md_text(block.text)}_"
    if isinstance(block, Banner):
        return f"> **{md_text(block.lead)}** {md_text(block.text)}"
    if isinstance(block, Heading):
        return f"### {md_text(block.text)}"
    if isinstance(block, Bullets):
        links = block.links or ("",) * len(block.items)
        return "\n".join(f"- {md_text(t)}" + (f" ([evidence](#{a}))" if a else "") for t, a in zip(block.items, links))
    if isinstance(block, Table):
        return md_table(block.headers, block.rows)
    if isinstance(block, Figure):
        return f"_{md_text(block.caption)}_" if block.caption else ""
    if isinstance(block, Side):
        return to_markdown((*block.left, *block.right))
    raise TypeError(f"not a report block: {block!r}")


def to_markdown(blocks: Sequence[Block]) -> str:
    """Markdown (HTML in text escaped: :func:`r2k.report.tables.md_text`); figures appear as their caption only."""
    return "\n\n".join(t for t in (_md(b) for b in blocks) if t)


def to_rich(blocks: Sequence[Block]) -> list[Any]:
    """rich renderables for a terminal: tables as rich tables, text as plain text (never markup), figures left out."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    out: list[Any] = []
    for b in blocks:
        if isinstance(b, Side):
            out += to_rich((*b.left, *b.right))
        elif isinstance(b, Table):
            t = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
            for i, h in enumerate(b.headers):
                right = any(b.numeric(i, r[i]) for r in b.rows if i < len(r))
                t.add_column(Text(h), justify="right" if right else "left")
            for r in b.rows:
                t.add_row(*(Text(c) for c in r))
            out.append(t)
        elif isinstance(b, Banner):
            out.append(Text(f"{b.lead} {b.text}", style="bold yellow"))
        elif isinstance(b, Figure):
            continue
        elif isinstance(b, Bullets):
            out.append(Text("\n".join(f"• {t}" for t in b.items)))
        else:
            style = "bold" if isinstance(b, Heading) or getattr(b, "strong", False) else ("italic" if isinstance(b, Caveat) else "")
            out.append(Text(f"{b.lead} {b.text}" if getattr(b, "lead", "") else b.text, style=style))
    return out
