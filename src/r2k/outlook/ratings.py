"""Risk grades: the downside measure of a forecast distribution (score.py) mapped to a notch by the published
rating map, with what it means in words.

A grade rests on the outlook model's distribution of the h-day return at the origin (source.py) and the fixed cut
points of rating_map.json. The short-term grade is 4 weeks (20 trading days), the long-term grade 52 weeks (260).
Aaa is the calmest outlook, C the most dangerous; a grade says nothing about the expected return (the return view,
return_view.py, does, apart from it).
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
from r2k.outlook.scale import MEANING, NOTCHES, frequencies, group_of
from r2k.outlook.score import definition, expected_shortfall, frame_scores
from r2k.outlook.source import TERMS, WEEKS

if TYPE_CHECKING:
    from r2k.store import Store


@dataclass(frozen=True)
class RiskGrade:
    """One horizon's risk grade with the numbers it rests on."""

    horizon: int  # trading days
    notch: int  # 0 = Aaa (calmest) .. 20 = C (most dangerous)
    score: float  # 5% expected shortfall of the h-day simple return
    share_worse: float  # share of the calibration weeks whose downside risk was lower than this one's
    q05: float  # the 5% quantile of the h-day simple return
    years: str  # the calibration weeks, for people ("1995–2015")
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

    def meaning(self) -> str:
        """The grade in words: "Ba2 — 4-week downside risk higher than in 55% of weeks 1995–2015 (Aaa calmest, C most
        dangerous)"."""
        return (f"{self.label} — {self.weeks}-week downside risk higher than in {100 * self.share_worse:.0f}% of weeks "
                f"{self.years} (Aaa calmest, C most dangerous)")

    def rests_on(self) -> str:
        """The numbers behind the grade, for people."""
        return (f"in the worst 5% of outcomes the index loses {100 * -self.score:.1f}% on average over {self.weeks} weeks "
                f"(5% quantile {100 * self.q05:+.1f}%); {MEANING[self.group]}")

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "notch": self.notch, "score": self.score, "horizon_days": self.horizon,
                "share_worse": self.share_worse, "definition": definition(self.horizon), "weeks": self.weeks,
                "group": self.group, "q05": self.q05, "meaning": self.meaning(), "map_version": self.map_version}


def grade(dist: Distribution, horizon: int, rating_map: RatingMap) -> RiskGrade:
    """The risk grade of one distribution of the ``horizon``-day log return."""
    m = rating_map.for_horizon(horizon)
    score = float(expected_shortfall(dist.quantiles)[0])
    return RiskGrade(horizon, int(m.notch(score)), score, float(m.share_worse(score)), float(np.expm1(dist.quantile(0.05))),
                     rating_map.years, rating_map.version)


def grade_frame(history: pd.DataFrame, rating_map: RatingMap) -> pd.DataFrame:
    """Score and notch for every row of a walk-forward frame of one horizon (vectorised :func:`grade`)."""
    m = rating_map.for_horizon(int(history["horizon"].iloc[0]))
    score = frame_scores(history)
    out = history[["origin", "target", "horizon", "y", "q05"]].reset_index(drop=True).copy()
    out["score"] = score
    out["notch"] = m.notch(score).astype(int)
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


def rating_table(short: RiskGrade, long: RiskGrade, categories: tuple[TableRow, ...] | None = None) -> tuple[TableRow, ...]:
    """The seed's rating table: the index row (the risk grades), then the category rows."""
    index_row = TableRow("Index downside risk (forecast distribution)", short.label, long.label,
                         f"5% expected shortfall of the forecast distribution against the weeks {short.years}")
    return (index_row, *(category_rows() if categories is None else categories))
