"""Plotly figure specs (plain dicts) for the dashboard: the page embeds them as JSON and the served
Plotly bundle draws them. Long histories are thinned to at most ``MAX_POINTS`` points (every k-th close,
the last one always kept), which keeps the shape and the page light."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from r2k.words import COLORS, index_name, model_name

MAX_POINTS = 1500


def thin(series: pd.Series, max_points: int = MAX_POINTS) -> pd.Series:
    if len(series) <= max_points:
        return series
    k = math.ceil(len(series) / max_points)
    keep = np.zeros(len(series), dtype=bool)
    keep[::k] = True
    keep[-1] = True
    return series[keep]


def _dates(index: Any) -> list[str]:
    return [pd.Timestamp(d).date().isoformat() for d in index]


def _layout(title: str, ytitle: str, log: bool = False, **extra: Any) -> dict[str, Any]:
    """Dates on the x axis need no title; the legend sits under the axis, never on it."""
    return {"title": {"text": title}, "yaxis": {"title": {"text": ytitle}, "type": "log" if log else "linear"},
            "xaxis": {"title": {"text": ""}, "automargin": True}, "hovermode": "x unified",
            "margin": {"t": 48, "r": 16, "b": 40, "l": 64}, "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
            **extra}


def figure(chart_id: str, data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    return {"id": chart_id, "data": data, "layout": layout}


def line(series: pd.Series, name: str, color: str, **extra: Any) -> dict[str, Any]:
    s = thin(series.dropna())
    return {"type": "scatter", "mode": "lines", "name": name, "x": _dates(s.index), "y": [float(v) for v in s.to_numpy()],
            "line": {"color": color, "width": 1.4, **extra.pop("line", {})}, **extra}


def channel_chart(close: pd.Series, result: dict[str, Any]) -> dict[str, Any]:
    """The close on a log scale with each channel's top, centre and bottom: exp(a + b X ± 2 s), X in calendar
    days from the channel's origin."""
    channels = [c for c in (result.get("primary"), result.get("secondary")) if c]
    first = min(pd.Timestamp(c["start"]) for c in channels) if channels else close.index[0]
    shown = close.loc[first - pd.Timedelta(days=365):]
    data = [line(shown, f"{index_name(result.get('symbol', ''))} close", COLORS["index"])]
    for c, color in zip(channels, (COLORS["accent"], COLORS["up"])):
        days = pd.date_range(c["start"], c["end"], periods=60)
        x = (days - pd.Timestamp(c["origin"])).days.to_numpy(dtype=float)
        for label, k, dash in (("top", 2, "dash"), ("centre", 0, "solid"), ("bottom", -2, "dash")):
            y = np.exp(c["a"] + c["b"] * x + k * c["s"])
            data.append({"type": "scatter", "mode": "lines", "name": f"{c['role']} {label}", "x": _dates(days),
                         "y": [float(v) for v in y], "line": {"color": color, "width": 1.2, "dash": dash}})
    return figure("chart-channels", data, _layout("Index and trend channels (log scale)", "index level", log=True))


def shows_realised(realised: pd.Series) -> bool:
    """Whether the fan chart draws what happened after the origin (at least two closes: the origin's and one more)."""
    return len(realised) > 1


def fan_chart(close: pd.Series, fc: Any, model: str, realised: pd.Series) -> dict[str, Any]:
    """``model``'s price quantiles (5–95% and 25–75% bands, the median) at the forecast's horizons, joined by straight
    lines from the last close; the 60 closes before the origin; what actually happened after it when the data hold it."""
    bands = fc.price_quantiles(model)
    targets = {f.horizon: f.target for f in fc.forecasts if f.model == model}
    days = [fc.origin.date().isoformat(), *(targets[h].date().isoformat() for h in bands.index)]
    name = model_name(model)

    def col(level: float) -> list[float]:
        return [float(fc.last_close), *(float(v) for v in bands[level])]

    def band(level: float, label: str | None, **extra: Any) -> dict[str, Any]:
        return {"type": "scatter", "mode": "lines", "name": label or f"{name} {100 * level:.0f}%", "x": days, "y": col(level),
                "line": {"width": 0}, "showlegend": label is not None, "hovertemplate": "%{y:,.0f}", **extra}

    data = [line(close.loc[: fc.origin].iloc[-60:], f"{index_name(fc.symbol)} close", COLORS["index"]),
            band(0.05, None), band(0.95, f"{name} 5–95%", fill="tonexty", fillcolor="rgba(239,108,0,0.18)"),
            band(0.25, None), band(0.75, f"{name} 25–75%", fill="tonexty", fillcolor="rgba(239,108,0,0.35)"),
            {"type": "scatter", "mode": "lines+markers", "name": f"{name} median", "x": days, "y": col(0.5),
             "line": {"color": COLORS["accent"], "width": 1.4}, "hovertemplate": "%{y:,.0f}"}]
    if shows_realised(realised):
        data.append(line(realised, "what actually happened", COLORS["down"], line={"width": 2}))
    layout = _layout(f"{index_name(fc.symbol)}: {name} price quantiles from the close of {fc.origin.date()}", "index level (points)")
    layout["yaxis"]["tickformat"] = ",.0f"
    return figure("chart-fan", data, layout)


def skill_chart(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Rolling 52-week CRPS skill against climatology for each record that has one."""
    data = []
    for rec, color in zip(records, (COLORS["index"], COLORS["accent"])):
        pts = rec.get("rolling_skill") or []
        if pts:
            data.append({"type": "scatter", "mode": "lines+markers", "name": f"{rec['label']} record", "x": [p["date"] for p in pts],
                         "y": [p["skill"] for p in pts], "line": {"color": color}})
    layout = _layout("Rolling 52-week CRPS skill against climatology", "CRPS skill")
    layout["yaxis"]["tickformat"] = ".0%"
    layout["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
                         "line": {"color": c, "dash": "dot", "width": 1}} for y, c in ((-0.02, COLORS["accent"]), (-0.05, COLORS["down"]))]
    return figure("chart-skill", data, layout)


def relative_chart(close: pd.Series, bench: pd.Series | None, symbol: str, benchmark: str) -> dict[str, Any]:
    """Both indices rebased to 100 at the first common date of the last five years."""
    start = close.index[-1] - pd.DateOffset(years=5)
    c = close.loc[start:]
    data = [line(100 * c / c.iloc[0], index_name(symbol), COLORS["index"])]
    if bench is not None and len(bench.loc[start:]):
        b = bench.loc[start:]
        data.append(line(100 * b / b.iloc[0], index_name(benchmark), COLORS["benchmark"]))
    title = f"{index_name(symbol)} and {index_name(benchmark)}, last five years (rebased to 100)"
    return figure("chart-relative", data, _layout(title, "index (start = 100)"))


def event_chart(study: dict[str, Any]) -> dict[str, Any]:
    """Mean return after the events against the control windows, per horizon (percent)."""
    rows = study.get("results") or []
    x = [f"{r['horizon']} days" for r in rows]
    data = [{"type": "bar", "name": "after the events", "x": x, "y": [r["mean_event"] for r in rows], "marker": {"color": COLORS["accent"]},
             "hovertemplate": "%{y:.2%}"},
            {"type": "bar", "name": "other days (control)", "x": x, "y": [r["mean_control"] for r in rows],
             "marker": {"color": COLORS["benchmark"]}, "hovertemplate": "%{y:.2%}"}]
    layout = _layout(f"Mean return after {study['kind'].replace('-', ' ')} events and on other days", "mean return", barmode="group")
    layout["yaxis"]["tickformat"] = ".1%"
    layout["xaxis"]["title"]["text"] = "horizon (trading days)"
    layout["legend"]["y"] = -0.25
    return figure("chart-events", data, layout)


def factor_chart(factors: dict[str, Any]) -> dict[str, Any]:
    """Each factor's 10-year z-score as released by the as-of date (stale ones greyed), by name."""
    rows = [r for readings in factors.get("concepts", {}).values() for r in readings if r.get("z") is not None]
    rows.sort(key=lambda r: r["z"])
    colors = [COLORS["benchmark"] if r["stale"] else (COLORS["up"] if r["z"] >= 0 else COLORS["down"]) for r in rows]
    data = [{"type": "bar", "orientation": "h", "name": "z-score", "x": [r["z"] for r in rows], "y": [r["label"] for r in rows],
             "marker": {"color": colors}, "hovertemplate": "%{y}: %{x:+.2f}<extra></extra>"}]
    layout = _layout("Macro factors: 10-year z-score (grey: stale)", "", height=max(320, 22 * len(rows) + 120))
    layout["xaxis"]["title"]["text"] = "z-score (standard deviations from the 10-year mean)"
    layout["yaxis"] = {"automargin": True}
    layout["margin"]["l"] = 8
    layout["showlegend"] = False
    return figure("chart-factors", data, layout)
