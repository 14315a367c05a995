"""Ratings: the score of a forecast distribution mapped to a notch by the published rating map.

A rating rests on the outlook model's distribution of the h-day return at the origin (source.py), the
risk-free rate known at the origin, and the fixed cut points of rating_map.json (score.py documents the
score). The short-term rating is 4 weeks (20 trading days), the long-term rating 52 weeks (260); the
2-week (10-day) rating is reported alongside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from r2k.errors import R2KError
from r2k.models.base import Distribution
from r2k.outlook.rating_map import RatingMap
from r2k.outlook.scale import NOTCHES, frequencies, group_of
from r2k.outlook.score import components, frame_quantiles
from r2k.outlook.source import LONG, MEDIUM, SHORT, WEEKS

if TYPE_CHECKING:
    from r2k.store import Store

TERMS = {SHORT: "short-term", LONG: "long-term", MEDIUM: "very short-term"}


@dataclass(frozen=True)
class Rating:
    """One horizon's rating with the numbers it rests on."""

    horizon: int  # trading days
    notch: int  # 0 = Aaa .. 20 = C
    score: float
    sharpe: float
    q05: float
    p_loss10: float
    expected: float  # E[simple return] over the horizon
    rf: float  # risk-free return over the horizon
    p_up: float
    map_version: int

    @property
    def label(self) -> str:
        return NOTCHES[self.notch]

    @property
    def term(self) -> str:
        return TERMS.get(self.horizon, f"{self.horizon}-day")

    @property
    def weeks(self) -> int:
        return WEEKS.get(self.horizon, round(self.horizon / 5))

    @property
    def group(self) -> str:
        return group_of(self.notch)

    @property
    def frequency(self) -> float:
        """How often this notch was given on the calibration origins (by construction of the cut points)."""
        return frequencies()[self.notch]

    def rests_on(self) -> str:
        """One line on what the rating rests on, for people."""
        return (f"expected return {100 * self.expected:+.1f}% against "
                f"{100 * self.rf:.1f}% risk-free, risk-adjusted {self.sharpe:+.2f}; 5% worst case "
                f"{100 * self.q05:+.1f}%; chance of a loss beyond 10% {100 * self.p_loss10:.0f}%")

    def to_dict(self) -> dict[str, Any]:
        return {"horizon": self.horizon, "weeks": self.weeks, "term": self.term, "rating": self.label,
                "notch": self.notch, "group": self.group, "notch_frequency": self.frequency, "score": self.score,
                "sharpe": self.sharpe, "q05": self.q05, "p_loss10": self.p_loss10, "expected_return": self.expected,
                "risk_free": self.rf, "p_up": self.p_up, "map_version": self.map_version}


def rate(dist: Distribution, rf_h: float, horizon: int, rating_map: RatingMap) -> Rating:
    """The rating of one distribution of the ``horizon``-day log return."""
    m = rating_map.for_horizon(horizon)
    parts = components(dist.quantiles[None, :], rf_h)
    score = float(m.score(parts)[0])
    p = parts.iloc[0]
    return Rating(horizon, int(m.notch(score)), score, float(p["sharpe"]), float(p["q05"]), float(p["p_loss10"]),
                  float(p["expected"]), float(0.0 if rf_h != rf_h else rf_h), dist.p_up, rating_map.version)


def rate_frame(history: pd.DataFrame, rf_h: np.ndarray, rating_map: RatingMap) -> pd.DataFrame:
    """Score and notch for every row of a walk-forward frame of one horizon (vectorised :func:`rate`)."""
    h = int(history["horizon"].iloc[0])
    m = rating_map.for_horizon(h)
    parts = components(frame_quantiles(history), rf_h)
    score = m.score(parts)
    out = history[["origin", "target", "horizon", "y", "q05"]].reset_index(drop=True).copy()
    out["score"] = score
    out["notch"] = m.notch(score).astype(int)
    out["p_loss10"] = parts["p_loss10"].to_numpy()
    return out


# the rating table's category rows, aggregated from constituents by index weight (r2k.outlook.constituents)
CATEGORIES: tuple[str, ...] = ("Income statement", "Balance sheet", "Leverage", "Cash flow", "Profitability")
NOT_YET = "not yet available"


@dataclass(frozen=True)
class TableRow:
    """One row of the rating table: a category, its short- and long-term rating (or why there is none)."""

    category: str
    short_term: str | None
    long_term: str | None
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def category_rows(store: Store | None = None, as_of: date | None = None) -> tuple[TableRow, ...]:
    """The constituent category rows as of ``as_of`` (income statement, balance sheet, leverage, cash flow,
    profitability by index weight); each says why when it has no rating (no holdings or fundamentals stored)."""
    rows = None
    if store is not None:
        from r2k.outlook.constituents import store_report_rows

        try:
            rows = store_report_rows(store, as_of)
        except R2KError:
            rows = None
    if not rows:
        return tuple(TableRow(c, None, None, f"{NOT_YET}: needs constituent financials aggregated by index weight")
                     for c in CATEGORIES)

    def rating(x: str) -> str | None:
        return None if x in ("—", "", None) else x

    def basis(coverage: str, note: str) -> str:
        text = note.split(" (run ")[0] if note else ""  # the CLI hint stays in the terminal, not in the report
        cov = "" if coverage in ("—", "") else f"constituents covering {coverage}"
        return "; ".join(t for t in (cov, text) if t) or "constituent financials by index weight"

    return tuple(TableRow(label, rating(short), rating(long_), basis(cov, note)) for label, short, long_, cov, note in rows)


def rating_table(short: Rating, long: Rating, categories: tuple[TableRow, ...] | None = None) -> tuple[TableRow, ...]:
    """The seed's rating table: the index row from the forecasts, then the category rows."""
    index_row = TableRow("Index outlook (forecast distribution)", short.label, long.label,
                         "score of the forecast distribution (risk-adjusted excess return, 5% tail, P(loss > 10%))")
    return (index_row, *(category_rows() if categories is None else categories))
