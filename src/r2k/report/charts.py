"""Charts as inline SVG (matplotlib, no network, no JavaScript): the page stays self-contained."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

STYLE = {
    "figure.figsize": (10, 4.2),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "r2k",  # deterministic ids: the same report renders byte-identical SVG
}

COLORS = {"index": "#1f4e79", "benchmark": "#9a9a9a", "up": "#2e7d32", "down": "#c62828", "accent": "#ef6c00"}


def new_figure(height: float = 4.2) -> tuple[Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(10, height), layout="constrained")
    return fig, ax


def to_svg(fig: Figure) -> str:
    """The figure as an inline <svg> element; the figure is closed."""
    buf = io.StringIO()
    with plt.rc_context(STYLE):
        fig.savefig(buf, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]
