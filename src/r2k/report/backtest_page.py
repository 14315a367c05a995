"""``r2k backtest --report FILE.html``: one self-contained page that shows how good the forecasts were.

Built from a :class:`r2k.forecasting.BacktestResult` only (no store, no clock): skill against climatology by
horizon with 95% intervals, the score table, PIT histograms, coverage against nominal, the rolling CRPS
difference over time, the ensemble weights, and the verdict in words. Charts are matplotlib SVG inline;
long series are thinned so the page stays light (a few hundred KB).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from r2k import __version__
from r2k.analytics.robust import REPS
from r2k.models.base import QUANTILE_COLUMNS
from r2k.outfile import write_text
from r2k.outlook.source import MODEL_SHORT
from r2k.report import blocks as B
from r2k.report.charts import new_figure, to_svg
from r2k.report.render import INDEX_NAMES
from r2k.report.tables import fmt_interval, fmt_num, fmt_p
from r2k.report.templating import environment
from r2k.validation import metrics as M
from r2k.validation.scoring import common_rows, crps_of, stride
from r2k.words import NA, pct

if TYPE_CHECKING:
    from r2k.forecasting import BacktestResult

ROLLING = 52  # origins in the rolling mean of the CRPS difference (a year of weekly origins)
COVERAGE_LEVELS = (0.5, 0.8, 0.9, 0.98)  # central intervals read straight off stored quantiles (q25/75 .. q01/99)
MAX_POINTS = 120  # points per line in the time charts (a 52-origin rolling mean or slowly moving weights keep their shape)
PALETTE = ("#1f4e79", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#8d6e63", "#9e9d24", "#5c6bc0")

HOW_TO_READ = (
    ("CRPS", "the continuous ranked probability score: the error of the whole forecast distribution, in log-return "
             "units; lower is better, and a perfect point forecast scores its absolute error."),
    ("CRPS skill", "1 − CRPS / CRPS of climatology (the distribution of all past returns over the same horizon): "
                   "+2% means the model's distributions were 2% better than that naive baseline on the same dates; "
                   "0 is no better, negative is worse."),
    ("95% interval", "where the skill would lie in 95% of resamples of the origins in blocks of about half a year "
                     "(a stationary block bootstrap, which keeps the months-long dependence of the errors); an interval "
                     "wholly above 0 means the gain is unlikely to be luck."),
    ("DM p", "the Diebold–Mariano test of equal mean CRPS against climatology, with a HAC variance over at least a "
             "quarter of a year of origins; below 0.05 the difference is unlikely to be luck. The verdict calls a model "
             "better only when the test and the interval agree."),
    ("PIT / Berkowitz p", "the probability integral transform is where each outcome fell in its forecast distribution; "
                          "for a calibrated model it is uniform (flat histogram). Berkowitz p below 0.05 rejects "
                          "calibration (non-overlapping origins only)."),
    ("Coverage", "the share of outcomes inside the central 50/80/90/98% intervals; it should match the nominal "
                 "level, within the binomial band."),
)


def model_name(model: str) -> str:
    """A human name for a model id (ids unknown to the project are shown without underscores)."""
    return MODEL_SHORT.get(model, model.replace("_", " "))


def _days(h: int) -> str:
    """A horizon or step in words (every count on the page is in trading days, as the header says)."""
    return f"{h} day{'s' if h != 1 else ''}"


@dataclass(frozen=True)
class PageSection:
    key: str
    title: str
    html: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BacktestPage:
    """The facts of the page and its sections (the HTML is rendered from them)."""

    title: str
    header: tuple[str, ...]
    verdict: str
    skill: pd.DataFrame  # model, horizon, n, skill, low, high, dm_p
    sections: tuple[PageSection, ...] = field(default_factory=tuple)


def _thin(s: pd.Series | pd.DataFrame, most: int = MAX_POINTS) -> pd.Series | pd.DataFrame:
    """Every k-th row (and the last), so a line has at most about ``most`` points."""
    k = max(1, math.ceil(len(s) / most))
    return s if k == 1 else pd.concat([s.iloc[::k], s.iloc[[-1]]]).pipe(lambda x: x[~x.index.duplicated()])


def _color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _colors(models: tuple[str, ...] | list[str]) -> dict[str, str]:
    """One colour per model, the same in every chart of the page."""
    return {m: _color(i) for i, m in enumerate(models)}


def skill_table(result: BacktestResult) -> pd.DataFrame:
    """CRPS skill of every model against the baseline per horizon with its 95% block-bootstrap interval and DM p
    (the score table's columns, renamed for the page)."""
    t = result.scores.table
    t = t[t["model"] != result.scores.baseline]
    return t[["model", "horizon", "n", "crps_skill", "skill_low", "skill_high", "dm_p"]].rename(
        columns={"crps_skill": "skill", "skill_low": "low", "skill_high": "high"}).reset_index(drop=True)


# --- charts -------------------------------------------------------------------------------------------------


def skill_chart(skill: pd.DataFrame, baseline: str, colors: dict[str, str]) -> str:
    fig, ax = new_figure(3.6)
    models = list(dict.fromkeys(skill["model"]))
    horizons = sorted(skill["horizon"].unique())
    width = 0.8 / max(len(models), 1)
    for i, m in enumerate(models):
        part = skill[skill["model"] == m].set_index("horizon").reindex(horizons)
        x = np.arange(len(horizons)) + (i - (len(models) - 1) / 2) * width
        y = 100 * part["skill"].to_numpy()
        err = np.vstack([y - 100 * part["low"].to_numpy(), 100 * part["high"].to_numpy() - y])
        ax.errorbar(x, y, yerr=np.nan_to_num(err), fmt="o", color=colors.get(m, _color(i)), capsize=3, label=model_name(m))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(np.arange(len(horizons)), [_days(int(h)) for h in horizons])
    ax.set_xlabel("forecast horizon")
    ax.set_ylabel(f"CRPS skill vs {model_name(baseline)} (%)")
    ax.set_title(f"CRPS skill against {model_name(baseline)} with 95% intervals (above 0 = better)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return to_svg(fig)


def pit_chart(result: BacktestResult) -> str:
    models = list(result.models)
    horizons = [h for h in result.plan.horizons if common_rows(result.frame, h)]
    fig, _ = new_figure(1.0 + 1.25 * len(models))
    fig.clear()
    axes = fig.subplots(len(models), max(len(horizons), 1), squeeze=False, sharex=True, sharey=True)
    pvals = result.scores.table.set_index(["model", "horizon"])["berkowitz_p"]
    for j, h in enumerate(horizons):
        by = common_rows(result.frame, h)
        for i, m in enumerate(models):
            ax = axes[i][j]
            if m not in by:
                ax.set_axis_off()
                continue
            u = M.pit(by[m]["y"].to_numpy(), by[m][list(QUANTILE_COLUMNS)].to_numpy())
            density, edges = np.histogram(u, bins=10, range=(0, 1), density=True)
            ax.stairs(density, edges, fill=True, color=_color(i), alpha=0.8)  # one path per panel keeps the SVG light
            ax.axhline(1.0, color="black", lw=0.8, ls="--")
            p = pvals.get((m, h), np.nan)
            ax.set_title(f"{model_name(m)}, {h}d (Berkowitz p {p:.2g})", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.set_xticks([0, 0.5, 1])
            ax.grid(False)
            if j == 0:
                ax.set_ylabel("density", fontsize=7)
            if i == len(models) - 1:
                ax.set_xlabel("PIT", fontsize=7)
    fig.suptitle("PIT histograms: flat at the dashed line means calibrated")
    return to_svg(fig)


def coverage_table(result: BacktestResult) -> pd.DataFrame:
    """Realised coverage of the central intervals per model and horizon, with the 95% binomial band around the
    nominal level for the number of non-overlapping origins."""
    rows = []
    for h in result.plan.horizons:
        by = common_rows(result.frame, h)
        for m, g in by.items():
            n_ind = max(1, len(g) // stride(h, result.plan.step))
            for level in COVERAGE_LEVELS:
                lo_q, hi_q = f"q{round(50 - 50 * level):02d}", f"q{round(50 + 50 * level):02d}"
                got = float(M.coverage(g["y"].to_numpy(), g[lo_q].to_numpy(), g[hi_q].to_numpy()).mean())
                band = stats.binom.ppf([0.025, 0.975], n_ind, level) / n_ind
                rows.append({"model": m, "horizon": int(h), "nominal": level, "realised": got, "n": len(g),
                             "n_independent": n_ind, "band_low": float(band[0]), "band_high": float(band[1])})
    return pd.DataFrame(rows, columns=["model", "horizon", "nominal", "realised", "n", "n_independent", "band_low", "band_high"])


def coverage_chart(cov: pd.DataFrame, colors: dict[str, str]) -> str:
    horizons = sorted(cov["horizon"].unique())
    fig, _ = new_figure(3.4)
    fig.clear()
    axes = fig.subplots(1, len(horizons), squeeze=False, sharey=True)[0]
    models = list(dict.fromkeys(cov["model"]))
    for ax, h in zip(axes, horizons):
        part = cov[cov["horizon"] == h]
        band = part.groupby("nominal")[["band_low", "band_high"]].mean()
        x = 100 * band.index.to_numpy()
        ax.fill_between(x, 100 * band["band_low"], 100 * band["band_high"], color="#9a9a9a", alpha=0.25, lw=0)
        ax.plot([45, 100], [45, 100], color="black", lw=0.8, ls="--")
        for i, m in enumerate(models):
            g = part[part["model"] == m]
            ax.plot(100 * g["nominal"], 100 * g["realised"], "o-", ms=3, lw=1, color=colors.get(m, _color(i)), label=model_name(m))
        ax.set_title(f"{_days(int(h))}", fontsize=9)
        ax.set_xlabel("nominal coverage (%)")
    axes[0].set_ylabel("realised coverage (%)")
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8)
    fig.suptitle("Interval coverage against nominal (grey: 95% binomial band; dashed: perfect)")
    return to_svg(fig)


def rolling_chart(result: BacktestResult, window: int = ROLLING) -> str | None:
    base = result.scores.baseline
    horizons = [h for h in result.plan.horizons if base in common_rows(result.frame, h)]
    if not horizons:
        return None
    fig, _ = new_figure(1.0 + 2.0 * len(horizons))
    fig.clear()
    axes = fig.subplots(len(horizons), 1, squeeze=False, sharex=True)[:, 0]
    drawn = False
    for ax, h in zip(axes, horizons):
        by = common_rows(result.frame, h)
        b = crps_of(by[base])
        for i, (m, g) in enumerate(by.items()):
            if m == base or len(g) < window:
                continue
            diff = pd.Series(crps_of(g) - b, index=pd.DatetimeIndex(g["origin"])).rolling(window).mean().dropna()
            line = _thin(100 * diff)
            ax.plot(line.index, line.to_numpy(), lw=1, color=_colors(result.models).get(m, _color(i)), label=model_name(m))
            drawn = True
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(f"{_days(int(h))}", fontsize=9)
        ax.set_ylabel("CRPS difference (log-return %)", fontsize=8)
    if not drawn:
        return None
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    axes[-1].set_xlabel("forecast origin")
    fig.suptitle(f"Rolling {window}-origin mean CRPS difference against {model_name(base)} (below 0 = better)")
    return to_svg(fig)


def weights_chart(weights: pd.DataFrame, colors: dict[str, str]) -> str | None:
    meta = {"origin", "horizon", "p_up_source", "n_realised", "model"}
    if "model" in weights.columns and len(weights):  # one combining model per backtest in practice; draw the first
        weights = weights[weights["model"] == weights["model"].iloc[0]].dropna(axis=1, how="all")
    members = [c for c in weights.columns if c not in meta]
    if weights.empty or not members:
        return None
    horizons = sorted(weights["horizon"].unique())
    fig, _ = new_figure(1.0 + 2.0 * len(horizons))
    fig.clear()
    axes = fig.subplots(len(horizons), 1, squeeze=False, sharex=True)[:, 0]
    for ax, h in zip(axes, horizons):
        w = weights[weights["horizon"] == h].set_index("origin")[members].fillna(0.0).sort_index()
        w = _thin(w, MAX_POINTS // 2)  # a stacked area draws each edge twice
        ax.stackplot(pd.DatetimeIndex(w.index), *(100 * w[c].to_numpy() for c in members),
                     labels=[model_name(c) for c in members], colors=[colors.get(c, _color(i)) for i, c in enumerate(members)], alpha=0.85)
        ax.set_ylim(0, 100)
        ax.set_title(f"{_days(int(h))}", fontsize=9)
        ax.set_ylabel("weight (%)", fontsize=8)
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    axes[-1].set_xlabel("refit origin")
    fig.suptitle("Ensemble member weights at each refit (learned from realised forecasts only)")
    return to_svg(fig)


# --- tables -------------------------------------------------------------------------------------------------


SCORE_HEADERS = ("Model", "Horizon", "Forecasts", "CRPS", "CRPS skill", "50% cov.", "80% cov.", "90% cov.", "95% cov.",
                 "Kupiec 80% p", "Christoffersen 90% p", "Berkowitz p", "Log score", "AUC", "Brier", "Out-of-sample R²",
                 "Clark–West p", "DM p")


def score_rows(table: pd.DataFrame) -> list[list[str]]:
    return [[model_name(r.model), _days(int(r.horizon)), str(int(r.n)), fmt_num(r.crps, 5), pct(r.crps_skill, 2, True, NA),
             pct(r.cov50, 1, na=NA), pct(r.cov80, 1, na=NA), pct(r.cov90, 1, na=NA), pct(r.cov95, 1, na=NA),
             fmt_p(r.kupiec80_p), fmt_p(r.christoffersen90_p), fmt_p(r.berkowitz_p), fmt_num(r.log_score, 3), fmt_num(r.auc, 3),
             fmt_num(r.brier, 4), fmt_num(r.oos_r2, 4), fmt_p(r.clark_west_p), fmt_p(r.dm_p)]
            for r in table.itertuples()]


def skill_rows(skill: pd.DataFrame) -> list[list[str]]:
    return [[model_name(r.model), _days(int(r.horizon)), str(int(r.n)), pct(r.skill, 2, True, NA),
             fmt_interval(r.low, r.high, 2), fmt_p(r.dm_p)] for r in skill.itertuples()]


def coverage_rows(cov: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """One row per model and horizon, one column per nominal level: the realised share, starred outside the band."""
    levels = sorted(cov["nominal"].unique())
    headers = ["Model", "Horizon"] + [f"{pct(v, 0, na=NA)} interval" for v in levels]
    rows = []
    for (m, h), g in cov.groupby(["model", "horizon"], sort=False):
        by = g.set_index("nominal")
        rows.append([model_name(m), _days(int(h))] + [
            pct(by.at[v, "realised"], 1, na=NA) + ("" if by.at[v, "band_low"] <= by.at[v, "realised"] <= by.at[v, "band_high"]
                                                  else " *") for v in levels])
    return headers, rows


def _box(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A table (the report's one table block) in its box."""
    return f'<div class="tablebox">{B.to_html([B.Table.of(headers, rows)])}</div>'


def _figure(svg: str) -> str:
    """A chart in its own box: on a phone it keeps a readable width and scrolls sideways inside the box."""
    return f'<figure class="chart">{svg}</figure>'


# --- page ---------------------------------------------------------------------------------------------------


def build_page(result: BacktestResult) -> BacktestPage:
    """All facts and sections of the page from one backtest."""
    base = result.scores.baseline
    index = INDEX_NAMES.get(result.symbol, result.symbol)
    frame = result.frame
    realised = frame.loc[frame["y"].notna(), "target"]
    first, last = pd.Timestamp(frame["origin"].min()).date(), pd.Timestamp(frame["origin"].max()).date()
    data_to = pd.Timestamp(realised.max()).date() if len(realised) else None
    header = (f"Data as of {data_to} (the last outcome scored)" if data_to else "No outcome is known yet",
              f"origins {first} to {last}, every {_days(result.plan.step)}, {frame['origin'].nunique()} origins "
              "(all counts of days are trading days)",
              f"horizons {', '.join(_days(h) for h in result.plan.horizons)}; "
              f"{'expanding' if result.plan.window == 'expanding' else f'rolling {result.plan.window_length}-close'} "
              f"training window; models refitted every {result.plan.refit_every} origins",
              f"models: {', '.join(model_name(m) for m in result.models)}; seed {result.seed}; r2k {__version__}")
    skill = skill_table(result)
    verdict = result.scores.verdict.text(model_name, lambda h: f"over {_days(h)}")
    colors = _colors(result.models)
    sections: list[PageSection] = []
    if len(skill):
        sections.append(PageSection("skill", "Skill against climatology by horizon", _figure(skill_chart(skill, base, colors)) + _box(
            ("Model", "Horizon", "Forecasts", "CRPS skill", "95% interval", "DM p"), skill_rows(skill)),
            ("The interval is the 95% percentile interval of the skill from a stationary block bootstrap of the "
             f"paired CRPS (mean block about half a year of origins, {REPS:,} resamples); DM p is the Diebold–Mariano test "
             "with a HAC (Bartlett) variance. The exact method is in the forecasting documentation.",)))
    sections.append(PageSection("scores", "Score table", _box(SCORE_HEADERS, score_rows(result.scores.table)),
                                ("Coverage, PIT and Kupiec/Christoffersen tests use non-overlapping origins; DM and Clark–West "
                                 "use all origins with a HAC variance.",)))
    if len(result.scores.table):
        sections.append(PageSection("pit", "Calibration: PIT histograms", _figure(pit_chart(result))))
        cov = coverage_table(result)
        bands = cov.groupby(["horizon", "nominal"])[["band_low", "band_high"]].first()
        band_text = "; ".join(f"{_days(int(h))}: " + ", ".join(f"{pct(lv, 0, na=NA)} → {pct(r.band_low, 1, na=NA)}–{pct(r.band_high, 1, na=NA)}"
                                                            for (hh, lv), r in bands.iterrows() if hh == h)
                              for h in sorted(cov["horizon"].unique()))
        sections.append(PageSection("coverage", "Coverage against nominal", _figure(coverage_chart(cov, colors)) + _box(
            *coverage_rows(cov)),
            ("Realised share of outcomes inside each central interval; * marks a share outside the 95% binomial band, the "
             "range a calibrated model would show over the non-overlapping origins (" + band_text + ").",)))
        if (svg := rolling_chart(result)) is not None:
            sections.append(PageSection("rolling", "CRPS against climatology over time", _figure(svg)))
    if result.weights is not None and (svg := weights_chart(result.weights, colors)) is not None:
        sections.append(PageSection("weights", "Ensemble weights over time", _figure(svg)))
    return BacktestPage(f"{index} ({result.symbol}) forecast backtest", header, verdict, skill, tuple(sections))


def render(page: BacktestPage, notes: tuple[str, ...] = ()) -> str:
    """The page as one HTML document (Jinja autoescape; only the charts' SVG and the tables' HTML are marked safe)."""
    return environment().get_template("backtest.html.j2").render(page=page, notes=notes, how_to_read=HOW_TO_READ)


def to_html(result: BacktestResult) -> str:
    return render(build_page(result), result.notes)


def write_backtest_page(result: BacktestResult, path: Path) -> Path:
    """Render and write the page atomically (the file is replaced only once the rendering succeeded)."""
    return write_text(Path(path), to_html(result))
