"""The report opens with the outlook: HTML/Markdown/PDF renderings on a synthetic store, and a headless
Chromium check that the first screen (1400x900) holds the ratings and the key points."""

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

from outlook_support import store_with, synthetic_map

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - Report
    import r2k.outlook.build as build

    d = tmp_path_factory.mktemp("report")
    path = store_with(d / "s.duckdb", n=800)
    mp = pytest.MonkeyPatch()
    mp.setattr(build, "load_map", synthetic_map)
    try:
        with Store(path, read_only=True) as s:  # the outlook's sections only: the others have their own tests
            ctx = ReportContext(s, date(2021, 12, 31), Settings(store_path=path))
            built = [m.build(ctx) for m in (outlook, scenarios, model, financial)]
            return Report(ctx.as_of, "RUT", "GSPC", datetime(2026, 1, 2), tuple(x for x in built if x is not None))
    finally:
        mp.undo()


def test_report_opens_with_the_outlook(report, tmp_path: Path) -> None:  # noqa: ANN001
    keys = [s.key for s in report.sections]
    assert keys[:3] == ["outlook", "scenarios", "model"]
    html = write_report(report, tmp_path / "r.html").read_text()
    head = html[: html.index('id="scenarios"')]
    assert "Russell 2000 (RUT) outlook as of 2021-12-31" in head and "short-term" in head and "Key points" in head
    assert "volatility model" in head  # the 52-week P(up) caveat next to the number
    assert "not yet available" in head  # the rating table's category rows
    md = write_report(report, tmp_path / "r.md").read_text()
    assert md.startswith("# Russell 2000 (RUT) outlook as of 2021-12-31") and "Short-term rating (4 weeks)" in md


def test_pdf_rendering(report, tmp_path: Path) -> None:  # noqa: ANN001
    pytest.importorskip("weasyprint", reason="weasyprint is not installed")
    out = write_report(report, tmp_path / "r.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000


def _chromium() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def test_first_screen_in_headless_chromium(report, tmp_path: Path) -> None:  # noqa: ANN001
    exe = _chromium()
    if exe is None:
        pytest.skip(f"no Chromium browser at {CHROMIUM} (install the OS package 'chromium' to run this check)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    page_file = write_report(report, tmp_path / "r.html")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(page_file.as_uri())
            cards = page.locator(".ratings .card .notch")
            assert cards.count() == 3
            for i in range(2):  # the short-term and long-term ratings
                box = cards.nth(i).bounding_box()
                assert box is not None and box["y"] + box["height"] <= 900
            points = page.locator(".keypoints li")
            assert points.count() >= 4
            last = points.nth(points.count() - 1).bounding_box()
            assert last is not None and last["y"] + last["height"] <= 900, f"key points end at {last}, below the first screen"
        finally:
            browser.close()
