"""The report page as a reader meets it, on a small synthetic store: every chart named and light, plain
numbers on the axes, no internal ids in the text; in headless Chromium at 1400 px and 390 px (phone): no
sideways page scroll, every chart has an accessible name, no console errors."""

from __future__ import annotations

import importlib
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from outlook.outlook_support import light_ensemble, synthetic_map
from r2k.config import Settings
from r2k.report import Report, write_report
from r2k.report.context import ReportContext
from r2k.report.data_age import data_age
from r2k.snapshot import Snapshot
from r2k.store import Store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
AS_OF = date(2021, 12, 31)
TODAY = date(2023, 12, 29)
# the sections whose charts and text this page checks (forecast and monitor have their own tests and are slow)
SECTIONS = ("outlook", "scenarios", "model", "financial", "prices", "channels", "market", "macro", "coverage")
INTERNAL = ("SENT_LM_MEAN", "primary_break", "secondary_opposite", "ret_1m", "indpro_yoy", "IWM_SHARES", "GSPC", "`")


@pytest.fixture(scope="module")
def page(outlook_market: Path, session_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import r2k.outlook.build as build

    d = tmp_path_factory.mktemp("page")
    path = outlook_market  # RUT, GSPC, VIX, two macro series and a sentiment index: the grades' record has outcomes
    mp = pytest.MonkeyPatch()
    mp.setattr(build, "load_map", synthetic_map)
    light_ensemble(mp)
    try:
        with Store(path, read_only=True) as s:
            ctx = ReportContext(s, AS_OF, Settings(store_path=path, cache_dir=session_cache))
            built = {k: importlib.import_module(f"r2k.report.sections.{k}").build(ctx) for k in SECTIONS}
    finally:
        mp.undo()
    assert all(built.values()), [k for k, v in built.items() if v is None]
    with Store(path, read_only=True) as s:  # the data age as a reader two years later sees it
        age = data_age(Snapshot(s, AS_OF, settings=Settings(store_path=path)), TODAY)
    report = Report(AS_OF, "RUT", "GSPC", datetime(2026, 1, 2), tuple(built.values()), data_age=age)
    write_report(report, d / "report.md")
    write_report(report, d / "report.json")
    return write_report(report, d / "report.html")


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, re.S)


def test_every_chart_has_a_name_and_the_page_is_light(page: Path) -> None:
    html = page.read_text()
    svgs = _svgs(html)
    assert len(svgs) == 11  # scenarios, grades, P(up) reliability, prices, 2 channels, drawdown, beta, volatility, cycle, sentiment
    for svg in svgs:
        name = re.search(r'role="img" aria-label="([^"]+)"><title>([^<]+)</title>', svg)
        assert name is not None and name.group(1) == name.group(2) and len(name.group(1)) > 10
        assert len(svg.encode()) < 30_000, name.group(1)
    assert len(html.encode()) < 200_000
    assert "Loughran–McDonald headline sentiment" in html and "S&amp;P 500" in html


def test_axes_show_plain_numbers_and_no_internal_ids(page: Path) -> None:
    html = page.read_text()
    texts = [t for svg in _svgs(html) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert not [t for t in texts if re.search(r"mathdefault|\^|×10|10[⁰¹²³⁴⁵⁶⁷⁸⁹]", t)]
    prices = next(s for s in _svgs(html) if 'aria-label="Russell 2000 and S&amp;P 500' in s)
    assert {"2,000", "3,000"} <= set(re.findall(r"<text[^>]*>([^<]*)</text>", prices))
    html = html[: html.index('<section id="coverage">')]  # data coverage shows each series' id next to its name
    visible = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)
    assert [i for i in INTERNAL if i in visible.replace("r2k report --format json", "")] == []


def test_tables_scroll_in_their_own_box(page: Path) -> None:
    html = page.read_text()
    tables = html.count('<table class="data')
    assert tables > 5 and len(re.findall(r'<div class="table-wrap( short)?"><table class="data', html)) == tables


def _chromium() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.mark.parametrize("width", [1400, 390])
def test_page_in_headless_chromium(page: Path, width: int) -> None:
    exe = _chromium()
    if exe is None:
        pytest.skip(f"no Chromium browser at {CHROMIUM} (install the OS package 'chromium' to run this check)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            tab.on("pageerror", lambda e: errors.append(str(e)))
            tab.goto(page.as_uri())
            scroll, inner = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, f"the page scrolls sideways at {width} px ({scroll} > {inner})"
            # every chart fits its box whole (title and right-edge tags in view): none wider than its box
            clipped = tab.evaluate("""Array.from(document.querySelectorAll('.chart')).filter(c => {
                const s = c.querySelector('svg'); return s && s.getBoundingClientRect().width > c.clientWidth + 1;
            }).map(c => c.querySelector('svg').getAttribute('aria-label'))""")
            assert clipped == [], f"charts wider than their box at {width} px: {clipped}"
            banner = tab.evaluate("document.querySelector('.banner').getBoundingClientRect().top")
            assert banner < 900, "the data-age banner is not on the first screen"
            names = tab.evaluate("Array.from(document.querySelectorAll('svg')).map(s => s.getAttribute('aria-label'))")
            assert len(names) == 11 and all(n and n.strip() for n in names)
            assert tab.get_by_role("img").count() == 11  # the names reach the accessibility tree
            assert errors == []
        finally:
            browser.close()


def test_data_age_banner_comes_first_in_every_format(page: Path) -> None:
    # the store runs to 2022-05-13: a report as of 2021-12-31 is a past date asked for (not old data), but the
    # monthly curve series placed as a daily one was due by then: its staleness is said first
    html = page.read_text()
    banner = re.search(r'<div class="banner" role="note"><strong>Stale inputs.</strong> ([^<]*)</div>', html)
    assert banner is not None and html.index('class="banner"') < html.index("<nav>")
    assert banner.group(1).startswith("1 of 4 macro inputs of the outlook were stale at 2021-12-31")
    assert "e.g. 10-year minus 2-year Treasury spread since 2021-12-07" in banner.group(1)
    md = page.with_suffix(".md").read_text()
    assert md.split("\n\n")[2].startswith("> **Stale inputs.** 1 of 4 macro inputs")
    import json

    age = json.loads(page.with_suffix(".json").read_text())["data_age"]
    assert (age["days_behind"], age["sessions_behind"], age["old"], age["past_date"]) == (728, 501, False, True)
    assert (age["n_stale"], age["n_inputs"], age["latest_close"]) == (1, 4, "2022-05-13")


def test_financial_outlook_has_prose_next_to_its_table(page: Path) -> None:
    html = page.read_text()
    section = html[html.index('<section id="financial">'):html.index("</section>", html.index('<section id="financial">'))]
    side = section[section.index('<div class="side">'):]
    assert side.index("<strong>Rates and the Fed.</strong>") < side.index("<table")
    assert re.search(r"10-year minus 2-year Treasury spread was [+-]\d\.\d\d pp for December 2021, stale since 2021-12-07",
                     section) is not None
    table = section[section.index("<table"):]
    stale_row = re.search(r"<tr><td>Rates and the Fed</td><td>10-year minus 2-year Treasury spread</td>.*?</tr>", table)
    assert stale_row is not None and "stale since 2021-12-07" in stale_row.group(0) and "→" not in stale_row.group(0)
    assert "<strong>Valuation.</strong> Not available" in section


def _printed_pages(html: str) -> list[tuple[float, list[str]]]:
    """Per printed page (WeasyPrint, the engine of --out x.pdf): the share of its height in use and the tags of its
    top-level blocks (a section's heading, paragraphs, tables, figures), in order."""
    from weasyprint import HTML

    def blocks(box, in_section: bool = False):  # noqa: ANN001, ANN202 - WeasyPrint boxes
        for child in getattr(box, "children", []):
            tag = getattr(child, "element_tag", None)
            if tag in ("html", "body") or (tag == "section" and not in_section):
                yield from blocks(child, in_section or tag == "section")
            elif tag is not None and type(child).__name__ not in ("LineBox", "TextBox", "InlineBox"):
                yield child

    out = []
    for page in HTML(string=html).render().pages:
        root = page._page_box
        bs = list(blocks(root))
        bottom = max((b.position_y + b.margin_height() for b in bs), default=root.content_box_y())
        out.append(((bottom - root.content_box_y()) / root.height, [b.element_tag for b in bs]))
    return out


def test_print_layout_has_no_lone_heading_and_no_half_blank_page(page: Path) -> None:
    pages = _printed_pages(page.read_text())
    assert len(pages) > 5
    headings = {"h2", "h3", "h4"}
    for i, (used, tags) in enumerate(pages[:-1], 1):
        assert tags and not set(tags) <= headings, f"page {i} holds only a heading"
        assert tags[-1] not in headings, f"page {i} ends with a heading ({tags})"
        assert used > 0.5, f"page {i} is {1 - used:.0%} blank before page {i + 1} ({pages[i][1][:2]})"
