"""The strategic interaction table: scenarios over 4 weeks drawn as likelihood × potential impact, green for a rise
and red for a fall, darker the larger the share of technical signals pointing the same way; the table and the signals."""

from __future__ import annotations

from r2k.outlook import Outlook
from r2k.outlook.scenarios import HORIZON
from r2k.report import blocks as B
from r2k.report.charts import COLORS, legend_below, new_figure, percent_axis, place_labels, to_svg
from r2k.report.context import ReportContext
from r2k.report.render import INDEX_NAMES
from r2k.report.sections.base import Section
from r2k.report.sections.outlook import outlook_of
from r2k.words import pct

BASIS = {"model": "model probability", "history": "historical conditional frequency"}


def chart(o: Outlook) -> tuple[str, str]:
    """Likelihood against impact: green for a rise, red for a fall, the fill darker the more technical signals agree;
    labels placed without collisions (a crowded point gets a number, listed under the chart): (SVG, that key)."""
    from matplotlib.lines import Line2D

    fig, ax = new_figure(4.2)
    pts = [s for s in o.scenarios if s.likelihood == s.likelihood and s.impact == s.impact]
    right = max([100 * s.likelihood for s in pts] + [10]) * 1.15
    for s in pts:
        colour = COLORS["up"] if s.impact >= 0 else COLORS["down"]
        ax.scatter(100 * s.likelihood, 100 * s.impact, s=90, color=colour, alpha=0.25 + 0.75 * s.technical_share,
                   edgecolor=colour, lw=1.0, marker="o" if s.basis == "model" else "s", zorder=3)
    ax.axhline(0, color="#777", lw=0.6)
    ax.set_xlabel(f"likelihood over the next {HORIZON} trading days")
    ax.set_ylabel("index move if it happens")
    ax.set_xlim(-1, right)
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo - 0.06 * (hi - lo), hi + 0.06 * (hi - lo))  # room for labels above and below the extremes
    percent_axis(ax, signed=True)
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0f}%")
    legend_below(fig, handles=[
        Line2D([], [], ls="", marker="o", color=COLORS["up"], label="a rise"),
        Line2D([], [], ls="", marker="o", color=COLORS["down"], label="a fall"),
        Line2D([], [], ls="", marker="o", color="#888", label="likelihood from the model"),
        Line2D([], [], ls="", marker="s", color="#888", label="from past frequencies")])
    ax.set_title(f"{INDEX_NAMES.get(o.symbol, o.symbol)} scenarios over the next 4 weeks: likelihood and impact "
                 "(darker: more technical signals agree)")
    numbered = place_labels(ax, [(100 * s.likelihood, 100 * s.impact, s.label) for s in sorted(pts, key=lambda s: -s.likelihood)])
    key = "; ".join(f"{n}: {text}" for n, text in numbered)
    return to_svg(fig), (f"Numbered points: {key}." if key else "")


INTRO = ("Named scenarios over the next 4 weeks (20 trading days). Likelihood is the forecast model's probability where "
         "the event concerns the close on the horizon day, and the historical conditional frequency where the model cannot "
         "speak to it (VIX, credit spreads); impact is the mean index move if the scenario happens; green is a rise, red a "
         "fall, and the fill is darker the larger the share of the technical signals below that point the same way.")
POINTS = {1: "up", -1: "down", 0: "neither"}


def scenario_table(o: Outlook) -> B.Table:
    """Each scenario's likelihood and where it comes from, its impact, the technical share and its definition."""
    rows = [[s.name, pct(s.likelihood, 1), BASIS[s.basis], pct(s.impact, 1, True), pct(s.technical_share, 0), s.detail]
            for s in o.scenarios]
    return B.Table.of(["scenario", "likelihood", "basis", "impact if it happens", "technical share", "definition"], rows)


def signal_table(o: Outlook) -> B.Table:
    """The technical signals and the way each points."""
    return B.Table.of(["signal", "points", "detail"], [[s.name, f"{s.arrow} {POINTS[s.direction]}", s.detail] for s in o.signals])


def build(ctx: ReportContext) -> Section | None:
    o = outlook_of(ctx)
    if o is None:
        return None
    svg, key = chart(o)
    blocks = [B.Paragraph(INTRO), B.Figure(svg, key), scenario_table(o), B.Heading("Technical signals"), signal_table(o)]
    facts = {"scenarios": [s.to_dict() for s in o.scenarios], "signals": [s.to_dict() for s in o.signals]}
    return Section.of("scenarios", "Strategic interaction table", facts, blocks)
