"""Text and tables for a terminal (rich): the one table layout shared by the CLI's tables
(:func:`r2k.cli.common.print_table`) and the report's blocks (:func:`r2k.report.blocks.to_rich`).

Imports nothing heavy: rich is imported when a table is made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

NUMBER_WIDTH = 18  # right-aligned cells up to this long are numbers: kept whole; longer ones may wrap
CONTROL_CODES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # escape sequences (ESC, CSI, OSC), bells, ...


def plain(value: Any, style: str = "") -> Text:
    """Text for the terminal taken literally: no Rich markup (``[link=...]``) and no control codes (a raw OSC 8
    hyperlink), whatever a data file put in a name."""
    from rich.text import Text

    return Text(CONTROL_CODES.sub("", "" if value is None else str(value)), style=style)


def rich_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[bool],
               title: str | None = None, caption: str | None = None) -> Table:
    """Light rules and no outer edge (10 numeric columns still fit 80 columns); ``right[i]`` right-aligns column
    ``i`` (numbers), which is then never cut ("-0.2…"): a narrow terminal wraps the header and the text columns
    instead. Cells, title and caption are plain text (:func:`plain`): data never becomes markup."""
    from rich import box
    from rich.table import Table

    table = Table(title=None if title is None else plain(title), caption=None if caption is None else plain(caption),
                  title_justify="left", caption_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, collapse_padding=True, show_header=any(headers))
    cells = [[plain(v) for v in row] for row in rows]
    for i, (name, numeric) in enumerate(zip(headers, right)):
        widest = max((r[i].cell_len for r in cells if i < len(r)), default=0) if numeric else None
        table.add_column(plain(name), justify="right" if numeric else "left",
                         min_width=widest if widest is not None and widest <= NUMBER_WIDTH else None)
    for row in cells:
        table.add_row(*row)
    return table
