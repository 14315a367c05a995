"""Words for people, each defined once: the human names of indices and models, the one set of number formatters
and the one palette, shared by the terminal, the report and the dashboard (registered there as Jinja filters).

JSON keeps fractions (0.0123); only these strings for people say "1.23%". A missing value (None, NaN, text) prints
as ``na``: an empty cell in the terminal (the default), "n/a" in the report (``na=NA``). Imports nothing heavy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# ------------------------------------------------------------------------------------------------- names
INDEX_NAMES = {"RUT": "Russell 2000", "GSPC": "S&P 500", "IWM": "iShares Russell 2000 ETF"}
MODEL_NAMES = {"garch": "GJR-GARCH", "random_walk": "random walk", "climatology": "climatology", "ensemble": "ensemble",
               "garch_hm": "GARCH (historical mean)", "implied_vol": "implied volatility", "har": "HAR",
               "gbm": "gradient boosting", "rnn": "recurrent network", "combined": "the combination"}
MODEL_LABELS = {"garch": "GJR-GARCH(1,1) with skew-t errors (volatility model, constant mean)",
                "ensemble": "the ensemble of the forecast models", "climatology": "climatology (all past h-day returns)",
                "random_walk": "random walk (zero-mean normal, 250-day volatility)",
                "garch_hm": "GJR-GARCH re-centred on the historical mean", "implied_vol": "VIX-scaled historical simulation",
                "har": "HAR regression of realised variance on VIX",
                "gbm": "gradient boosting (LightGBM) on market and macro predictors", "rnn": "recurrent network (GRU)"}


def index_name(series_id: str) -> str:
    """The human name of an index ('Russell 2000'), else the id as given (upper case)."""
    return INDEX_NAMES.get(series_id.upper(), series_id.upper())


def model_name(model: str) -> str:
    """The short human name of a model ('GJR-GARCH'), else the id."""
    return MODEL_NAMES.get(model, model)


# ---------------------------------------------------------------------------------------------- numbers
NA = "n/a"  # the report's word for a missing value
# return periods of the analytics (r2k.analytics.returns) in words
PERIOD_NAMES = {"1w": "1 week", "1m": "1 month", "3m": "3 months", "mtd": "month to date", "ytd": "year to date",
                "1y": "1 year", "3y": "3 years", "5y": "5 years"}


def missing(x: Any) -> bool:
    """None, NaN, or a value that is not a number."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _fixed(v: float, digits: int, sign: bool) -> str:
    """``v`` with ``digits`` decimals and thousands separators; a value that rounds to zero is '0.0', never '-0.0'
    or '+0.0'."""
    text = f"{v:{'+' if sign else ''},.{digits}f}"
    return text.lstrip("+-") if text.strip("+-0.,") == "" else text


def num(x: Any, digits: int = 2, sign: bool = False, na: str = "") -> str:
    """A number with thousands separators: 3014.34 -> '3,014.34' ('+3,014.34' with ``sign``)."""
    return na if missing(x) else _fixed(float(x), digits, sign)


def pct(x: Any, digits: int = 1, sign: bool = False, na: str = "") -> str:
    """A fraction as a percentage: 0.0123 -> '1.2%' ('+1.2%' with ``sign``)."""
    return na if missing(x) else _fixed(100 * float(x), digits, sign) + "%"


def count(x: Any, na: str = "") -> str:
    """A whole number with thousands separators (a count stored as 1.0 prints as '1')."""
    return na if missing(x) else f"{round(float(x)):,}"


def p_value(x: Any, na: str = "") -> str:
    """A p-value to 3 significant digits; below 0.001 as '<0.001'."""
    if missing(x):
        return na
    v = float(x)
    return "<0.001" if v < 0.001 else f"{v:.3g}"


def p_text(p: float) -> str:
    """A p-value in a sentence: "p < 0.001" rather than "p = 0", three significant digits otherwise."""
    if p != p:
        return "p not computable"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3g}"


def weeks(trading_days: int) -> str:
    """An outlook horizon in weeks (5 trading days each): 20 -> '4 weeks', 5 -> '1 week', 7 -> '7 trading days'."""
    n, rest = divmod(int(trading_days), 5)
    if rest:
        return f"{trading_days} trading days"
    return f"{n} week" if n == 1 else f"{n} weeks"


def day(x: Any) -> str:
    """An ISO date (a date, a timestamp or its ISO string) as YYYY-MM-DD; blank when missing."""
    if x is None:
        return ""
    text = x.date().isoformat() if hasattr(x, "date") and callable(x.date) else str(x)
    return text[:10]


def jinja_filters(na: str = NA) -> dict[str, Callable[..., str]]:
    """The formatters as Jinja filters (report and dashboard templates): ``pct`` is signed, ``upct`` is not."""
    return {"pct": lambda x, d=1: pct(x, d, True, na), "upct": lambda x, d=0: pct(x, d, False, na),
            "num": lambda x, d=2: num(x, d, na=na), "count": lambda x: count(x, na), "p_value": lambda x: p_value(x, na)}


# ---------------------------------------------------------------------------------------------- palette
# the index, its benchmark, rises, falls and a highlight (a model's forecast, a second line); charts everywhere
COLORS = {"index": "#1f4e79", "benchmark": "#9a9a9a", "up": "#2e7d32", "down": "#c62828", "accent": "#ef6c00"}
