"""Per-company category scorecards on the 21-notch scale, in the style of rating agencies' ratio grids.

Each measure has a grid: the value at the middle of each broad grade (Aaa, Aa, A, Baa, Ba, B, Caa, Ca).
A value is scored by linear interpolation between those anchors (beyond the ends: the end grade), which
gives a continuous notch number (1 = Aaa .. 21 = C). A category's score is the mean over its measures
that could be computed; at least half of them must be (else the category is not rated).

* Short term: the latest trailing twelve months, moved by half the change of that score over a year
  (capped at two notches): improving ratios lift the score, deteriorating ones lower it.
* Long term: the mean score over up to five fiscal years (at least three), plus a stability penalty of
  half the standard deviation of those yearly scores (capped at two notches).

Company kinds: industrial companies get every grid; financial companies (the fund's "Financials"
sector: banks, insurers, brokers) only the measures that apply to them, on bank grids (equity/assets as
a capital ratio, ROA, ROE); REITs ("Real Estate") equity/assets, debt/EBITDA and interest coverage on
REIT grids. Other categories of financial companies and REITs are "not rated", never scored on
industrial ratios.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from r2k.analytics.fundamentals import Fundamentals, Period
from r2k.outlook.scale import GRADE_MID, clamp, notch

CATEGORIES: dict[str, str] = {
    "income": "Income statement",
    "balance": "Balance sheet",
    "leverage": "Leverage ratios",
    "cash_flow": "Cash flow",
    "returns": "Rates of return and profitability",
}
TAX_RATE = 0.21  # NOPAT for ROIC
MOMENTUM_WEIGHT, MOMENTUM_CAP = 0.5, 2.0
STABILITY_WEIGHT, STABILITY_CAP = 0.5, 2.0
MIN_YEARS = 3
GRADES = ("Aaa", "Aa", "A", "Baa", "Ba", "B", "Caa", "Ca")


@dataclass(frozen=True)
class Grid:
    """Anchor values at the middle of Aaa, Aa, A, Baa, Ba, B, Caa, Ca (monotone either way)."""

    anchors: tuple[float, ...]

    def score(self, value: float) -> float:
        if value is None or math.isnan(value):
            return float("nan")
        xs = np.array(self.anchors, dtype=float)
        ys = np.array([GRADE_MID[g] for g in GRADES], dtype=float)
        if xs[0] > xs[-1]:  # higher is better: np.interp needs increasing x
            xs, ys = xs[::-1], ys[::-1]
        return float(np.interp(value, xs, ys))


G = Grid
INDUSTRIAL: dict[str, Grid] = {
    "operating_margin": G((0.30, 0.22, 0.15, 0.10, 0.06, 0.02, -0.05, -0.20)),
    "net_margin": G((0.20, 0.15, 0.10, 0.06, 0.03, 0.0, -0.10, -0.30)),
    "revenue_growth": G((0.20, 0.12, 0.08, 0.04, 0.0, -0.05, -0.15, -0.30)),
    "current_ratio": G((3.0, 2.5, 2.0, 1.5, 1.2, 1.0, 0.7, 0.4)),
    "equity_to_assets": G((0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.10, 0.0)),
    "debt_to_ebitda": G((0.5, 1.0, 1.75, 2.75, 3.75, 5.0, 7.0, 10.0)),
    "interest_coverage": G((25.0, 15.0, 10.0, 6.0, 3.5, 1.75, 1.0, 0.5)),
    "cfo_margin": G((0.30, 0.22, 0.16, 0.11, 0.07, 0.03, -0.03, -0.15)),
    "fcf_margin": G((0.20, 0.14, 0.10, 0.06, 0.03, 0.0, -0.08, -0.20)),
    "fcf_to_debt": G((0.60, 0.40, 0.25, 0.15, 0.08, 0.02, -0.05, -0.15)),
    "roa": G((0.15, 0.11, 0.08, 0.05, 0.03, 0.0, -0.05, -0.15)),
    "roe": G((0.30, 0.22, 0.16, 0.11, 0.07, 0.02, -0.10, -0.30)),
    "roic": G((0.25, 0.18, 0.13, 0.09, 0.06, 0.02, -0.05, -0.15)),
}
FINANCIAL: dict[str, Grid] = {
    "equity_to_assets": G((0.16, 0.13, 0.11, 0.09, 0.075, 0.06, 0.045, 0.03)),
    "roa": G((0.020, 0.015, 0.012, 0.009, 0.006, 0.003, 0.0, -0.01)),
    "roe": G((0.18, 0.15, 0.12, 0.10, 0.07, 0.04, 0.0, -0.10)),
}
REIT: dict[str, Grid] = {
    "equity_to_assets": G((0.70, 0.60, 0.55, 0.45, 0.38, 0.30, 0.20, 0.10)),
    "debt_to_ebitda": G((2.0, 3.5, 5.0, 6.5, 8.0, 9.5, 11.0, 13.0)),
    "interest_coverage": G((6.0, 4.5, 3.5, 2.5, 1.8, 1.3, 1.0, 0.7)),
}
# measures per category and company kind
MEASURES: dict[str, dict[str, tuple[str, ...]]] = {
    "industrial": {
        "income": ("operating_margin", "net_margin", "revenue_growth"),
        "balance": ("current_ratio", "equity_to_assets"),
        "leverage": ("debt_to_ebitda", "interest_coverage"),
        "cash_flow": ("cfo_margin", "fcf_margin", "fcf_to_debt"),
        "returns": ("roa", "roe", "roic"),
    },
    "financial": {"balance": ("equity_to_assets",), "returns": ("roa", "roe")},
    "reit": {"balance": ("equity_to_assets",), "leverage": ("debt_to_ebitda", "interest_coverage")},
}
GRIDS = {"industrial": INDUSTRIAL, "financial": FINANCIAL, "reit": REIT}
SECTOR_KIND = {"Financials": "financial", "Real Estate": "reit"}


def company_kind(sector: str | None) -> str:
    """industrial | financial | reit, from the fund file's sector."""
    return SECTOR_KIND.get(sector or "", "industrial")


def _div(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) and not math.isnan(a) else float("nan")


def _avg(now: float, before: float) -> float:
    return now if math.isnan(before) else (now + before) / 2


def ratios(p: Period) -> dict[str, float]:
    """Every measure of one period (NaN where an input is missing or the ratio is meaningless)."""
    f, b, pb = p.flows, p.balances, p.prior_balances
    revenue, oi, ni = f["revenue"], f["operating_income"], f["net_income"]
    ebitda = oi + (0.0 if math.isnan(f["depreciation"]) else f["depreciation"])  # no D&A reported: EBIT
    capex = 0.0 if math.isnan(f["capex"]) else f["capex"]
    fcf = f["operating_cash_flow"] - capex
    debt = b["debt"]
    out = {
        "operating_margin": _div(oi, revenue) if revenue > 0 else float("nan"),
        "net_margin": _div(ni, revenue) if revenue > 0 else float("nan"),
        "revenue_growth": _div(revenue, p.prior_revenue) - 1 if p.prior_revenue > 0 else float("nan"),
        "current_ratio": _div(b["current_assets"], b["current_liabilities"]),
        "equity_to_assets": _div(b["equity"], b["assets"]),
        "debt_to_ebitda": _leverage(debt, ebitda),
        "interest_coverage": _coverage(oi, f["interest_expense"], debt),
        "cfo_margin": _div(f["operating_cash_flow"], revenue) if revenue > 0 else float("nan"),
        "fcf_margin": _div(fcf, revenue) if revenue > 0 else float("nan"),
        "fcf_to_debt": _div(fcf, debt) if debt > 0 else (1.0 if fcf > 0 and debt == 0 else float("nan")),
        "roa": _div(ni, _avg(b["assets"], pb.get("assets", float("nan")))),
        "roe": _roe(ni, _avg(b["equity"], pb.get("equity", float("nan")))),
        "roic": _roic(oi, debt, b["equity"], b["cash"]),
    }
    return out


def _leverage(debt: float, ebitda: float) -> float:
    if math.isnan(debt):
        return float("nan")
    if debt == 0:
        return 0.0
    return debt / ebitda if ebitda > 0 else 99.0  # debt and no earnings: the worst bucket


def _coverage(oi: float, interest: float, debt: float) -> float:
    if math.isnan(interest) or interest <= 0:
        return 99.0 if debt == 0 else float("nan")
    return oi / interest


def _roe(ni: float, equity: float) -> float:
    return -1.0 if equity <= 0 else _div(ni, equity)  # negative equity: the worst bucket


def _roic(oi: float, debt: float, equity: float, cash: float) -> float:
    invested = (0.0 if math.isnan(debt) else debt) + equity - (0.0 if math.isnan(cash) else cash)
    return _div(oi * (1 - TAX_RATE), invested) if invested > 0 else float("nan")


@dataclass(frozen=True)
class CategoryScore:
    short_term: float  # notch number, NaN when not rated
    long_term: float
    measures: dict[str, float]  # the latest TTM value of each measure
    note: str | None = None


@dataclass(frozen=True)
class CompanyRating:
    ticker: str
    name: str
    sector: str
    kind: str
    weight: float  # share of the index's equity weight
    period_end: str | None
    categories: dict[str, CategoryScore]
    note: str | None = None
    market: dict[str, float] = field(default_factory=dict)  # market-based measures (reported, not scored)

    def to_dict(self) -> dict:
        return {
            "ticker": self.ticker, "name": self.name, "sector": self.sector, "kind": self.kind, "weight": self.weight,
            "period_end": self.period_end, "note": self.note, "market": self.market,
            "categories": {c: {"short_term": notch(s.short_term), "long_term": notch(s.long_term),
                               "short_term_score": s.short_term, "long_term_score": s.long_term,
                               "measures": s.measures, "note": s.note} for c, s in self.categories.items()},
        }


def _category_score(names: tuple[str, ...], scorer: Callable[[str, dict[str, float]], float], values: dict[str, float]) -> float:
    scores = [scorer(n, values) for n in names]
    scores = [s for s in scores if not math.isnan(s)]
    return float(np.mean(scores)) if len(scores) * 2 >= len(names) else float("nan")


def market_measures(fund: Fundamentals, close: float) -> dict[str, float]:
    """Market capitalisation, earnings yield and debt / (debt + market cap) from the close at the as-of date."""
    if fund.latest is None or math.isnan(close) or math.isnan(fund.shares) or fund.shares <= 0:
        return {}
    cap = close * fund.shares
    debt = fund.latest.balances["debt"]
    return {"close": close, "market_cap": cap, "earnings_yield": _div(fund.latest.flows["net_income"], cap),
            "debt_to_market_value": _div(debt, debt + cap) if not math.isnan(debt) else float("nan")}


def rate_company(ticker: str, name: str, sector: str, weight: float, fund: Fundamentals,
                 close: float = float("nan")) -> CompanyRating:
    """The five category scores of one company (not-rated categories carry a note saying why)."""
    kind = company_kind(sector)
    grids, measures = GRIDS[kind], MEASURES[kind]
    if fund.latest is None:
        cats = {c: CategoryScore(float("nan"), float("nan"), {}, fund.note) for c in CATEGORIES}
        return CompanyRating(ticker, name, sector, kind, weight, None, cats, fund.note)

    def scorer(m: str, values: dict[str, float]) -> float:
        return grids[m].score(values[m])

    now = ratios(fund.latest)
    before = ratios(fund.year_ago) if fund.year_ago else None
    yearly = [ratios(p) for p in fund.years]
    cats: dict[str, CategoryScore] = {}
    for cat in CATEGORIES:
        names = measures.get(cat)
        if not names:
            cats[cat] = CategoryScore(float("nan"), float("nan"), {}, f"not rated: does not apply to a {kind} company")
            continue
        level = _category_score(names, scorer, now)
        prev = _category_score(names, scorer, before) if before else float("nan")
        short = level if math.isnan(prev) else level + MOMENTUM_WEIGHT * float(np.clip(level - prev, -MOMENTUM_CAP, MOMENTUM_CAP))
        cats[cat] = CategoryScore(clamp(short) if not math.isnan(short) else short,
                                  _long_term(names, scorer, yearly, fund), {n: now[n] for n in names})
    return CompanyRating(ticker, name, sector, kind, weight, fund.latest.end.isoformat(), cats,
                         market=market_measures(fund, close))


def _long_term(names: tuple[str, ...], scorer: Callable[[str, dict[str, float]], float], yearly: list[dict[str, float]],
               fund: Fundamentals) -> float:
    values = list(yearly)
    if "revenue_growth" in names and len(fund.years) >= 2:
        first, last = fund.years[0].flows["revenue"], fund.years[-1].flows["revenue"]
        n = len(fund.years) - 1
        cagr = (last / first) ** (1 / n) - 1 if first > 0 and last > 0 else float("nan")
        values = [{**v, "revenue_growth": cagr} for v in values]
    scores = [s for s in (_category_score(names, scorer, v) for v in values) if not math.isnan(s)]
    if len(scores) < MIN_YEARS:
        return float("nan")
    penalty = min(STABILITY_CAP, STABILITY_WEIGHT * float(np.std(scores)))
    return clamp(float(np.mean(scores)) + penalty)
