"""Charts as inline SVG (matplotlib, no network, no JavaScript): the page stays self-contained.

Conventions every report chart follows (so the page reads well on a desk and on a phone, and stays light):
* a title on the axes (``to_svg`` turns it into the SVG's accessible name: ``role="img"``, ``aria-label``,
  ``<title>``); axis labels with units; human names only;
* legends outside the data (:func:`legend_below`); the last value tagged at the right edge (:func:`tag_right`);
* log price axes with plain index levels (:func:`log_price_axis`: 500, 1,000, 2,000 — never 10³);
* long daily histories drawn weekly (:func:`weekly`, :func:`weekly_range`) and phases as merged spans
  (:func:`spans`); path coordinates rounded to 0.1 pt in the SVG.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator  # noqa: E402

# 7.2 in wide: shown at its natural size (691 px, 11 pt text at 14.7 px) on a desk; on a phone the chart is
# drawn no narrower than 440 px inside its own horizontally scrolling box (report CSS): text stays at ~9 px.
WIDTH = 7.2
STYLE = {
    "figure.figsize": (WIDTH, 3.4),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "large",
    "axes.titlelocation": "left",
    "axes.labelsize": "medium",
    "font.size": 11,
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],  # named in every SVG <text>: keep the list short
    "legend.frameon": False,
    "legend.fontsize": "medium",
    "xtick.minor.visible": False,
    "date.converter": "concise",  # date ticks as 2019 · Apr · Jul, never overlapping full dates
    "ytick.minor.visible": False,
    "path.simplify": True,
    "path.simplify_threshold": 0.5,
    "svg.fonttype": "none",  # text stays text: smaller, selectable, searchable
    "svg.hashsalt": "r2k",  # deterministic ids: the same report renders byte-identical SVG
}

# matplotlib is used only by the report: the style is global so that text created after new_figure (titles,
# legends, annotations) follows it too
matplotlib.rcParams.update(STYLE)

from r2k.words import COLORS  # noqa: E402, F401 - the one palette, re-exported for the sections

_NUMBER = re.compile(r"-?\d+\.\d+")
_REPEATED_L = re.compile(r"(?<=\d)\s+L\s+(?=-?\d)")
_PATH_DATA = re.compile(r'(?<= d=")[^"]*')
_LONG_NUMBER = re.compile(r"(?<![#\w])-?\d+\.\d{3,}")
_BETWEEN_TAGS = re.compile(r">\s+<")
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)


def new_figure(height: float = 3.4, width: float = WIDTH) -> tuple[Figure, Axes]:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def chart_title(fig: Figure) -> str:
    """The figure's title: the suptitle, else the first axes title that is set."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        return sup.get_text()
    for ax in fig.axes:
        for loc in ("center", "left", "right"):
            if text := ax.get_title(loc):
                return text
    return ""


def _round_path(match: re.Match[str]) -> str:
    """Path data with coordinates rounded to 0.1 pt; in paths of straight lines only, the repeated ``L``
    commands are dropped (SVG repeats the previous command for further coordinate pairs)."""
    def short(m: re.Match[str]) -> str:
        text = f"{float(m.group(0)):.1f}"
        text = text[:-2] if text.endswith(".0") else text
        return "0" if text == "-0" else text

    data = _NUMBER.sub(short, match.group(0))
    if set(re.findall(r"[A-Za-z]", data)) <= {"M", "L", "z", "Z"}:
        data = _REPEATED_L.sub(" ", data)
    return data


DRAWABLE = 1e300  # matplotlib's tick and limit arithmetic overflows on data this large (closes near 1.7e308)


def drawable(fig: Figure) -> bool:
    """Whether every axes' data is finite and small enough for matplotlib to place ticks and limits."""
    for ax in fig.axes:
        bounds = np.asarray(ax.dataLim.bounds, dtype=float)
        if ax.has_data() and not (np.isfinite(bounds).all() and (np.abs(ax.dataLim.get_points()) < DRAWABLE).all()):
            return False
    return True


def to_svg(fig: Figure, title: str | None = None) -> str:
    """The figure as an inline ``<svg>`` element with an accessible name, in a ``<div class="chart">`` (the box
    that scrolls sideways on a phone); the figure is closed.

    The name is ``title`` or the figure's own title (every chart should have one); path coordinates are
    rounded to 0.1 pt and other coordinates to 0.01 pt, and the indentation between tags is dropped
    (invisible on screen and in print, about half the text).
    """
    name = title or chart_title(fig)
    if not name:
        warnings.warn("report chart without a title: give the axes a title (it becomes the accessible name)",
                      stacklevel=2)
        name = "Chart"
    for ax in fig.axes:  # a title longer than the figure is wide wraps instead of being cut off
        for text in (ax.title, ax._left_title, ax._right_title):
            text.set_wrap(True)
    if not drawable(fig):
        plt.close(fig)
        return (f'<div class="chart"><p class="note">{escape(name)}: not drawn, its values are beyond what a chart '
                "can place (near the largest number a computer holds, about 1.8e308).</p></div>")
    buf = io.StringIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = _COMMENT.sub("", _METADATA.sub("", _PATH_DATA.sub(_round_path, text)))
    text = _BETWEEN_TAGS.sub("><", _LONG_NUMBER.sub(lambda m: f"{float(m.group(0)):.2f}", text))
    label = escape(" ".join(name.split()))
    open_end = text.index(">") + 1
    return (f'<div class="chart">{text[: open_end - 1]} role="img" aria-label="{label}"><title>{label}</title>'
            f"{text[open_end:].rstrip()}</div>")


def plain_number(value: float, _pos: object = None) -> str:
    """A tick label in plain digits with thousands separators: 1,000 not 10³; 0.5 not 5×10⁻¹."""
    if value == 0 or not np.isfinite(value):
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{max(0, 2 - int(np.floor(np.log10(abs(value)))))}g}" if abs(value) < 1 else f"{value:,.3g}"


LOG_SUBS: tuple[tuple[float, ...], ...] = ((1,), (1, 2, 5), (1, 2, 3, 5), (1, 1.5, 2, 3, 4, 5, 7), tuple(range(1, 10)))


LARGEST = float(np.finfo(np.float64).max)


def finite_limits(lo: float, hi: float) -> tuple[float, float]:
    """Axis limits kept within the finite doubles: a margin added to values near 1.8e308 would be infinite."""
    return max(min(lo, LARGEST), -LARGEST), max(min(hi, LARGEST), -LARGEST)


def log_ticks(lo: float, hi: float, min_ticks: int = 3, max_ticks: int = 8) -> list[float]:
    """Round tick values for a log axis from ``lo`` to ``hi``: the sparsest of 1-2-5 style ladders that puts at
    least ``min_ticks`` ticks in view, else evenly spaced round numbers (narrow ranges)."""
    if not (lo > 0 and hi > lo and np.isfinite(hi)):
        return []
    for subs in LOG_SUBS:
        with np.errstate(over="ignore"):  # near the largest double, 10^309 is inf: dropped below
            ticks = [float(m * np.power(10.0, k)) for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
                     for m in subs]
        ticks = [t for t in ticks if lo <= t <= hi]
        if min_ticks <= len(ticks) <= max_ticks:
            return ticks
        if len(ticks) > max_ticks:
            break
    locator = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])
    try:
        values = locator.tick_values(lo, hi)
    except ValueError:  # near the largest double the locator's own arithmetic overflows: place ticks in scaled units
        scale = float(np.power(10.0, np.floor(np.log10(hi))))
        values = locator.tick_values(lo / scale, hi / scale) * scale
    return [float(t) for t in values if lo <= t <= hi]


def log_price_axis(ax: Axes, label: str = "index level (log scale)") -> None:
    """Log y axis with plain round levels (500, 1,000, 2,000); call after the data is drawn."""
    ax.set_yscale("log")
    lo, hi = finite_limits(*ax.get_ylim())
    ax.yaxis.set_major_locator(FixedLocator(log_ticks(lo, hi)))
    ax.yaxis.set_major_formatter(FuncFormatter(plain_number))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_ylim(lo, hi)
    ax.set_ylabel(label)


def percent_axis(ax: Axes, digits: int = 0, signed: bool = False) -> None:
    """Tick labels for values already in percent: 20%, −10%."""
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: (f"{v:+.{digits}f}%" if signed and v else f"{v:.{digits}f}%").replace("-", "−")))


def legend_columns(labels: Sequence[str], width_pt: float, font_pt: float) -> int:
    """How many legend columns fit ``width_pt``. matplotlib fills columns top to bottom (the first ones one
    entry longer when the entries do not divide evenly), each as wide as its longest entry; an entry is estimated at 0.5 em a character plus 3.4 em for the handle and the spacing
    (measured on DejaVu Sans, the font matplotlib lays the text out with)."""
    for ncols in range(len(labels), 1, -1):
        rows, large = divmod(len(labels), ncols)  # as matplotlib: the first ``large`` columns hold one entry more
        sizes = [rows + 1] * large + [rows] * (ncols - large)
        starts = np.cumsum([0, *sizes])
        columns = [labels[a:b] for a, b in zip(starts[:-1], starts[1:])]
        if sum(max(len(t) for t in col) * 0.5 * font_pt + 3.4 * font_pt for col in columns) <= width_pt:
            return ncols
    return 1


def legend_below(fig: Figure, ncols: int | None = None, handles: Sequence | None = None) -> None:
    """One legend under the axes (never over the data), in as many columns as fit the figure's width
    (at most ``ncols``)."""
    ax = fig.axes[0]
    hs, labels = ax.get_legend_handles_labels() if handles is None else (handles, [h.get_label() for h in handles])
    if not hs:
        return
    font = matplotlib.font_manager.FontProperties(size=matplotlib.rcParams["legend.fontsize"]).get_size_in_points()
    fits = legend_columns(labels, 72 * fig.get_figwidth(), font)
    fig.legend(hs, labels, loc="outside lower center", ncols=min(fits, ncols or fits), frameon=False,
               handlelength=1.6, columnspacing=1.2)


def tag_right(ax: Axes, tags: Iterable[tuple[float, str, str]], min_gap: float = 0.075) -> None:
    """Value tags at the right edge of the axes, TradingView style: (y in data units, text, colour) each,
    pushed apart vertically so they never overlap (at least ``min_gap`` in axes fractions and one tag height)."""
    fig = ax.figure
    fig.canvas.draw()  # settle the layout (call after the legend is placed): the gap is kept in points
    height_pt = ax.get_window_extent().height * 72 / fig.dpi
    min_gap = max(min_gap, 1.7 * matplotlib.rcParams["font.size"] * 0.833 / max(height_pt, 1.0))
    items = []
    to_axes = ax.transAxes.inverted()
    for y, text, colour in tags:
        if y is None or not np.isfinite(y):
            continue
        disp = ax.transData.transform((ax.get_xlim()[1], y))
        items.append([float(to_axes.transform(disp)[1]), text, colour])
    items.sort(key=lambda t: t[0])
    for i in range(1, len(items)):  # push up ...
        items[i][0] = max(items[i][0], items[i - 1][0] + min_gap)
    if items and items[-1][0] > 1.0:  # ... then back down from the top if the stack overflowed
        items[-1][0] = 1.0
        for i in range(len(items) - 2, -1, -1):
            items[i][0] = min(items[i][0], items[i + 1][0] - min_gap)
    for y, text, colour in items:
        ax.annotate(text, xy=(1.0, y), xycoords="axes fraction", xytext=(4, 0), textcoords="offset points",
                    va="center", ha="left", fontsize="small", color="white", annotation_clip=False,
                    bbox={"boxstyle": "round,pad=0.25", "fc": colour, "ec": "none"})


def weekly(series: pd.Series, daily_from: pd.Timestamp | None = None) -> pd.Series:
    """The last value of each calendar week, at its real date (the latest value is always kept); with
    ``daily_from``, every value from that date on stays (a long history with a detailed recent end)."""
    s = series.dropna()
    if len(s) < 2:
        return s
    if daily_from is not None:
        old = s[s.index < daily_from]
        return pd.concat([weekly(old), s[s.index >= daily_from]]) if len(old) else s
    return s.groupby(s.index.to_period("W-FRI")).tail(1)


def weekly_range(series: pd.Series, sides: tuple[str, ...] = ("min", "max")) -> pd.Series:
    """Each week's lowest and highest value (or only ``sides``) at their real dates, in date order, plus the
    latest value: a shape-preserving downsample (spikes and troughs survive; a fifth to two fifths of the points)."""
    s = series.dropna()
    if len(s) < 2:
        return s
    values = pd.Series(s.to_numpy(), index=np.arange(len(s)))
    grouped = values.groupby(s.index.to_period("W-FRI").to_numpy())
    keep = np.zeros(len(s), dtype=bool)
    for side in sides:
        keep[(grouped.idxmin() if side == "min" else grouped.idxmax()).to_numpy()] = True
    keep[-1] = True
    return s[keep]


def spans(labels: pd.Series, end: pd.Timestamp) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Consecutive equal labels merged into (start, end, label) spans; each label holds until the next date,
    the last one until ``end`` (e.g. month-end phase calls drawn as a few bands instead of one per month)."""
    out: list[tuple[pd.Timestamp, pd.Timestamp, str]] = []
    dates = list(labels.index) + [end]
    for i, (start, label) in enumerate(labels.items()):
        if out and out[-1][2] == label:
            out[-1] = (out[-1][0], dates[i + 1], label)
        else:
            out.append((start, dates[i + 1], label))
    return out


# label offsets tried in order (points): right, left, above, below, then the diagonals and further out
_OFFSETS = ((7, 0, "left", "center"), (-7, 0, "right", "center"), (0, 8, "center", "bottom"), (0, -8, "center", "top"),
            (7, 8, "left", "bottom"), (7, -8, "left", "top"), (-7, 8, "right", "bottom"), (-7, -8, "right", "top"),
            (7, 18, "left", "bottom"), (7, -18, "left", "top"), (-7, 18, "right", "bottom"), (-7, -18, "right", "top"))


def place_labels(ax: Axes, points: Sequence[tuple[float, float, str]], fontsize: str | float = "small") -> list[tuple[int, str]]:
    """Label scatter points without overlaps: each label takes the first offset around its point whose box
    hits no earlier label, no other point and stays inside the axes. A label with no free place is replaced by a
    number (placed the same way); the (number, label) pairs are returned for a key under the chart."""
    fig = ax.figure
    fig.canvas.draw()  # settle the layout so that display boxes are final
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    dots = [ax.transData.transform((x, y)) for x, y, _ in points]
    taken: list = []
    numbered: list[tuple[int, str]] = []

    def put(x: float, y: float, text: str, force: bool) -> bool:
        fallback = None
        for dx, dy, ha, va in _OFFSETS:
            ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                              fontsize=fontsize, annotation_clip=False)
            ann.set_in_layout(False)
            box = ann.get_window_extent(renderer).expanded(1.04, 1.15)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            hits = sum(box.overlaps(t) for t in taken) + sum(box.contains(px, py) for px, py in dots)
            if inside and hits == 0:
                taken.append(box)
                return True
            if force and inside and (fallback is None or hits < fallback[0]):
                fallback = (hits, dx, dy, ha, va)
            ann.remove()
        if force:  # nowhere free even for a number: the least crowded place inside the axes
            _hits, dx, dy, ha, va = fallback or (0, 7, 0, "left", "center")
            ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                              fontsize=fontsize, annotation_clip=False)
            ann.set_in_layout(False)
            taken.append(ann.get_window_extent(renderer))
        return force

    for x, y, text in points:
        if not put(x, y, text, force=False):
            numbered.append((len(numbered) + 1, text))
            put(x, y, str(len(numbered)), force=True)
    return numbered
