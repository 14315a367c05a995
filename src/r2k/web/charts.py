"""Plotly figure specs (plain dicts) for the dashboard: the page embeds them as JSON and the served
Plotly bundle draws them. Long histories are thinned to at most ``MAX_POINTS`` points (every k-th close,
the last one always kept), which keeps the shape and the page light."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

MAX_POINTS = 1500
from r2k.words import COLORS  # noqa: E402 - the one palette


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
    return {"title": {"text": title}, "yaxis": {"title": {"text": ytitle}, "type": "log" if log else "linear"},
            "xaxis": {"title": {"text": "date"}}, "hovermode": "x unified", "margin": {"t": 48, "r": 16, "b": 48, "l": 64},
            "legend": {"orientation": "h", "y": -0.2}, **extra}


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
    data = [line(shown, f"{result.get('symbol', '')} close", COLORS["index"])]
    for c, color in zip(channels, (COLORS["accent"], COLORS["up"])):
        days = pd.date_range(c["start"], c["end"], periods=60)
        x = (days - pd.Timestamp(c["origin"])).days.to_numpy(dtype=float)
        for label, k, dash in (("top", 2, "dash"), ("centre", 0, "solid"), ("bottom", -2, "dash")):
            y = np.exp(c["a"] + c["b"] * x + k * c["s"])
            data.append({"type": "scatter", "mode": "lines", "name": f"{c['role']} {label}", "x": _dates(days),
                         "y": [float(v) for v in y], "line": {"color": color, "width": 1.2, "dash": dash}})
    return figure("chart-channels", data, _layout("Index and trend channels (log scale)", "index level", log=True))


def fan_chart(past: pd.Series, origin: pd.Timestamp, last_close: float, bands: pd.DataFrame, model: str,
              realised: pd.Series | None) -> dict[str, Any]:
    """Price quantiles of ``model`` by target date (rows: target; columns 0.05 .. 0.95), the closes before the
    origin, and what actually happened after it when the data holds it."""
    days = [origin.date().isoformat(), *_dates(bands.index)]

    def col(level: float) -> list[float]:
        return [float(last_close), *(float(v) for v in bands[level])]

    data = [line(past, "close before the origin", COLORS["index"]),
            {"type": "scatter", "mode": "lines", "name": f"{model} 5%", "x": days, "y": col(0.05), "line": {"width": 0}, "showlegend": False},
            {"type": "scatter", "mode": "lines", "name": f"{model} 5–95%", "x": days, "y": col(0.95), "fill": "tonexty",
             "fillcolor": "rgba(239,108,0,0.18)", "line": {"width": 0}},
            {"type": "scatter", "mode": "lines", "name": f"{model} 25%", "x": days, "y": col(0.25), "line": {"width": 0}, "showlegend": False},
            {"type": "scatter", "mode": "lines", "name": f"{model} 25–75%", "x": days, "y": col(0.75), "fill": "tonexty",
             "fillcolor": "rgba(239,108,0,0.35)", "line": {"width": 0}},
            {"type": "scatter", "mode": "lines", "name": f"{model} median", "x": days, "y": col(0.5), "line": {"color": COLORS["accent"], "width": 1.4}}]
    if realised is not None and len(realised):
        data.append(line(realised, "what actually happened", COLORS["down"], line={"width": 2}))
    return figure("chart-fan", data, _layout(f"Price quantiles from the close of {origin.date()}", "index level"))


def skill_chart(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Rolling 52-week CRPS skill against climatology for each record that has one."""
    data = []
    for rec, color in zip(records, (COLORS["index"], COLORS["accent"])):
        pts = rec.get("rolling_skill") or []
        if pts:
            data.append({"type": "scatter", "mode": "lines+markers", "name": f"{rec['label']} record", "x": [p["date"] for p in pts],
                         "y": [p["skill"] for p in pts], "line": {"color": color}})
    layout = _layout("Rolling 52-week CRPS skill against climatology", "skill (fraction)")
    layout["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y,
                         "line": {"color": c, "dash": "dot", "width": 1}} for y, c in ((-0.02, COLORS["accent"]), (-0.05, COLORS["down"]))]
    return figure("chart-skill", data, layout)


def relative_chart(close: pd.Series, bench: pd.Series | None, symbol: str, benchmark: str) -> dict[str, Any]:
    """Both indices rebased to 100 at the first common date of the last five years."""
    start = close.index[-1] - pd.DateOffset(years=5)
    c = close.loc[start:]
    data = [line(100 * c / c.iloc[0], symbol, COLORS["index"])]
    if bench is not None and len(bench.loc[start:]):
        b = bench.loc[start:]
        data.append(line(100 * b / b.iloc[0], benchmark, COLORS["benchmark"]))
    return figure("chart-relative", data, _layout(f"{symbol} and {benchmark}, last five years (rebased to 100)", "index (start = 100)"))
