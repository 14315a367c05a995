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

from dataclasses import dataclass, field
from datetime import date

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


def quarters(flow: pd.DataFrame) -> pd.Series:
    """Discrete quarterly values indexed by quarter end, from quarter and year-to-date facts of one concept."""
    spans: dict[tuple[pd.Timestamp, pd.Timestamp], float] = {
        (r.start, r.period_end): float(r.value) for r in flow.itertuples() if r.days > 0}
    out: dict[pd.Timestamp, float] = {}
    for (s, e), v in spans.items():
        if QUARTER_DAYS[0] <= (e - s).days <= QUARTER_DAYS[1]:
            out[e] = v
    # a longer span minus a shorter one with the same start leaves the quarter at its end
    by_start: dict[pd.Timestamp, list[tuple[pd.Timestamp, float]]] = {}
    for (s, e), v in spans.items():
        by_start.setdefault(s, []).append((e, v))
    for s, items in by_start.items():
        items.sort()
        for (e1, v1), (e2, v2) in zip(items, items[1:]):
            if e2 not in out and QUARTER_DAYS[0] <= (e2 - e1).days <= QUARTER_DAYS[1]:
                out[e2] = v2 - v1
    keys = sorted(out)
    return pd.Series([out[k] for k in keys], index=pd.DatetimeIndex(keys, dtype="datetime64[us]"), dtype="float64")


def annual(flow: pd.DataFrame) -> pd.Series:
    """Fiscal-year values indexed by year end."""
    f = flow[(flow["days"] >= YEAR_DAYS[0]) & (flow["days"] <= YEAR_DAYS[1])]
    return pd.Series(f["value"].to_numpy(float), index=pd.DatetimeIndex(f["period_end"]), dtype="float64").sort_index()


class Flow:
    """One flow concept's discrete quarters and fiscal years, computed once."""

    def __init__(self, facts: pd.DataFrame) -> None:
        self.q = quarters(facts)
        self.y = annual(facts)
        self._ttm: dict[pd.Timestamp, float] = {}

    def ttm(self, end: pd.Timestamp) -> float:
        """The twelve months ending at ``end``: the fiscal year ending then, else four consecutive quarters."""
        if end not in self._ttm:
            self._ttm[end] = self._compute(end)
        return self._ttm[end]

    def _compute(self, end: pd.Timestamp) -> float:
        if end in self.y.index:
            return float(self.y.loc[end])
        q = self.q[self.q.index <= end]
        if len(q) < 4 or q.index[-1] != end:
            return float("nan")
        last4 = q.iloc[-4:]
        gaps = np.diff(last4.index.to_numpy()).astype("timedelta64[D]").astype(int)
        if not ((gaps >= QUARTER_DAYS[0]) & (gaps <= QUARTER_DAYS[1])).all():
            return float("nan")
        return float(last4.sum())

    def ends(self) -> list[pd.Timestamp]:
        """Period ends with a computable TTM, oldest first."""
        return [e for e in sorted(set(self.q.index) | set(self.y.index)) if not np.isnan(self.ttm(e))]

    def near(self, end: pd.Timestamp, days: int = 20) -> float:
        """The TTM of the period ending within ``days`` of ``end``."""
        for e in self.ends():
            if abs((e - end).days) <= days:
                return self.ttm(e)
        return float("nan")


class Balance:
    """One balance concept's values at period ends, for fast look-ups."""

    def __init__(self, facts: pd.DataFrame) -> None:
        f = facts[facts["days"] == 0].sort_values("period_end")
        self.ends = f["period_end"].to_numpy("datetime64[us]")
        self.values = f["value"].to_numpy(float)

    def at(self, end: pd.Timestamp) -> float:
        """The balance at ``end`` (or the nearest period end within NEAR_DAYS before it)."""
        i = int(np.searchsorted(self.ends, np.datetime64(end, "us"), side="right")) - 1
        if i < 0 or (end - pd.Timestamp(self.ends[i])).days > NEAR_DAYS:
            return float("nan")
        return float(self.values[i])


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


FLOWS = ("revenue", "operating_income", "net_income", "interest_expense", "depreciation", "operating_cash_flow", "capex")
BALANCES = ("assets", "current_assets", "current_liabilities", "liabilities", "equity", "debt", "cash")


def fundamentals(facts: pd.DataFrame, as_of: date, tag_rank: dict[str, int]) -> Fundamentals:
    """The company's periods from its facts filed by ``as_of`` (filtered again here: never trust the caller)."""
    facts = facts[facts["filed"] <= pd.Timestamp(as_of)]
    r = resolve(facts, tag_rank)
    by = {c: g for c, g in r.groupby("concept")}
    empty = r.iloc[0:0]
    flow = {c: Flow(by.get(c, empty)) for c in FLOWS}
    bal = {c: Balance(by.get(c, empty)) for c in BALANCES}
    anchor = flow["revenue"] if len(flow["revenue"].y) or len(flow["revenue"].q) else flow["net_income"]
    ends = anchor.ends()
    if not ends:
        return Fundamentals(as_of, None, None, (), "no quarterly or annual results filed")
    latest_end = ends[-1]
    if (pd.Timestamp(as_of) - latest_end).days > STALE_DAYS:
        return Fundamentals(as_of, None, None, (), f"latest results are for {latest_end.date()}, over {STALE_DAYS} days old")

    def period(end: pd.Timestamp) -> Period:
        prior = end - pd.DateOffset(years=1)
        return Period(
            end.date(),
            {c: flow[c].ttm(end) for c in FLOWS},
            {c: bal[c].at(end) for c in BALANCES},
            {c: bal[c].at(prior) for c in BALANCES},
            flow["revenue"].near(prior),
        )

    target = latest_end - pd.DateOffset(years=1)
    year_ago = [e for e in ends if abs((e - target).days) <= 20]
    return Fundamentals(as_of, period(latest_end), period(year_ago[-1]) if year_ago else None,
                        tuple(period(e) for e in anchor.y.index[-5:]))
