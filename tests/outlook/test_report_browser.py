"""The report opens with the outlook: HTML/Markdown/PDF renderings on a synthetic store, and a headless
Chromium check that the first screen, on a desk (1400 x 900) and a phone (390 x 844), shows the risk grade with its
meaning in words and the return view's verdict without scrolling."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from r2k.config import Settings
from r2k.report import Report, write_report
from r2k.report.context import ReportContext
from r2k.report.sections import financial, model, outlook, scenarios
from r2k.store import Store

from outlook_support import light_ensemble, synthetic_map

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture(scope="module")
def report(outlook_market: Path, session_cache: Path):  # noqa: ANN201 - Report
    import r2k.outlook.build as build

    path = outlook_market
    mp = pytest.MonkeyPatch()
    mp.setattr(build, "load_map", synthetic_map)
    light_ensemble(mp)
    try:
        with Store(path, read_only=True) as s:  # the outlook's sections only: the others have their own tests
            ctx = ReportContext(s, date(2021, 12, 31), Settings(store_path=path, cache_dir=session_cache))
            built = [m.build(ctx) for m in (outlook, scenarios, model, financial)]
            return Report(ctx.as_of, "RUT", "GSPC", datetime(2026, 1, 2), tuple(x for x in built if x is not None))
    finally:
        mp.undo()


def test_report_opens_with_the_outlook(report, tmp_path: Path) -> None:  # noqa: ANN001
    keys = [s.key for s in report.sections]
    assert keys[:3] == ["outlook", "scenarios", "model"]
    html = write_report(report, tmp_path / "r.html").read_text()
    head = html[: html.index('id="scenarios"')]
    assert "Russell 2000 (RUT) outlook as of 2021-12-31" in head and "Risk grade" in head and "Key points" in head
    assert "4-week downside risk higher than in" in head and "(Aaa calmest, C most dangerous)" in head
    assert 'class="strip"' in head and head.count('title="') >= 21  # the colour strip of the 21 notches
    assert "Return view" in head and "indicative" in head and "independent 52-week outcomes" in head
    assert "not yet available" in head  # the rating table's category rows
    model_html = html[html.index('id="model"'):]
    assert "Record of the risk grades" in model_html and "rank correlation" in model_html
    md = write_report(report, tmp_path / "r.md").read_text()
    assert md.startswith("# Russell 2000 (RUT) outlook as of 2021-12-31") and "Risk grade (next 4 weeks)" in md
    assert "Return view (next 4 weeks)" in md


def test_pdf_rendering(report, tmp_path: Path) -> None:  # noqa: ANN001
    pytest.importorskip("weasyprint", reason="weasyprint is not installed")
    out = write_report(report, tmp_path / "r.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000


def _chromium() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_first_screen_in_headless_chromium(report, tmp_path: Path, width: int, height: int) -> None:  # noqa: ANN001
    exe = _chromium()
    if exe is None:
        pytest.skip(f"no Chromium browser at {CHROMIUM} (install the OS package 'chromium' to run this check)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    page_file = write_report(report, tmp_path / "r.html")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.as_uri())

            def on_first_screen(selector: str) -> str:
                box = page.locator(selector).bounding_box()
                assert box is not None and box["width"] > 0, f"{selector} is not shown"
                assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{selector} ends at {box} below the first screen"
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{selector} is cut off sideways: {box}"
                return page.locator(selector).inner_text()

            label = on_first_screen("#risk-grade .notch")
            meaning = on_first_screen("#risk-grade .meaning")
            on_first_screen("#risk-grade .strip")
            verdict = on_first_screen("#return-view .verdict")
            assert label.strip() in {"Aaa", "Aa1", "Aa2", "Aa3", "A1", "A2", "A3", "Baa1", "Baa2", "Baa3", "Ba1", "Ba2", "Ba3",
                                     "B1", "B2", "B3", "Caa1", "Caa2", "Caa3", "Ca", "C"}
            assert "downside risk higher than in" in meaning and "weeks" in meaning
            assert verdict.strip().lower() in ("no detectable edge on direction", "above the usual", "near the usual",
                                               "below the usual")
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # the page never scrolls sideways
            if width >= 1000:  # on a desk the key points are on the first screen too
                points = page.locator(".keypoints li")
                assert points.count() >= 4
                on_first_screen(f".keypoints li >> nth={min(points.count(), 4) - 1}")
        finally:
            browser.close()
