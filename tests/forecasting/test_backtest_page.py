"""The backtest page (r2k backtest --report): built from a small synthetic backtest, its numbers are the result's."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from fc_support import gbm
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.forecasting import BacktestResult, run_backtest
from r2k.report.backtest_page import BacktestPage, build_page, coverage_rows, coverage_table, render
from r2k.validation.compare import Comparison
from r2k.validation.scoring import Verdict
from r2k.words import pct

runner = CliRunner()


@pytest.fixture(scope="module")
def result() -> BacktestResult:
    c = gbm(1500)
    r = run_backtest(c, models=["random_walk"], horizons=(5, 20), start=c.index[700].date(), step=5, refit_every=4, seed=1)
    origins = sorted(r.frame["origin"].unique())[::4]
    weights = pd.DataFrame([{"origin": o, "horizon": h, "p_up_source": "combined", "n_realised": 60, "model": "ensemble",
                             "climatology": 0.25, "random_walk": 0.75} for o in origins for h in (5, 20)])
    return replace(r, weights=weights)


@pytest.fixture(scope="module")
def page(result: BacktestResult) -> BacktestPage:
    return build_page(result)


@pytest.fixture(scope="module")
def html(page: BacktestPage, result: BacktestResult) -> str:
    return render(page, result.notes)


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)))


def test_skill_and_interval_are_the_score_tables(result: BacktestResult, page: BacktestPage) -> None:
    skill = page.skill
    table = result.scores.table.set_index(["model", "horizon"])
    assert list(skill["model"]) == ["random_walk", "random_walk"] and list(skill["horizon"]) == [5, 20]
    for r in skill.itertuples():
        row = table.loc[("random_walk", r.horizon)]
        assert (r.skill, r.low, r.high, r.dm_p, r.n) == (row["crps_skill"], row["skill_low"], row["skill_high"], row["dm_p"], row["n"])
        assert r.low < r.skill < r.high


def test_page_shows_the_results_numbers(result: BacktestResult, page: BacktestPage, html: str) -> None:
    text = _text(html)
    t = result.scores.table
    for r in t.itertuples():
        assert f"{r.crps:.5f}" in text and pct(r.crps_skill, 2, True) in text  # zero skill reads "0.00%", unsigned
    rw20 = t[(t["model"] == "random_walk") & (t["horizon"] == 20)].iloc[0]
    assert f"{rw20['dm_p']:.2g}" in text and f"{rw20['berkowitz_p']:.2g}" in text
    assert f"{100 * rw20['skill_low']:+.2f}% to {100 * rw20['skill_high']:+.2f}%" in text
    assert page.verdict in text and "climatology" in page.verdict
    for title in ("Skill against climatology by horizon", "Score table", "Calibration: PIT histograms", "Coverage against nominal",
                  "CRPS against climatology over time", "Ensemble weights over time", "How to read these scores"):
        assert title in text
    first, last = result.frame["origin"].min().date(), result.frame["origin"].max().date()
    assert f"origins {first} to {last}" in text and "r2k 0.1.0" in text and "seed 1" in text


def test_coverage_against_nominal(result: BacktestResult) -> None:
    cov = coverage_table(result)
    assert sorted(cov["nominal"].unique()) == [0.5, 0.8, 0.9, 0.98]
    g = result.frame[(result.frame["model"] == "climatology") & (result.frame["horizon"] == 5) & result.frame["y"].notna()]
    got = cov.query("model == 'climatology' and horizon == 5 and nominal == 0.8")["realised"].iloc[0]
    assert got == pytest.approx(float(((g["y"] >= g["q10"]) & (g["y"] <= g["q90"])).mean()))
    assert (cov["band_low"] < cov["nominal"]).all() and (cov["band_high"] > cov["nominal"]).all()
    headers, rows = coverage_rows(cov)
    assert headers == ["Model", "Horizon", "50% interval", "80% interval", "90% interval", "98% interval"]
    row = next(r for r in rows if r[:2] == ["climatology", "5 days"])
    assert row[3].startswith(f"{100 * got:.1f}%")
    outside = cov[(cov["realised"] < cov["band_low"]) | (cov["realised"] > cov["band_high"])]
    assert sum(cell.endswith(" *") for r in rows for cell in r[2:]) == len(outside)


def test_human_page_light_and_self_contained(html: str) -> None:
    text = _text(html)
    assert "random walk" in text and "random_walk" not in text  # human names, no ids
    assert "`" not in text and "/tmp" not in text and "/work" not in text
    assert html.count("<svg") == 5 and html.count("<title>") >= 1
    assert "http://" not in html.replace("http://www.w3.org", "") and "<script" not in html
    assert len(html.encode()) < 400_000
    assert "overflow-x: auto" in html and "@media print" in html and "max-width: 100%" in html


def test_write_and_cli_option(result: BacktestResult, html: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.report.backtest_page as bp

    class Tiny:  # write_backtest_page only renders and writes; a failed render leaves no file behind
        notes = ()

    with pytest.raises(AttributeError):
        bp.write_backtest_page(Tiny(), tmp_path / "sub" / "bt.html")  # type: ignore[arg-type]
    assert not (tmp_path / "sub" / "bt.html").exists()
    monkeypatch.setattr(bp, "to_html", lambda r: html)  # the rendering is tested above; here only the writing
    path = bp.write_backtest_page(result, tmp_path / "sub" / "bt.html")
    assert path.read_text(encoding="utf-8") == html
    res = runner.invoke(app, ["backtest", "--help"])
    assert "--report" in res.output
    (tmp_path / "dir.html").mkdir()
    bad = runner.invoke(app, ["backtest", "--report", str(tmp_path / "dir.html")])  # a directory: refused before any work
    assert bad.exit_code != 0 and "is a directory" in bad.output
    bad = runner.invoke(app, ["backtest", "--report", str(tmp_path / "bt.pdf")])
    assert bad.exit_code == 1 and "must end in .html" in bad.output


@pytest.mark.shared_data
def test_cli_writes_the_report_from_the_real_store(shared_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "bt.html"
    res = runner.invoke(app, ["backtest", "--store", str(shared_store), "--models", "random_walk", "--horizons", "5",
                              "--start", "2023-01-03", "--step", "10", "--report", str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote the backtest report" in res.output
    page = out.read_text()
    assert "Russell 2000 (RUT) forecast backtest" in page and "random walk" in _text(page)


def test_page_in_headless_chromium(html: str, tmp_path: Path) -> None:
    """At 1400 px and 390 px (phone): no sideways page scroll and no console errors."""
    import shutil

    exe = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    if exe is None:
        pytest.skip("no Chromium browser at /usr/bin/chromium (install the OS package 'chromium' to run this check)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    page_file = tmp_path / "bt.html"
    page_file.write_text(html, encoding="utf-8")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=args)
        try:
            for width in (1400, 390):
                tab = browser.new_page(viewport={"width": width, "height": 900})
                errors: list[str] = []
                tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                tab.goto(page_file.as_uri())
                assert tab.evaluate("document.documentElement.scrollWidth") <= width
                assert errors == []
                assert tab.locator("figure.chart svg").count() == 5
        finally:
            browser.close()


def _cmp(model: str, h: int, skill: float, low: float, high: float, p: float) -> Comparison:
    return Comparison(model, "climatology", h, 300, skill, low, high, -1.0, p, 13, 26, 2000)


def test_verdict_in_words_with_human_names(result: BacktestResult, page: BacktestPage) -> None:
    from r2k.report.backtest_page import model_name

    verdict = Verdict("climatology", (_cmp("garch", 5, 0.036, 0.01, 0.06, 0.005), _cmp("random_walk", 20, -0.02, -0.03, -0.01, 0.01),
                                      _cmp("implied_vol", 10, 0.01, -0.01, 0.03, 0.4)))
    assert verdict.text(model_name, lambda h: f"over {h} days") == (
        "Better than climatology on CRPS (Diebold–Mariano p < 0.05 and the 95% interval of skill above 0): GJR-GARCH "
        "over 5 days (skill +3.6%, 95% interval +1.0% to +6.0%, p = 0.005, n = 300). Worse than climatology: random walk "
        "over 20 days (skill -2.0%, 95% interval -3.0% to -1.0%, p = 0.01, n = 300).")
    assert page.verdict == result.scores.verdict.text(model_name, lambda h: f"over {h} day{'s' if h != 1 else ''}")
