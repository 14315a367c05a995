"""What a report section says, as blocks (a paragraph, a heading, a table, a figure, a list, a caveat, a banner, cards),
written once and rendered once per format: HTML through autoescaped Jinja (:func:`to_html`), Markdown
(:func:`to_markdown`) and rich renderables for a terminal (:func:`to_rich`, which the CLI prints).

Cells and text are plain strings already formatted with :mod:`r2k.words`; only a figure's SVG (made by matplotlib
through :func:`r2k.report.charts.to_svg`, which escapes its own text) reaches the HTML unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from r2k.report.tables import NUMERIC, SHORT_ROWS, md_table, md_text
from r2k.terminal import plain, rich_table


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
    css: str = ""  # "note" (small grey: definitions) or "" (body text)


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
class Charts:
    """Figures side by side where the page is wide enough (two of 480 px), one above the other on a phone."""
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Strip:
    """A colour scale of labelled steps, calmest first, with the current step marked (the 21 notches of a grade)."""
    labels: tuple[str, ...]
    colours: tuple[str, ...]  # per step, a CSS colour
    now: int  # the index of the current step
    ends: tuple[str, str]  # the words under either end ("Aaa calmest", "C most dangerous")


@dataclass(frozen=True)
class Card:
    """A boxed headline: what it is (name, span, qualifier), its value in large type, what the value means, and what
    it rests on. Markdown and a terminal read it as one sentence: "Name (span), qualifier: value — meaning"."""
    anchor: str  # the card's id in HTML
    name: str  # "Risk grade"
    span: str  # "next 4 weeks"
    value: str  # "Baa2", or words ("No detectable edge on direction")
    meaning: str = ""
    rests: str = ""  # what the value rests on (hidden on a phone, except on a small card)
    qualifier: str = ""  # "indicative"
    strip: Strip | None = None
    caveat: bool = False  # ``rests`` is a caveat (set in its colour)
    link: tuple[str, str] = ("", "")  # (text, anchor) after ``rests``: where the evidence is
    small: bool = False  # a lesser card: smaller type, its rests shown on a phone too
    words: bool = False  # ``value`` is words (a verdict), not a grade

    @property
    def term(self) -> str:
        return " · ".join(t for t in (self.name, self.span, self.qualifier) if t)

    def sentence(self) -> str:
        head = f"{self.name} ({self.span})" + (f", {self.qualifier}" if self.qualifier else "")
        return f"{head}: {self.value}" + (f" — {self.meaning}" if self.meaning else "")


@dataclass(frozen=True)
class Cards:
    """Headline cards in a row on a desk (the first widest), one under the other on a phone."""
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Side:
    """Two columns on a desk, one under the other on a phone: e.g. prose next to its table."""
    left: tuple[Block, ...]
    right: tuple[Block, ...]
    css: str = field(default="side")
    left_css: str = ""
    right_css: str = ""


Block = Paragraph | Caveat | Banner | Heading | Bullets | Table | Figure | Charts | Cards | Side


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
    if isinstance(block, Cards):
        return "\n\n".join(_md_card(c) for c in block.cards)
    if isinstance(block, Table):
        return md_table(block.headers, block.rows)
    if isinstance(block, Figure):
        return f"_{md_text(block.caption)}_" if block.caption else ""
    if isinstance(block, Charts):
        return to_markdown(block.figures)
    if isinstance(block, Side):
        return to_markdown((*block.left, *block.right))
    raise TypeError(f"not a report block: {block!r}")


def _md_card(card: Card) -> str:
    head = md_text(card.sentence())
    text = head if card.small else f"**{head}**"
    text += f" — {md_text(card.rests)}" if card.rests and not card.caveat else ""
    text += f" ([{md_text(card.link[0])}](#{card.link[1]}))" if card.link[1] else ""
    return text + (f"\n\n_{md_text(card.rests)}_" if card.rests and card.caveat else "")


def to_markdown(blocks: Sequence[Block]) -> str:
    """Markdown (HTML in text escaped: :func:`r2k.report.tables.md_text`); figures appear as their caption only."""
    return "\n\n".join(t for t in (_md(b) for b in blocks) if t)


def _rich_strip(strip: Strip) -> Any:
    """The strip as one character per step in its colour, the current step a bold #: "Aaa ···#··· C"."""
    from rich.text import Text

    line = Text(strip.labels[0] + " ")
    for i, colour in enumerate(strip.colours):
        line.append("#" if i == strip.now else "·", style=f"bold {colour}" if i == strip.now else colour)
    return line.append(" " + strip.labels[-1])


def _rich_card(card: Card) -> list[Any]:
    out = [plain(card.sentence(), "bold" if not card.small else "")]
    if card.strip is not None:
        out.append(_rich_strip(card.strip))
    return out + ([plain(card.rests, "italic" if card.caveat else "")] if card.rests else [])


def to_rich(blocks: Sequence[Block]) -> list[Any]:
    """rich renderables for a terminal: tables in the CLI's layout (:func:`r2k.terminal.rich_table`), text as plain
    text (never markup), cards as their sentence and strip; figures left out."""
    out: list[Any] = []
    for b in blocks:
        if isinstance(b, Side):
            out += to_rich((*b.left, *b.right))
        elif isinstance(b, Table):
            right = [any(b.numeric(i, r[i]) for r in b.rows if i < len(r)) for i in range(len(b.headers))]
            out.append(rich_table(b.headers, b.rows, right))
        elif isinstance(b, Cards):
            out += [line for c in b.cards for line in _rich_card(c)]
        elif isinstance(b, Banner):
            out.append(plain(f"{b.lead} {b.text}", "bold yellow"))
        elif isinstance(b, (Figure, Charts)):
            continue
        elif isinstance(b, Bullets):
            out.append(plain("\n".join(f"• {t}" for t in b.items)))
        else:
            style = "bold" if isinstance(b, Heading) or getattr(b, "strong", False) else ("italic" if isinstance(b, Caveat) else "")
            out.append(plain(f"{b.lead} {b.text}" if getattr(b, "lead", "") else b.text, style))
    return out
