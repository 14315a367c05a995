"""The strategic interaction table: scenarios over 4 weeks drawn as likelihood × potential impact, shaded
grey → black by the share of technical signals pointing the same way, plus the table and the signals."""

from __future__ import annotations

from r2k.outlook import Outlook
from r2k.outlook.scenarios import HORIZON
from r2k.report.charts import legend_below, new_figure, percent_axis, place_labels, to_svg
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.sections.outlook import outlook_of
from r2k.report.tables import md_table
from r2k.report.templating import render_section

BASIS = {"model": "model probability", "history": "historical conditional frequency"}


def chart(o: Outlook) -> str:
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    fig, ax = new_figure(4.2)
    cmap, norm = colormaps["Greys"], Normalize(vmin=-0.25, vmax=1.0)  # share 0 -> light grey, 1 -> black
    pts = [s for s in o.scenarios if s.likelihood == s.likelihood and s.impact == s.impact]
    right = max([100 * s.likelihood for s in pts] + [10]) * 1.15
    for s in pts:
        ax.scatter(100 * s.likelihood, 100 * s.impact, s=90, color=cmap(norm(s.technical_share)), edgecolor="#333", lw=0.6,
                   marker="o" if s.basis == "model" else "s", zorder=3)
    ax.axhline(0, color="#777", lw=0.6)
    ax.set_xlabel(f"likelihood over the next {HORIZON} trading days")
    ax.set_ylabel("index move if it happens")
    ax.set_xlim(-1, right)
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo - 0.06 * (hi - lo), hi + 0.06 * (hi - lo))  # room for labels above and below the extremes
    percent_axis(ax, signed=True)
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0f}%")
    cbar = fig.colorbar(ScalarMappable(norm=Normalize(0, 1), cmap=colormaps["Greys"]), ax=ax, pad=0.01, fraction=0.04)
    cbar.set_label("share of technical signals agreeing")
    cbar.ax.yaxis.set_major_formatter(lambda v, _p: f"{100 * v:.0f}%")
    legend_below(fig, handles=[
        Line2D([], [], ls="", marker="o", color="#888", markeredgecolor="#333", label="likelihood from the forecast model"),
        Line2D([], [], ls="", marker="s", color="#888", markeredgecolor="#333", label="likelihood from past frequencies")])
    ax.set_title(f"{INDEX_NAMES.get(o.symbol, o.symbol)} scenarios over the next 4 weeks: likelihood and impact")
    place_labels(ax, [(100 * s.likelihood, 100 * s.impact, s.label) for s in sorted(pts, key=lambda s: -s.likelihood)])
    return to_svg(fig)


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None:
        return None
    html = render_section("scenarios", o=o, chart=chart(o), basis=BASIS)
    rows = [[s.name, f"{100 * s.likelihood:.1f}%", BASIS[s.basis], f"{100 * s.impact:+.1f}%", f"{100 * s.technical_share:.0f}%", s.detail]
            for s in o.scenarios]
    sig = [[s.name, s.arrow, s.detail] for s in o.signals]
    md = "\n\n".join([f"Scenarios over the next {HORIZON} trading days (4 weeks).",
                      md_table(["scenario", "likelihood", "basis", "impact if it happens", "technical share", "definition"], rows),
                      "Technical signals:", md_table(["signal", "points", "detail"], sig)])
    facts = {"scenarios": [s.to_dict() for s in o.scenarios], "signals": [s.to_dict() for s in o.signals]}
    return Section("scenarios", "Strategic interaction table", facts, html, md)
