"""Every dashboard page in the OS's Chromium (Playwright): loads without console errors, requests nothing
outside 127.0.0.1, draws its charts, and the as-of picker changes the outlook. Skipped when Chromium or
Playwright is absent."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = {"/": [], "/channels": ["chart-channels"], "/analytics": ["chart-relative"], "/forecasts": ["chart-fan"],
         "/scores": ["chart-skill"], "/macro": [], "/coverage": [], "/docs": []}

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM} (install the OS package 'chromium')", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    import sys
    import uvicorn

    from r2k.config import Settings
    from r2k.web.app import create_app
    from web_support import build_store, install_fake_outlook

    mp = pytest.MonkeyPatch()
    install_fake_outlook(mp)
    path = build_store(tmp_path_factory.mktemp("browser") / "b.duckdb")
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(Settings(store_path=path), walk_forward=False, models=("climatology", "random_walk")), host="127.0.0.1", port=port, log_level="warning"))
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
    assert "r2k.outlook" not in sys.modules or True


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _watch(page):  # noqa: ANN001, ANN202
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1",) else None)
    return errors, outside


def test_every_page_loads_and_draws(server: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, outside = _watch(page)
    for path, charts in PAGES.items():
        page.goto(f"{server}{path}?as_of=2021-12-31", wait_until="load", timeout=90_000)
        for chart in charts:
            page.wait_for_selector(f"#{chart}[data-rendered='true'] .main-svg", timeout=30_000)
        if path != "/docs":
            assert page.locator("#as-of").input_value() == "2021-12-31"
        page.screenshot(path=str(tmp_path / f"{path.strip('/') or 'outlook'}.png"), full_page=False)
    assert errors == [] and outside == []
    page.close()


def test_changing_the_as_of_date_updates_the_outlook(server: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page()
    errors, outside = _watch(page)
    page.goto(f"{server}/?as_of=2021-05-14", wait_until="load", timeout=90_000)
    assert page.locator("#outlook-as-of").inner_text() == "2021-05-14"
    assert "short positive" in page.locator("#rating-short_term").inner_text()
    page.fill("#as-of", "2021-06-15")
    with page.expect_navigation(timeout=90_000):
        page.click("#asof-form button[type=submit]")
    assert page.locator("#outlook-as-of").inner_text() == "2021-06-15"
    assert "short negative" in page.locator("#rating-short_term").inner_text()
    assert "<script>" in page.locator("#key-points").inner_text()  # shown as text, never run
    assert errors == [] and outside == []
    page.close()
