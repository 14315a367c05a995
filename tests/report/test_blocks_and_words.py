"""Blocks rendered once per format, the financial outlook's prose and the data-age banner, on hand-made inputs."""

from __future__ import annotations

from datetime import date

from r2k.outlook.financial import FinancialRow
from r2k.outlook.financial_text import area_texts, level_words, sentence
from r2k.report import blocks as B
from r2k.report.data_age import DataAge, StaleInput, sessions_between


def test_blocks_render_escaped_html_markdown_and_rich() -> None:
    blocks = [B.Paragraph("a <b> & c", lead="Lead."), B.Table.of(["name", "value"], [["<i>x</i>", "1,234.5"], ["y", "n/a"]]),
              B.Caveat("careful"), B.Banner("Old data.", "data to 2026-08-27"), B.Bullets(("one", "two <three>"))]
    html = B.to_html(blocks)
    assert "<strong>Lead.</strong> a &lt;b&gt; &amp; c" in html and "<td>&lt;i&gt;x&lt;/i&gt;</td>" in html
    assert '<td class="num">1,234.5</td>' in html and '<td class="num">n/a</td>' in html
    assert '<p class="caveat">careful</p>' in html and '<div class="banner" role="note"><strong>Old data.</strong>' in html
    md = B.to_markdown(blocks)
    assert md.split("\n\n")[0] == "**Lead.** a &lt;b&gt; &amp; c"
    assert "| &lt;i&gt;x&lt;/i&gt; | 1,234.5 |" in md and "> **Old data.** data to 2026-08-27" in md
    from rich.console import Console
    from rich.table import Table

    out = B.to_rich(blocks)
    assert isinstance(out[1], Table) and [c.justify for c in out[1].columns] == ["left", "right"]
    con = Console(width=80, record=True)
    for r in out:
        con.print(r)
    text = con.export_text()
    assert "<i>x</i>" in text and "1,234.5" in text and "Lead. a <b> & c" in text


def test_side_by_side_renders_both_columns_in_order() -> None:
    side = B.Side((B.Paragraph("left"),), (B.Table.of(["h"], [["1"]]),))
    html = B.to_html([side])
    assert html.index("left") < html.index("<table") and '<div class="side">' in html
    assert B.to_markdown([side]) == "left\n\n| h |\n|---|\n| 1 |"


def _row(key: str, value: float, z: float = float("nan"), direction: str = "flat", stale: date | None = None,
         area: str = "Rates and the Fed", unit: str = "%") -> FinancialRow:
    return FinancialRow(area, key, value, unit, z, "n/a" if stale else direction, date(2026, 8, 26), stale, key,
                        key.replace("_", " "), date(2026, 8, 26))


def test_financial_sentences_carry_their_numbers_and_say_stale() -> None:
    assert level_words(1.62) == "far above its 10-year average (z-score +1.6)"
    assert level_words(-0.2) == "close to its 10-year average (z-score -0.2)"
    fresh = sentence(_row("dgs10", 4.66, 1.48, "rising"))
    assert fresh == ("dgs10 is 4.66% (2026-08-26), above its 10-year average (z-score +1.5), rising over the last 3 months.")
    stale = _row("cpi_yoy", 3.29, stale=date(2026, 5, 29), area="Inflation")
    assert _row("x", 1).trend() == "→ flat" and stale.trend() == "stale since 2026-05-29"
    assert sentence(stale) == "cpi yoy was 3.29% for 2026-08-26, stale since 2026-05-29."


def test_area_paragraphs_cover_every_area_curve_credit_and_sectors() -> None:
    sect = "Sectors (3 months, relative to the index)"
    rows = [_row("dgs2", 4.19, 1.0), _row("curve_10y2y", -0.30, 0.2, unit="pp"),
            _row("cpi_yoy", 3.29, stale=date(2026, 5, 29), area="Inflation"),
            _row("hy_oas", 2.67, -1.19, area="Credit", unit="pp"),
            *(FinancialRow(sect, n, v, "return", float("nan"), "rising" if v > 0 else "falling", date(2026, 8, 27))
              for n, v in (("Energy", 0.05), ("Utilities", 0.01), ("Technology", -0.02), ("Health care", -0.04)))]
    texts = {t.area: t.text for t in area_texts(rows)}
    assert list(texts) == ["Rates and the Fed", "Inflation", "Credit", "Sectors", "Valuation"]
    assert "inverted: the 10-year yield is below the 2-year by 0.30 pp" in texts["Rates and the Fed"]
    assert texts["Inflation"].startswith("1 of 1 measures is stale (the next release was due")
    assert "easier than usual (credit is cheap)" in texts["Credit"] and "z-score -1.2" in texts["Credit"]
    assert texts["Sectors"] == ("Over the last 3 months 2 of 4 sector funds beat the index; the strongest against it were "
                                "Energy (+5.0%) and Utilities (+1.0%), the weakest Technology (-2.0%) and Health care (-4.0%).")
    assert texts["Valuation"].startswith("Not available")


def test_data_age_banner_counts_trading_days_and_names_stale_inputs() -> None:
    assert sessions_between(date(2026, 8, 27), date(2026, 12, 7)) == 70  # Labor Day (Sep 7) and Thanksgiving closed
    assert sessions_between(date(2026, 8, 27), date(2026, 8, 27)) == 0
    stale = (StaleInput("CPI inflation", date(2026, 3, 1), date(2026, 5, 29)),)
    age = DataAge(date(2026, 8, 27), date(2026, 8, 27), date(2026, 12, 7), 70, stale, 3)
    assert age.old and age.warn and age.days_behind == 102
    assert age.text().startswith("Data to 2026-08-27, 102 days ago (70 trading days)")
    assert "1 of 3 macro inputs of the outlook were stale at 2026-08-27" in age.text()
    assert "e.g. CPI inflation since 2026-05-29; the financial outlook" in age.text()
    recent = DataAge(date(2026, 8, 27), date(2026, 8, 27), date(2026, 9, 2), sessions_between(date(2026, 8, 27), date(2026, 9, 2)), (), 3)
    assert recent.sessions_behind == 4 and not recent.warn and recent.text() == ""
    past = DataAge(date(2020, 1, 3), date(2026, 8, 27), date(2026, 12, 7), 1700, (), 3)  # a past date asked for
    assert past.past_date and not past.old and not past.warn
    assert age.to_dict()["n_stale"] == 1 and age.to_dict()["days_behind"] == 102


def test_key_numbers_leave_out_what_a_key_point_states() -> None:
    from r2k.report.sections.outlook import distinct_numbers

    numbers = [("Close", "2,345.67 on 2026-08-27"), ("Drawdown", "-5.0% from the record"), ("Primary channel", "inside"),
               ("Volatility regime", "calm"), ("5–95% range, 4 weeks", "2,100 – 2,500")]
    points = ["The index is 5.0% below its record close of 2,467.70; 200 trading days have passed without a new record.",
              "The model's 5–95% range for the close is 2,100–2,500 in 4 weeks (P(up) 0.55) and 1,800–3,100 in 52 weeks."]
    assert distinct_numbers(numbers, points) == [("Close", "2,345.67 on 2026-08-27"), ("Primary channel", "inside"),
                                                 ("Volatility regime", "calm")]


def test_monitoring_says_which_model_it_judges() -> None:
    from r2k.report.sections.monitor import which_model

    assert which_model("ensemble", 12) == ("The status judges the ensemble, the model the risk grades and forecasts above "
                                           "rest on.")
    assert which_model("garch", 0).startswith("The status judges GJR-GARCH: the forecast log holds no forecasts by this "
                                              "date and it is the monitor's default.")
    assert "first model in the forecast log, which holds no ensemble forecasts" in which_model("garch", 40)


def test_monitor_status_rows_are_built_once_for_every_face() -> None:
    from r2k.monitor.table import STATUS_HEADERS, status_rows

    rec = {"label": "live", "window_start": "2026-01-02", "window_end": "2026-08-27", "n": 1234, "skill": 0.0213,
           "coverage80": 0.8, "coverage90": float("nan"), "direction_rate": 0.61, "kupiec_p": 0.0004, "berkowitz_p": 0.25,
           "status": "healthy"}
    status = {"live": rec, "walk_forward": None, "retrospective": dict(rec, label="retrospective")}
    rows = status_rows(status)
    assert len(STATUS_HEADERS) == len(rows[0]) == 10
    assert rows[0] == ["live", "2026-01-02 to 2026-08-27", "1,234", "+2.1%", "80%", "n/a", "61%", "<0.001", "0.25",
                       "healthy"]
    assert rows[1][0] == "retrospective" and rows[1][-1] == "not judged"
    assert status_rows(status, na="")[0][5] == ""
