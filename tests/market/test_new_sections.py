"""The tear-sheet, sectors and event-study report sections on a small synthetic store."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape as markup_escape

from r2k.config import load_settings
from r2k.providers.base import SeriesData
from r2k.report.context import ReportContext
from r2k.report.sections import SECTION_MODULES, events, sectors, tearsheet
from r2k.schemas import validate
from r2k.serialize import dumps
from r2k.store import Store

NOW = pd.Timestamp("2026-01-02 12:00").to_pydatetime()
N = 2900  # business days from 2012: more than 10 years, so both tear-sheet windows exist


def _price(sid: str, closes: np.ndarray, idx: pd.DatetimeIndex) -> SeriesData:
    return SeriesData(sid, "price", validate(pd.DataFrame({"date": idx, "close": closes}), "price", "test"), "test")


def _store(path: Path, with_sectors: bool = True) -> Path:
    idx = pd.bdate_range("2012-01-02", periods=N).astype("datetime64[us]")
    rng = np.random.default_rng(4)
    walk = lambda mu, s: 1000 * np.exp(np.cumsum(rng.normal(mu, s, N)))  # noqa: E731
    items = [_price("RUT", walk(0.0003, 0.013), idx), _price("GSPC", walk(0.0004, 0.01), idx),
             _price("VIX", np.where(np.arange(N) % 150 == 75, 35.0, 15 + 5 * np.abs(np.sin(np.arange(N) / 50))), idx)]
    if with_sectors:
        items += [_price("XLK", walk(0.0005, 0.012), idx), _price("XLE", walk(0.0001, 0.015)[:-30], idx[:-30])]
    ff = pd.DataFrame({"date": pd.date_range("2011-01-01", "2023-06-01", freq="MS"), "value": 1.0})
    ff.loc[ff["date"] >= "2019-08-01", "value"] = 0.5  # one first cut of a cycle
    items.append(SeriesData("FEDFUNDS", "macro", validate(ff, "macro", "test"), "test"))
    with Store(path) as s:
        s.write(items, "test", NOW)
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _store(tmp_path_factory.mktemp("sections") / "s.duckdb")


def _ctx(s: Store) -> ReportContext:
    return ReportContext(store=s, as_of=pd.Timestamp(s.last_date("RUT")).date(), settings=load_settings())


def test_sections_are_registered_after_market():
    order = list(SECTION_MODULES)
    assert order.index("market") < order.index("tearsheet") < order.index("sectors") < order.index("events")


def test_tearsheet_section(store):
    with Store(store, read_only=True) as s:
        sec = tearsheet.build(_ctx(s))
    facts = json.loads(dumps(sec.facts))
    assert sec.key == "tearsheet" and [w["window"] for w in facts["windows"]] == ["full", "10y"]
    assert "Russell 2000" in sec.title and "S&P 500" in sec.title and "GSPC" not in sec.html
    assert sec.html.count("<svg") == 4 and 'style="background:#' in sec.html
    assert sec.html.count('<svg style="min-width:0') == 4  # every chart shrinks into a phone's column
    assert "Sharpe ratio" in sec.markdown and "Monthly returns" in sec.markdown
    for words in ("Beta to the S&amp;P 500", "Daily value at risk (95%, historical)", "Up months", "Longest drawdown",
                  "252 trading days", "6-month rolling Sharpe and Sortino", "Calendar-year returns"):
        assert words in sec.html, words
    rel = full["relative"] if (full := facts["windows"][0]) else None
    assert f"{rel['beta']:.2f}" in sec.html and f"{100 * rel['tracking_error']:.1f}%" in sec.html
    assert set(facts["rolling_6m_latest"]) == {"date", "sharpe", "sortino"} and "rolling_6m" not in facts
    assert "-0.0%" not in sec.html and "+0.0%" not in sec.html  # a return that rounds to zero reads 0.0%
    full = facts["windows"][0]
    cagr = f"{100 * full['index']['cagr']:+.1f}%"
    assert cagr in sec.html  # the table shows the library's number
    assert len(facts["worst_drawdowns"]) <= 10 and "ratio_weekly" not in facts


def test_sectors_section_flags_stale_funds(store, tmp_path):
    with Store(store, read_only=True) as s:
        sec = sectors.build(_ctx(s))
    facts = json.loads(dumps(sec.facts))
    rows = {r["symbol"]: r for r in facts["rows"]}
    assert rows["XLE"]["age_trading_days"] == 30 and rows["XLE"]["stale"] and not rows["XLK"]["stale"]
    assert "1 of the 2 sector funds&#39; data end on" in sec.html and "30 trading days before the report date" in sec.html
    assert "Energy (XLE)" in sec.html and "30 (stale)" in sec.markdown
    with Store(_store(tmp_path / "none.duckdb", with_sectors=False), read_only=True) as s:
        assert sectors.build(_ctx(s)) is None


def test_events_section_one_verdict_per_kind_and_a_chart(store):
    with Store(store, read_only=True) as s:
        sec = events.build(_ctx(s))
    facts = json.loads(dumps(sec.facts))
    assert sec.key == "events" and sec.html.count("<svg") == 1
    assert facts["rate-cut"]["n_events"] == 1 and facts["reconstitution"]["results"][0]["difference_ci_low"] is not None
    assert facts["reconstitution"]["verdict"] != facts["vix-spike"]["verdict"]
    for kind, name in events.KIND_NAMES.items():
        if kind in facts:  # the kind's verdict sentence once, in its own paragraph
            item = f"<p><strong>{name}:</strong> {markup_escape(facts[kind]['verdict'])}"
            assert sec.html.count(item) == int(facts[kind]["available"])
    assert "IWM outflows:</strong> not available" in sec.html
    assert "Welch t-test: " not in sec.html  # the per-row verdicts are gone
    assert {p["kind"] for p in facts["paths"]} >= {"reconstitution", "vix-spike"}
