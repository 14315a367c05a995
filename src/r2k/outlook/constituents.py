"""Category ratings of the index from its constituents, weighted by index weight.

The index row of a category is the weight-averaged notch score over the constituents rated in it, with
the share of index weight that was rated (coverage) beside it. Below ``MIN_COVERAGE`` the row says
"insufficient coverage" instead of a notch: an average over a small, self-selected part of the index
would misstate the whole. Each row also carries its sector breakdown and the distribution of notches
(weight per broad grade), not only the average.

Point in time: holdings are the latest snapshot dated on or before the as-of date, and a company's
facts count only from the day they were filed. The per-company work (parse, score) is a list of
independent tasks run serially, on local processes or on Dask (:mod:`r2k.parallel`); results are sorted
by ticker, so they never depend on where a task ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from r2k.analytics.fundamentals import Fundamentals, fundamentals
from r2k.analytics.holdings import HoldingsChange, HoldingsProfile, change, profile
from r2k.providers.holdings import equity_weights
from r2k.outlook.scale import GRADE_MID, grade, notch
from r2k.outlook.scorecard import CATEGORIES, CompanyRating, rate_company
from r2k.parallel import Executor, chunked
from r2k.providers.sec import TAG_CONCEPT
from r2k.store.constituent_prices import latest_closes, price_id
from r2k.store.constituents import company_log, load_facts, load_holdings, snapshot_dates
from r2k.store.duck import Store

MIN_COVERAGE = 0.5  # share of index weight that must be rated for an index row
CHUNK = 100  # companies per task
FETCH_HINT = "r2k constituents fetch"
IMPORT_HINT = "r2k constituents import FILE"
TAG_RANK = {t: i for t, (_, i) in TAG_CONCEPT.items()}


@dataclass(frozen=True)
class CategoryRow:
    """One category of the index: notches, coverage, sector breakdown, notch distribution."""

    category: str
    label: str
    short_term: str | None
    long_term: str | None
    short_score: float
    long_score: float
    coverage: float  # share of index weight with a short-term rating
    long_coverage: float
    rated: int
    note: str | None
    sectors: dict[str, dict[str, Any]] = field(default_factory=dict)
    distribution: dict[str, float] = field(default_factory=dict)  # broad grade -> share of rated weight (short term)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class CategoryRatings:
    """The index's category ratings at ``as_of`` from the holdings of ``holdings_date``."""

    fund: str
    as_of: date
    holdings_date: date
    min_coverage: float
    companies: int
    with_fundamentals: int
    rows: tuple[CategoryRow, ...]
    profile: HoldingsProfile
    change: HoldingsChange | None
    ratings: tuple[CompanyRating, ...] = ()
    note: str | None = None
    market: dict[str, float] = field(default_factory=dict)  # priced weight share, weighted earnings yield

    def to_dict(self, companies: bool = False) -> dict:
        d = {
            "fund": self.fund, "as_of": self.as_of, "holdings_date": self.holdings_date,
            "min_coverage": self.min_coverage, "companies": self.companies, "with_fundamentals": self.with_fundamentals,
            "note": self.note, "rows": [r.to_dict() for r in self.rows], "holdings": self.profile.to_dict(),
            "change": self.change.to_dict() if self.change else None, "market": self.market,
        }
        if companies:
            d["ratings"] = [r.to_dict() for r in self.ratings]
        return d

    def summary(self) -> str:
        lines = [f"{self.fund} constituents on {self.as_of} (holdings of {self.holdings_date}): "
                 f"{self.with_fundamentals:,} of {self.companies:,} companies with fundamentals"]
        for label, short, long_, cov, note in report_rows(self):
            lines.append(f"  {label}: short term {short}, long term {long_}, coverage {cov}" + (f" ({note})" if note else ""))
        lines.append("  " + self.profile.summary())
        return "\n".join(lines)


def report_rows(result: CategoryRatings | None, reason: str | None = None) -> list[tuple[str, str, str, str, str]]:
    """Rows (category, short term, long term, coverage, note) for the report's rating table.

    With no result, every row says why (``reason``), e.g. "unavailable: no fundamentals stored".
    """
    if result is None:
        return [(label, "—", "—", "—", reason or "unavailable") for label in CATEGORIES.values()]
    return [(r.label, r.short_term or "—", r.long_term or "—", f"{100 * r.coverage:.0f}% of index weight", r.note or "")
            for r in result.rows]


def store_report_rows(store: Store, as_of: date | None = None, fund: str = "IWM") -> list[tuple[str, str, str, str, str]]:
    """The report's rows straight from the store, with the reason when holdings or fundamentals are missing."""
    if not snapshot_dates(store, fund, as_of):
        return report_rows(None, f"unavailable: no {fund} holdings stored (run '{IMPORT_HINT}')")
    if (company_log(store)["status"] == "ok").sum() == 0:
        return report_rows(None, f"unavailable: no fundamentals stored (run '{FETCH_HINT}')")
    return report_rows(index_category_ratings(store, as_of, fund=fund))


def index_category_ratings(store: Store, as_of: date | None = None, *, fund: str = "IWM", scheduler: Any = None,
                           n_jobs: int = 1, min_coverage: float = MIN_COVERAGE, chunk: int = CHUNK) -> CategoryRatings:
    """The category rating table of the index at ``as_of`` (default: the latest holdings or filing date)."""
    hdate, frame = load_holdings(store, fund, as_of)
    log = company_log(store)
    ok = log[log["status"] == "ok"]
    if as_of is None:  # the later of the holdings and the last filing, never after the fetch that saw that filing
        filed = pd.to_datetime(ok["last_filed"]).where(pd.to_datetime(ok["last_filed"]) <= pd.to_datetime(ok["fetched_at"]))
        last_filed = filed.max() if len(ok) else None
        as_of = max(hdate, pd.Timestamp(last_filed).date()) if last_filed is not None and not pd.isna(last_filed) else hdate
    eq = equity_weights(frame)
    ciks = dict(zip(ok["ticker"], ok["cik"].astype("int64")))
    facts = load_facts(store, as_of, sorted(set(ciks.values())))
    by_cik = {int(c): g for c, g in facts.groupby("cik")} if len(facts) else {}
    closes = latest_closes(store, as_of)
    tasks = [(r.ticker, r.name, r.sector, float(r.weight), by_cik.get(ciks.get(r.ticker, -1)),
              closes.get(price_id(r.ticker), float("nan"))) for r in eq.itertuples()]
    with Executor(scheduler, n_jobs) as ex:
        parts = ex.map(rate_chunk, chunked(tasks, chunk), as_of)
    ratings = tuple(sorted((r for part in parts for r in part), key=lambda r: r.ticker))
    dates = snapshot_dates(store, fund, as_of)
    moved = None
    if len(dates) >= 2:
        _, old = load_holdings(store, fund, dates[-2])
        moved = change(old, dates[-2], frame, hdate)
    n_fund = sum(1 for r in ratings if r.period_end is not None)
    note = None if n_fund else f"unavailable: no fundamentals stored (run '{FETCH_HINT}')"
    return CategoryRatings(fund.upper(), as_of, hdate, min_coverage, len(ratings), n_fund,
                           aggregate(ratings, min_coverage, *([note] if note else [])), profile(frame, hdate), moved, ratings, note,
                           market_summary(ratings))


def market_summary(ratings: Sequence[CompanyRating]) -> dict[str, float]:
    """Share of index weight with a market value, and the index earnings yield over those companies
    (aggregate earnings / aggregate market value, weighted by index weight through the caps themselves)."""
    priced = [r for r in ratings if r.market.get("market_cap", 0) > 0 and not np.isnan(r.market.get("earnings_yield", np.nan))]
    total = sum(r.weight for r in ratings)
    if not priced or total <= 0:
        return {"coverage": 0.0}
    w = np.array([r.weight for r in priced])
    ey = np.array([r.market["earnings_yield"] for r in priced])
    return {"coverage": float(w.sum() / total), "earnings_yield": float(np.average(ey, weights=w))}


def rate_chunk(tasks: Sequence[tuple], as_of: date) -> list[CompanyRating]:
    """Score a chunk of companies (one task of the fan-out; pure, so it may run anywhere)."""
    empty = pd.DataFrame(columns=["cik", "concept", "tag", "unit", "period_end", "days", "value", "filed"])
    out = []
    for ticker, name, sector, weight, facts, *close in tasks:
        f = facts if facts is not None else empty
        fund = fundamentals(f, as_of, TAG_RANK) if len(f) else Fundamentals(as_of, None, None, (), "no fundamentals stored")
        out.append(rate_company(ticker, name, sector, weight, fund, close[0] if close else float("nan")))
    return out


def _wavg(scores: np.ndarray, weights: np.ndarray) -> float:
    ok = ~np.isnan(scores)
    return float(np.average(scores[ok], weights=weights[ok])) if ok.any() and weights[ok].sum() > 0 else float("nan")


def aggregate(ratings: Sequence[CompanyRating], min_coverage: float = MIN_COVERAGE,
              nothing_rated: str = "unavailable: no constituent rated") -> tuple[CategoryRow, ...]:
    """Index rows: weight-averaged notch scores over rated companies, coverage, sectors, distribution."""
    w = np.array([r.weight for r in ratings], dtype=float)
    total = w.sum()
    sectors = np.array([r.sector for r in ratings], dtype=object)
    rows = []
    for cat, label in CATEGORIES.items():
        short = np.array([r.categories[cat].short_term for r in ratings], dtype=float)
        long_ = np.array([r.categories[cat].long_term for r in ratings], dtype=float)
        cov = float(w[~np.isnan(short)].sum() / total) if total > 0 else 0.0
        lcov = float(w[~np.isnan(long_)].sum() / total) if total > 0 else 0.0
        s_score, l_score = _wavg(short, w), _wavg(long_, w)
        note = None
        if cov < min_coverage:
            note = (f"insufficient coverage: {100 * cov:.0f}% of index weight rated, {100 * min_coverage:.0f}% needed"
                    if cov > 0 else nothing_rated)
        short_notch = notch(s_score) if cov >= min_coverage else None
        long_notch = notch(l_score) if lcov >= min_coverage else None
        if note is None and long_notch is None:
            note = f"long term: insufficient coverage ({100 * lcov:.0f}% of index weight has five-year history)"
        by_sector = {}
        for sec in sorted(set(sectors)):
            m = sectors == sec
            sw = w[m].sum()
            rated = ~np.isnan(short[m])
            by_sector[str(sec)] = {
                "weight": float(sw / total) if total else 0.0,
                "coverage": float(w[m][rated].sum() / sw) if sw else 0.0,
                "short_term": notch(_wavg(short[m], w[m])), "long_term": notch(_wavg(long_[m], w[m])),
            }
        dist = {g: 0.0 for g in GRADE_MID}
        rated = ~np.isnan(short)
        if rated.any():
            for s, wt in zip(short[rated], w[rated]):
                dist[grade(notch(s))] += wt / w[rated].sum()
        rows.append(CategoryRow(cat, label, short_notch, long_notch, s_score, l_score, cov, lcov, int(rated.sum()), note,
                                by_sector, {g: float(v) for g, v in dist.items()}))
    return tuple(rows)
