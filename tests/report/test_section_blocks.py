"""The outlook's cards and the tear sheet as blocks on hand-made inputs: the block list, its HTML, Markdown and terminal
renderings, and one table layout for the CLI's tables and the report's."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
from rich.console import Console

from r2k.outlook.ratings import RiskGrade
from r2k.outlook.return_view import NOT_ASSESSED, ReturnView
from r2k.outlook.scale import NOTCHES
from r2k.report import blocks as B
from r2k.report.sections import outlook, tearsheet


def _text(renderables: list, width: int = 200) -> str:
    con = Console(width=width, record=True, color_system=None)
    for r in renderables:
        con.print(r)
    return con.export_text()


def _outlook() -> SimpleNamespace:
    """The parts of an Outlook the cards read: a Baa2 4-week grade, a Ba1 52-week grade, return views without a record."""
    short = RiskGrade(20, 8, -0.089, 0.30, -0.067, "1995–2015", 3)
    long_ = RiskGrade(260, 10, -0.25, 0.48, -0.20, "1995–2015", 3)
    views = {20: ReturnView(20, 0.62, 0.61, 0.004, 0.005, 0.0, None), 260: ReturnView(260, 0.7, 0.68, 0.08, 0.09, 0.0, None)}
    return SimpleNamespace(short=short, long=long_, returns=views, caveats={"long": "The 52-week view is indicative."})


def test_outlook_cards_are_one_block_rendered_three_ways() -> None:
    cards = outlook.cards(_outlook())
    risk, view, long_ = cards.cards
    assert [c.anchor for c in cards.cards] == ["risk-grade", "return-view", "long-grade"]
    assert (risk.term, risk.value, risk.meaning) == (
        "Risk grade · next 4 weeks", "Baa2", "4-week downside risk higher than in 30% of weeks 1995–2015 (Aaa calmest, C most dangerous)")
    assert risk.rests.startswith("In the worst 5% of outcomes the index loses 8.9% on average over 4 weeks (5% quantile -6.7%)")
    assert risk.strip is not None and risk.strip.now == 8 and risk.strip.labels == NOTCHES and len(set(risk.strip.colours)) == 21
    assert (view.value, view.words, view.link) == (NOT_ASSESSED[0].upper() + NOT_ASSESSED[1:], True, ("record", "model"))
    assert (long_.term, long_.value, long_.small, long_.caveat) == ("Long term · 52 weeks · indicative", "Ba1", True, True)

    html = B.to_html([cards])
    assert '<div class="card" id="risk-grade">' in html and '<div class="notch">Baa2</div>' in html
    assert html.count('<span class="now"') == 1 and html.count('title="') == 21 and 'title="Baa2"' in html
    assert '<div class="card small" id="long-grade">' in html and '<div class="rests caveat">The 52-week view' in html
    assert f'<div class="verdict">{view.value}</div>' in html and '<a href="#model">record</a>' in html
    md = B.to_markdown([cards]).split("\n\n")
    assert md[0].startswith("**Risk grade (next 4 weeks): Baa2 — 4-week downside risk higher than in 30% of weeks")
    assert md[1].startswith("**Return view (next 4 weeks): Direction not assessed") and md[1].endswith("([record](#model))")
    assert md[2].startswith("Long term (52 weeks), indicative: Ba1 — 52-week") and md[3] == "_The 52-week view is indicative._"
    text = _text(B.to_rich([cards]))
    assert "Risk grade (next 4 weeks): Baa2 — 4-week downside" in text and "Aaa ········#············ C" in text


def _closes(n: int, mu: float, a: float, seed: int) -> pd.Series:
    r = mu + a * np.random.default_rng(seed).choice([-1.0, 1.0], n)
    r[0] = 0.0
    return pd.Series(100 * np.exp(np.cumsum(r)), index=pd.bdate_range("2021-01-04", periods=n).astype("datetime64[us]"))


def test_tearsheet_section_as_blocks_with_the_numbers_of_its_series() -> None:
    close, bench = _closes(1300, 0.0006, 0.012, 1), _closes(1300, 0.0003, 0.009, 2)
    ctx = SimpleNamespace(symbol="RUT", benchmark="GSPC", as_of=date(2025, 12, 26),
                          series_if_any=lambda sid: {"RUT": close, "GSPC": bench}.get(sid))
    sec = tearsheet.build(ctx)
    assert [type(b).__name__ for b in sec.blocks] == ["Paragraph", "Heading", "Table", "Heading", "Table", "Heading", "Table",
                                                      "Bullets", "Charts", "Heading", "Table", "Paragraph", "Heading", "Table"]
    assert [b.text for b in sec.blocks if isinstance(b, B.Heading)] == [
        "Returns and risk", "Distribution of returns", "Against the S&P 500", "Monthly returns of the Russell 2000",
        "Worst drawdowns of the Russell 2000"]
    stats = sec.blocks[2]
    total = {r[0]: r[1:] for r in stats.rows}["Total return"]
    assert stats.headers == ("measure", "Russell 2000, 2021–2025", "S&P 500, 2021–2025")
    assert total == (f"{100 * (close.iloc[-1] / close.iloc[0] - 1):+.1f}%", f"{100 * (bench.iloc[-1] / bench.iloc[0] - 1):+.1f}%")
    months = sec.blocks[10]
    assert months.css == "data heatmap" and [r[0] for r in months.rows] == ["2025", "2024", "2023", "2022", "2021"]
    jan_2022 = close[close.index <= "2022-01-31"].iloc[-1] / close[close.index <= "2021-12-31"].iloc[-1] - 1
    assert months.rows[3][1] == f"{100 * jan_2022:+.1f}%" and months.background(3, 1).startswith("#")
    assert sec.blocks[8].figures and len(sec.blocks[8].figures) == 4
    assert sec.html.count('<div class="charts">') == 1 and sec.html.count("<svg") == 4 and '<ul class="note">' in sec.html
    assert f"| Total return | {total[0]} | {total[1]} |" in sec.markdown
    assert sec.facts["windows"][0]["window"] == "full"


def test_cli_tables_and_report_tables_share_one_layout() -> None:
    from r2k.cli import common

    table = B.Table.of(["measure", "value"], [["Sharpe ratio", "1.23"], ["Up <b>months</b> [red]x[/red]", "55.0%"]])
    con = Console(width=80, record=True, color_system=None)
    old, common.console = common.console, con
    try:
        common.print_table(["measure", ("value", "right")], table.rows)
        printed = con.export_text()
    finally:
        common.console = old
    assert printed.rstrip("\n") == _text(B.to_rich([table]), 80).rstrip("\n")
    assert "Up <b>months</b> [red]x[/red]" in printed and "1.23" in printed  # cells are never markup
