"""Chart helpers with known answers: plain log-axis labels, accessible SVG names, light SVG, downsampling
that keeps the shape, merged spans, tags and labels that never overlap, tables in scrolling boxes."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from r2k.report import blocks as B
from r2k.report.charts import (legend_columns, log_price_axis, log_ticks, new_figure, place_labels, plain_number, spans,
                               tag_right, to_svg, weekly, weekly_range)


def test_plain_numbers_never_powers_of_ten() -> None:
    assert [plain_number(v) for v in (100, 1000, 2500, 12000, 0.5, 1.5, 0)] == ["100", "1,000", "2,500", "12,000", "0.5",
                                                                                   "1.5", "0"]


@pytest.mark.parametrize(("lo", "hi", "ticks"), [
    (90, 4000, [100, 200, 500, 1000, 2000]),  # the sparsest ladder with at least 3 ticks: 1-2-5
    (1400, 3500, [1500, 2000, 3000]),
    (2250, 3100, [2250, 2500, 2750, 3000]),  # too narrow for any ladder: evenly spaced round numbers
])
def test_log_ticks(lo: float, hi: float, ticks: list[float]) -> None:
    assert log_ticks(lo, hi) == ticks


def test_log_price_axis_labels_are_plain_index_levels() -> None:
    fig, ax = new_figure()
    ax.set_title("levels")
    ax.plot(pd.date_range("2000-01-03", periods=3), [150, 900, 2500])
    log_price_axis(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels == ["200", "500", "1,000", "2,000"]
    svg = to_svg(fig)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "1,000" in texts and not any(re.search(r"mathdefault|\^|×", t) for t in texts)


def test_svg_has_an_accessible_name_from_the_title() -> None:
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_title("Russell 2000 & S&P 500 <weekly>")
    svg = to_svg(fig)
    assert svg.startswith('<div class="chart"><svg') and svg.endswith("</svg></div>")
    name = "Russell 2000 &amp; S&amp;P 500 &lt;weekly&gt;"
    assert f'role="img" aria-label="{name}"><title>{name}</title>' in svg
    fig, ax = new_figure()
    assert f'aria-label="{name}"' in to_svg(fig, title="Russell 2000 & S&P 500 <weekly>")


def test_svg_without_a_title_warns_and_still_gets_a_name() -> None:
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    with pytest.warns(UserWarning, match="without a title"):
        svg = to_svg(fig)
    assert 'aria-label="Chart"' in svg


def test_svg_is_light_rounded_coordinates_and_no_indentation() -> None:
    rng = np.random.default_rng(0)
    idx = pd.bdate_range("2000-01-03", periods=5000)
    fig, ax = new_figure()
    ax.set_title("a long daily walk")
    ax.plot(idx, 1000 * np.exp(np.cumsum(0.01 * rng.standard_normal(5000))))
    svg = to_svg(fig)
    assert re.search(r"\d\.\d{3,}", svg) is None  # no coordinate with more than 2 decimals
    assert ">\n" not in svg and "<metadata>" not in svg
    path = max(re.findall(r' d="([^"]*)"', svg), key=len)
    assert path.startswith("M ") and " L " not in path and "\nL" not in path  # implicit line-to
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(svg) < 60_000


def test_weekly_keeps_the_last_close_of_each_week_at_its_real_date() -> None:
    idx = pd.bdate_range("2024-01-01", "2024-01-17")  # Mon 1 Jan .. Wed 17 Jan
    s = pd.Series(np.arange(len(idx), dtype=float), index=idx)
    w = weekly(s)
    assert list(w.index.strftime("%m-%d")) == ["01-05", "01-12", "01-17"]
    assert list(w) == [4.0, 9.0, 12.0]
    recent = weekly(s, daily_from=pd.Timestamp("2024-01-15"))
    assert list(recent.index.strftime("%m-%d")) == ["01-05", "01-12", "01-15", "01-16", "01-17"]


def test_weekly_range_keeps_spikes_and_troughs() -> None:
    idx = pd.bdate_range("2024-01-01", periods=10)
    s = pd.Series([5, 1, 9, 4, 5, 6, 2, 3, 8, 7], index=idx, dtype=float)
    r = weekly_range(s)
    assert list(r) == [1, 9, 2, 8, 7]  # week 1: low 1, high 9; week 2: low 2, high 8; plus the last value
    assert list(weekly_range(s, ("min",))) == [1, 2, 7]


def test_spans_merge_consecutive_labels() -> None:
    idx = pd.to_datetime(["2020-01-31", "2020-02-28", "2020-03-31", "2020-04-30", "2020-05-29"])
    got = spans(pd.Series(["mid", "mid", "late", "late", "mid"], index=idx), pd.Timestamp("2020-06-15"))
    assert [(a.strftime("%m-%d"), b.strftime("%m-%d"), p) for a, b, p in got] == [
        ("01-31", "03-31", "mid"), ("03-31", "05-29", "late"), ("05-29", "06-15", "mid")]


def test_legend_columns_fit_the_width() -> None:
    assert legend_columns(["correlation", "beta"], 518, 11) == 2
    assert legend_columns(["a" * 50, "b" * 10, "c" * 50], 518, 11) == 1  # two columns would be (a, b) and (c)
    # three columns would be (short, x), (y), (z): too wide; two are (short, x), (y, z)
    assert legend_columns(["short", "x" * 40, "y" * 40, "z" * 10], 518, 11) == 2


def _boxes(ax) -> list:  # noqa: ANN001
    ax.figure.canvas.draw()
    return [t.get_window_extent() for t in ax.texts]


def test_value_tags_never_overlap() -> None:
    fig, ax = new_figure()
    ax.set_title("tags")
    ax.plot([0, 1], [100, 110])
    tag_right(ax, [(105.0, "105", "k"), (105.2, "105.2", "r"), (104.9, "104.9", "b"), (float("nan"), "none", "g")])
    boxes = _boxes(ax)
    assert len(boxes) == 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_scatter_labels_never_overlap() -> None:
    fig, ax = new_figure(4.2)
    ax.set_title("labels")
    pts = [(1.0, -11.0, "VIX top decile"), (1.5, -12.0, "HY spread +100 bp"), (2.0, -11.5, "fall > 10%"), (40, 4, "new record"),
           (54, 3, "above resistance")]
    ax.scatter([p[0] for p in pts], [p[1] for p in pts])
    ax.set_xlim(-1, 60)
    ax.set_ylim(-35, 10)
    assert place_labels(ax, pts) == []  # room for every label: none is numbered
    boxes = _boxes(ax)
    assert len(boxes) == len(pts)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_crowded_scatter_labels_become_numbers_with_a_key() -> None:
    fig, ax = new_figure(3.0, 4.0)
    ax.set_title("crowded")
    pts = [(10 + 0.3 * i, 5 + 0.2 * (i % 3), f"a rather long scenario label {i}") for i in range(7)]
    ax.scatter([p[0] for p in pts], [p[1] for p in pts])
    ax.set_xlim(0, 20)
    ax.set_ylim(0, 10)
    key = place_labels(ax, pts)
    assert key and [n for n, _ in key] == list(range(1, len(key) + 1))
    assert {t for _, t in key} < {p[2] for p in pts}
    texts = {t.get_text() for t in ax.texts}
    assert {str(n) for n, _ in key} <= texts and not {t for _, t in key} & texts
    boxes = _boxes(ax)
    assert len(boxes) == len(pts)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_tables_scroll_in_their_own_box() -> None:
    html = B.to_html([B.Table.of(["a", "b"], [["x", "1.0"]])]).strip()
    assert html.startswith('<div class="table-wrap short"><table class="data">') and html.endswith("</table></div>")
    assert '<td class="num">1.0</td>' in html


def test_humanise_replaces_whole_word_ids_only() -> None:
    from r2k.report.tables import humanise

    names = {"RUT": "Russell 2000", "ret_1m": "the 1-month return", "garch": "GJR-GARCH"}
    assert humanise("RUT ret_1m; TRUTH ret_1mx GJR-garch garch.", names) == (
        "Russell 2000 the 1-month return; TRUTH ret_1mx GJR-garch GJR-GARCH.")
