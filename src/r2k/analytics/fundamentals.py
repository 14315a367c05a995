"""Point-in-time fundamentals of one company from its XBRL facts: trailing twelve months and fiscal years.

Input: the company's facts *filed on or before the as-of date* (``store.constituents.load_facts`` does
that filter), one row per tag, period and filing. Per concept and period the highest-priority tag wins,
then the latest filing known at the as-of date (so a restatement counts only from the day it was filed).

Flows (revenue, income, cash flow) are reported as quarters and years to date; discrete quarters are
derived by differences (Q4 = year - nine months), and the trailing twelve months (TTM) is the sum of
four consecutive quarters, or the fiscal year when it ends at the latest quarter. Balances are the
values at the period end.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

QUARTER_DAYS = (80, 100)
YEAR_DAYS = (350, 380)
STALE_DAYS = 270  # a latest quarter older than this at the as-of date is stale (no rating)
NEAR_DAYS = 45  # tolerance when matching a balance to a period end


def resolve(facts: pd.DataFrame, tag_rank: dict[str, int]) -> pd.DataFrame:
    """One value per (concept, period_end, days): the best tag, then the latest filing."""
    if facts.empty:
        return facts.assign(start=pd.Series(dtype="datetime64[us]"))
    f = facts.assign(rank=facts["tag"].map(tag_rank).fillna(99))
    f = f.sort_values(["concept", "period_end", "days", "rank", "filed"], ascending=[True, True, True, True, False])
    f = f.drop_duplicates(["concept", "period_end", "days"], keep="first")
    f = f.assign(start=f["period_end"] - pd.to_timedelta(f["days"], unit="D"))
    return f.reset_index(drop=True)


EPOCH = date(1970, 1, 1)
Rows = list[tuple[int, int, float]]  # (period end as days since 1970-01-01, days covered, value)


def _day(d: int) -> date:
    return EPOCH + timedelta(days=int(d))


def _year_before(d: int) -> int:
    x = _day(d)
    try:
        return (x.replace(year=x.year - 1) - EPOCH).days
    except ValueError:  # 29 February
        return (x.replace(year=x.year - 1, day=28) - EPOCH).days


def _rows(r: pd.DataFrame) -> dict[str, Rows]:
    """The resolved facts as plain tuples per concept (the per-company loop is too hot for pandas)."""
    out: dict[str, Rows] = {}
    ends = r["period_end"].to_numpy("datetime64[D]").astype(np.int64)
    for c, e, d, v in zip(r["concept"].to_numpy(), ends, r["days"].to_numpy(np.int64), r["value"].to_numpy(float)):
        out.setdefault(str(c), []).append((int(e), int(d), float(v)))
    return out


def _quarters(rows: Rows) -> dict[int, float]:
    """Discrete quarters by end day, from quarter and year-to-date facts."""
    spans = {(e - d, e): v for e, d, v in rows if d > 0}
    out = {e: v for (s, e), v in spans.items() if QUARTER_DAYS[0] <= e - s <= QUARTER_DAYS[1]}
    # a longer span minus a shorter one with the same start leaves the quarter at its end
    by_start: dict[int, list[tuple[int, float]]] = {}
    for (s, e), v in spans.items():
        by_start.setdefault(s, []).append((e, v))
    for items in by_start.values():
        items.sort()
        for (e1, v1), (e2, v2) in zip(items, items[1:]):
            if e2 not in out and QUARTER_DAYS[0] <= e2 - e1 <= QUARTER_DAYS[1]:
                out[e2] = v2 - v1
    return out


def quarters(flow: pd.DataFrame) -> pd.Series:
    """Discrete quarterly values of one resolved flow concept, indexed by quarter end."""
    q = _quarters(_rows(flow).get(str(flow["concept"].iloc[0]), []) if len(flow) else [])
    keys = sorted(q)
    return pd.Series([q[k] for k in keys], index=pd.DatetimeIndex([_day(k) for k in keys], dtype="datetime64[us]"), dtype="float64")


class Flow:
    """One flow concept's discrete quarters and fiscal years, computed once."""

    def __init__(self, rows: Rows) -> None:
        self.q = _quarters(rows)
        self.qe = sorted(self.q)
        self.y = {e: v for e, d, v in rows if YEAR_DAYS[0] <= d <= YEAR_DAYS[1]}
        self._ttm: dict[int, float] = {}

    def ttm(self, end: int) -> float:
        """The twelve months ending at ``end``: the fiscal year ending then, else four consecutive quarters."""
        if end not in self._ttm:
            self._ttm[end] = self._compute(end)
        return self._ttm[end]

    def _compute(self, end: int) -> float:
        if end in self.y:
            return self.y[end]
        i = bisect.bisect_left(self.qe, end)
        if i >= len(self.qe) or self.qe[i] != end or i < 3:
            return float("nan")
        ends = self.qe[i - 3 : i + 1]
        if not all(QUARTER_DAYS[0] <= b - a <= QUARTER_DAYS[1] for a, b in zip(ends, ends[1:])):
            return float("nan")
        return float(sum(self.q[e] for e in ends))

    def ends(self) -> list[int]:
        """Period ends with a computable TTM, oldest first."""
        return [e for e in sorted(set(self.q) | set(self.y)) if not math.isnan(self.ttm(e))]

    def near(self, end: int, days: int = 20) -> float:
        """The TTM of the period ending within ``days`` of ``end``."""
        for e in self.ends():
            if abs(e - end) <= days:
                return self.ttm(e)
        return float("nan")


class Balance:
    """One balance concept's values at period ends, for fast look-ups."""

    def __init__(self, rows: Rows) -> None:
        inst = sorted((e, v) for e, d, v in rows if d == 0)
        self.ends = [e for e, _ in inst]
        self.values = [v for _, v in inst]

    def at(self, end: int) -> float:
        """The balance at ``end`` (or the nearest period end within NEAR_DAYS before it)."""
        i = bisect.bisect_right(self.ends, end) - 1
        if i < 0 or end - self.ends[i] > NEAR_DAYS:
            return float("nan")
        return self.values[i]

    def last(self, end: int) -> float:
        """The latest value dated on or before ``end`` (share counts are dated near the filing, not a period end)."""
        i = bisect.bisect_right(self.ends, end) - 1
        return float("nan") if i < 0 else self.values[i]


@dataclass(frozen=True)
class Period:
    """The inputs of the ratios for one twelve-month period ending ``end`` (NaN = not reported)."""

    end: date
    flows: dict[str, float]
    balances: dict[str, float]
    prior_balances: dict[str, float] = field(default_factory=dict)  # a year earlier, for averages
    prior_revenue: float = float("nan")


@dataclass(frozen=True)
class Fundamentals:
    """A company's periods known at ``as_of``: latest TTM, TTM a year earlier, and fiscal years (oldest first)."""

    as_of: date
    latest: Period | None
    year_ago: Period | None
    years: tuple[Period, ...]
    note: str | None = None
    shares: float = float("nan")  # the latest share count reported by the as-of date


FLOWS = ("revenue", "operating_income", "net_income", "interest_expense", "depreciation", "operating_cash_flow", "capex")
BALANCES = ("assets", "current_assets", "current_liabilities", "liabilities", "equity", "debt", "cash")


def fundamentals(facts: pd.DataFrame, as_of: date, tag_rank: dict[str, int]) -> Fundamentals:
    """The company's periods from its facts filed by ``as_of`` (filtered again here: never trust the caller)."""
    facts = facts[facts["filed"] <= pd.Timestamp(as_of)]
    rows = _rows(resolve(facts, tag_rank))
    flow = {c: Flow(rows.get(c, [])) for c in FLOWS}
    bal = {c: Balance(rows.get(c, [])) for c in BALANCES}
    anchor = flow["revenue"] if flow["revenue"].q or flow["revenue"].y else flow["net_income"]
    ends = anchor.ends()
    if not ends:
        return Fundamentals(as_of, None, None, (), "no quarterly or annual results filed")
    latest_end = ends[-1]
    if (as_of - _day(latest_end)).days > STALE_DAYS:
        return Fundamentals(as_of, None, None, (), f"latest results are for {_day(latest_end)}, over {STALE_DAYS} days old")

    def period(end: int) -> Period:
        prior = _year_before(end)
        return Period(_day(end), {c: flow[c].ttm(end) for c in FLOWS}, {c: bal[c].at(end) for c in BALANCES},
                      {c: bal[c].at(prior) for c in BALANCES}, flow["revenue"].near(prior))

    target = _year_before(latest_end)
    year_ago = [e for e in ends if abs(e - target) <= 20]
    years = sorted(anchor.y)[-5:]
    shares = Balance(rows.get("shares", [])).last((as_of - EPOCH).days)
    return Fundamentals(as_of, period(latest_end), period(year_ago[-1]) if year_ago else None,
                        tuple(period(e) for e in years), shares=shares)
