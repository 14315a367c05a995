"""Series ids and other text reach the HTML and Markdown reports escaped: no live tag, no handler."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests_support import NOW, price_series

from r2k.config import Settings
from r2k.report import build_report
from r2k.report.render import to_html, to_markdown
from r2k.report.tables import md_table
from r2k.snapshot import Snapshot
from r2k.store import Store

EVIL = "<IMG SRC=X ONERROR=ALERT(1)>"


def test_hostile_ids_are_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    rng = np.random.default_rng(1)
    closes = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 400)))
    with Store(path) as s:  # written behind the import's id check, as a foreign store could be
        s.write([price_series(EVIL, closes), price_series("B|<B>", closes * 1.1)], "test", NOW)
        report = build_report(Snapshot(s, None, EVIL, "B|<B>", Settings(store_path=path)), NOW)
    assert {"prices", "market"} <= {x.key for x in report.sections}
    html, md = to_html(report), to_markdown(report)
    for text in (html, md):
        assert "<img" not in text.lower() and "<b>" not in text.lower()
    assert "&lt;IMG SRC=X ONERROR=ALERT(1)&gt;" in html and "&lt;IMG SRC=X ONERROR=ALERT(1)&gt;" in md


def test_markdown_table_cells_escape_html_and_pipes() -> None:
    out = md_table(["a"], [["<script>x</script> | y\nz"]])
    assert out.splitlines()[-1] == "| &lt;script&gt;x&lt;/script&gt; \\| y z |"
