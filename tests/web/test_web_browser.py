"""Every dashboard page in the OS's Chromium (Playwright) at a phone's 390 px and a desktop's 1,400 px, over the real
outlook on a small synthetic store: no sideways scroll, no console error, nothing requested outside 127.0.0.1, the
charts drawn, a risk grade in the first screen of the Outlook page, "computing…" while a new date is computed.
Skipped when Chromium or Playwright is absent. Set R2K_SCREENSHOTS=DIR to keep the screenshots and the page sizes
(sizes.json) for a person to look at."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from web_support import AS_OF, build_store, log_rows, real_outlook

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = {"/": [], "/channels": ["chart-channels"], "/analytics": ["chart-relative", "chart-events"], "/forecasts": ["chart-fan"],
         "/scores": [], "/macro": ["chart-factors"], "/coverage": [], "/docs": [], "/no-such-page": []}
WIDTHS = {"phone": (390, 844), "desktop": (1400, 900)}

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM} (install the OS package 'chromium')", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("browser") / "b.duckdb")


@pytest.fixture(scope="module")
def server(store: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    import uvicorn

    from r2k.config import Settings
    from r2k.web.app import create_app

    mp = pytest.MonkeyPatch()
    real_outlook(mp, tmp_path_factory.mktemp("cache"))
    port = _free_port()
    app = create_app(Settings(store_path=store), walk_forward=False, report=None)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    mp.undo()


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = Path(os.environ.get("R2K_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _watch(page):  # noqa: ANN001, ANN202
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname != "127.0.0.1" else None)
    return errors, outside


SIZES = "() => ({width: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, " \
        "height: document.documentElement.scrollHeight})"


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_fits_the_screen_and_draws(server: str, browser, store: Path, shots: Path, device: str) -> None:  # noqa: ANN001
    width, height = WIDTHS[device]
    page = browser.new_page(viewport={"width": width, "height": height})
    errors, outside = _watch(page)
    rows_before = log_rows(store)
    sizes = {}
    for path, charts in PAGES.items():
        page.goto(f"{server}{path}?as_of={AS_OF}", wait_until="load", timeout=180_000)
        for chart in charts:
            page.wait_for_selector(f"#{chart}[data-rendered='true'] .main-svg", timeout=30_000)
        size = page.evaluate(SIZES)
        sizes[path] = size
        name = path.strip("/") or "outlook"
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        assert size["width"] <= size["client"], f"{path} scrolls sideways at {width} px: {size}"
        if path not in ("/docs", "/no-such-page"):
            assert page.locator("#as-of").input_value() == AS_OF
    grade = page.goto(f"{server}/?as_of={AS_OF}") and page.locator("#risk-grade .notch").bounding_box()
    assert grade is not None and grade["y"] + grade["height"] <= height, f"the risk grade is below the first screen: {grade}"
    assert errors == [] and outside == []
    assert log_rows(store) == rows_before  # browsing every page wrote nothing to the forecast log
    existing = json.loads((shots / "sizes.json").read_text()) if (shots / "sizes.json").exists() else {}
    (shots / "sizes.json").write_text(json.dumps({**existing, str(width): sizes}, indent=1))
    page.close()


def test_controls_and_the_computing_indicator(server: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors, outside = _watch(page)
    page.goto(f"{server}/forecasts?as_of={AS_OF}&horizons=5,10", wait_until="load", timeout=180_000)
    assert page.locator("#horizons").input_value() == "5,10"
    assert page.locator("#symbol option").all_inner_texts() == ["S&P 500 (GSPC)", "Russell 2000 (RUT)", "VIX"]
    submitted = page.evaluate("""() => {  // submit, the navigation itself held back: what the person sees meanwhile
        const form = document.getElementById("asof-form"), busy = document.getElementById("busy");
        const before = busy.hidden;
        form.addEventListener("submit", (e) => e.preventDefault(), {once: true});
        form.requestSubmit();
        return [before, busy.hidden, busy.innerText, document.body.className];
    }""")
    assert submitted == [True, False, "computing…", "computing"]
    page.fill("#as-of", "2021-11-30")
    with page.expect_navigation(timeout=180_000):
        page.click("#asof-form button[type=submit]")
    assert page.locator("#as-of").input_value() == "2021-11-30" and page.locator("#horizons").input_value() == "5,10"
    assert errors == [] and outside == []
    page.close()
