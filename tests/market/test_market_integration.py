"""analyze() on ../shared/data: point-in-time, CLI JSON, report section."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from r2k.analytics.market import MarketInputs, analyze
from r2k.cli.app import app
from r2k.serialize import dumps
from r2k.store import Store


@pytest.fixture(scope="module")
def real_inputs(shared_store):
    from r2k.snapshot import Snapshot

    with Store(shared_store, read_only=True) as s:
        return Snapshot(s, pd.Timestamp("2026-12-31").date()).market_inputs("GSPC")


def garbage_after(s: pd.Series | None, t: pd.Timestamp, seed: int) -> pd.Series | None:
    if s is None:
        return None
    out = s.copy()
    after = out.index > t
    out[after] = np.random.default_rng(seed).uniform(1, 5000, after.sum())
    return out


def test_analysis_as_of_t_ignores_everything_after_t(real_inputs):
    t = pd.Timestamp("2020-06-30")
    clean = analyze(real_inputs, t.date())
    spoiled = MarketInputs(*(garbage_after(getattr(real_inputs, f), t, k) for k, f in enumerate(
        ("close", "benchmark", "vix", "fedfunds", "etf_close", "etf_shares"))), "RUT", "GSPC")
    dirty = analyze(spoiled, t.date())
    assert dumps(clean) == dumps(dirty)
    assert clean.as_of.isoformat() == "2020-06-30"


def test_real_numbers_as_of_2025_09_17(real_inputs):
    a = analyze(real_inputs, pd.Timestamp("2025-09-17").date())
    assert a.record_drought.since.isoformat() == "2021-11-08" and a.record_drought.rank == 2
    assert a.drawdown.peak_date.isoformat() == "2021-11-08" and a.drawdown.peak_close == pytest.approx(2442.74)
    assert 0.6 < a.relative.correlation_1y < 0.95 and 0.9 < a.relative.beta_1y < 1.6
    assert a.volatility.garch.converged and a.volatility.gjr.converged
    assert 0.9 < a.volatility.gjr.persistence < 1.0
    assert a.events["reconstitution"].available and len(a.events["reconstitution"].event_dates) == 37
    assert not a.flows.available


def test_cli_analyze_json_keys(shared_store):
    res = CliRunner().invoke(app, ["analyze", "--store", str(shared_store), "--as-of", "2025-09-17", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    for key in ("as_of", "close", "returns", "volatility", "garch", "drawdown", "record_drought", "relative", "levels",
                "flows", "events"):
        assert key in d
    assert {"peak_date", "peak_close", "current", "max"} <= set(d["drawdown"])
    assert {"since", "trading_days", "calendar_days", "rank"} <= set(d["record_drought"])
    assert {"correlation_1y", "beta_1y"} <= set(d["relative"])
    assert d["record_drought"]["since"] == "2021-11-08" and d["as_of"] == "2025-09-17"
    assert set(d["returns"]) == {"1w", "1m", "3m", "mtd", "ytd", "1y", "3y", "5y"}
    assert d["flows"]["available"] is False and "IWM_SHARES" in d["flows"]["message"]
    assert set(d["events"]) == {"reconstitution", "rank-day", "vix-spike", "rate-cut", "flows"}


def test_cli_events_text_and_json(shared_store):
    runner = CliRunner()
    res = runner.invoke(app, ["events", "--kind", "vix-spike", "--horizons", "1,5,20", "--store", str(shared_store), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert [r["horizon"] for r in d["results"]] == [1, 5, 20]
    assert d["results"][0]["welch"]["name"] == "Welch t-test" and d["n_events"] > 20
    r20 = d["results"][2]  # the difference with its 95% interval from the same Welch test, and one verdict
    assert r20["difference_ci_low"] < r20["difference"] < r20["difference_ci_high"]
    assert r20["difference_p"] == r20["welch"]["p_value"] and d["verdict"].endswith(").")
    text = runner.invoke(app, ["events", "--kind", "flows", "--store", str(shared_store)])
    assert text.exit_code == 0 and "not available: the store has no share-count history" in " ".join(text.output.split())
    bad = runner.invoke(app, ["events", "--kind", "rate-cut", "--horizons", "1,x", "--store", str(shared_store)])
    assert bad.exit_code == 1 and "--horizons" in bad.output


def test_report_section(shared_store):
    from r2k.config import load_settings
    from r2k.report.context import ReportContext
    from r2k.report.sections.market import build

    with Store(shared_store, read_only=True) as s:
        ctx = ReportContext(store=s, as_of=pd.Timestamp("2024-12-31").date(), settings=load_settings())
        section = build(ctx)
    assert section.key == "market"
    assert section.html.count("<svg") == 3
    assert "Welch t-test" not in section.html and "Records and levels" in section.markdown  # events: own section
    facts = json.loads(dumps(section.facts))
    assert facts["record_drought"]["since"] == "2021-11-08" and "events" not in facts


def test_as_of_before_vix_and_iwm_begin(real_inputs):
    # the inputs hold the full history; VIX starts in 1990 and IWM in 2000, so as of 1988 they are unavailable
    a = analyze(real_inputs, pd.Timestamp("1988-03-01").date())
    assert a.relative.vix_now is None and a.relative.vix_regimes == ()
    assert a.events["vix-spike"].message == "unavailable: no VIX closes on or before 1988-03-01"
    assert a.events["flows"].message == "unavailable: no IWM closes on or before 1988-03-01"
    assert "forward +nan%" not in a.summary() and "reconstitution (0 events): none with 20 days" in a.summary()


def test_tearsheet_sectors_events_sections_on_real_data(shared_store):
    from r2k.config import load_settings
    from r2k.report.context import ReportContext
    from r2k.report.sections import events, sectors, tearsheet

    with Store(shared_store, read_only=True) as s:
        ctx = ReportContext(store=s, as_of=pd.Timestamp("2026-08-27").date(), settings=load_settings())
        ts, sec, ev = tearsheet.build(ctx), sectors.build(ctx), events.build(ctx)
    t = json.loads(dumps(ts.facts))
    full = t["windows"][0]
    assert full["start"] == "1987-09-10" and full["end"] == "2026-08-27"
    assert full["index"]["max_drawdown"] == pytest.approx(-0.599, abs=0.001)  # 2007-07-13 to 2009-03-09
    assert t["partial_month"] == "2026-08"
    rows = json.loads(dumps(sec.facts))["rows"]
    assert len(rows) == 11 and all(r["last_date"] == "2026-01-02" and r["stale"] for r in rows)
    assert "they are not current" in sec.html
    e = json.loads(dumps(ev.facts))
    assert e["reconstitution"]["n_events"] == 38 and not e["flows"]["available"]
    assert len(ts.html) + len(sec.html) + len(ev.html) < 160_000  # before the shared SVG rounding
