"""The index against its benchmark: ratio and trend, correlation and beta, capture, bear markets, VIX regimes.

* Ratio = index / benchmark on common dates; its trend is the OLS slope of log(ratio) on time over
  the last year, in log points per year.
* Rolling correlation and beta use daily log returns over 252 days and weekly (Friday-to-Friday,
  last close of each week) log returns over 52 weeks; beta = cov(index, benchmark) / var(benchmark).
* Up/down capture use monthly simple returns: mean index return in months when the benchmark rose
  (fell) divided by the mean benchmark return in those months.
* Bear markets: episodes in which the benchmark closed 20%+ below its running peak (peak to trough,
  from the drawdown module); for each, both returns from the benchmark's peak to its trough.
* VIX regimes: the VIX close on day t (known at t) puts day t in a bucket (<15, 15-25, >25); the
  statistic is the index's next-day log return (t to t+1), annualised mean and volatility.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.drawdown import drawdowns
from r2k.analytics.returns import TRADING_DAYS, upto

VIX_BUCKETS = ((0.0, 15.0, "<15"), (15.0, 25.0, "15-25"), (25.0, np.inf, ">25"))
BEAR_THRESHOLD = 0.20


@dataclass(frozen=True)
class BearMarket:
    peak_date: date
    trough_date: date
    benchmark_return: float
    index_return: float
    index_max_drawdown: float
    difference: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class RelativeResult:
    symbol: str
    benchmark: str
    as_of: date
    ratio: float
    ratio_change_1y: float
    ratio_trend_1y: float
    correlation_1y: float
    beta_1y: float
    correlation_weekly_1y: float
    beta_weekly_1y: float
    up_capture: dict[str, float]
    down_capture: dict[str, float]
    bear_markets: tuple[BearMarket, ...]
    vix_regimes: tuple[dict, ...]
    vix_now: float | None
    history: pd.DataFrame = field(repr=False, compare=False)

    def summary(self) -> str:
        return (f"{self.symbol}/{self.benchmark} ratio {self.ratio:.4f} ({self.ratio_change_1y:+.1%} over 1y, "
                f"trend {self.ratio_trend_1y:+.3f} log/yr); 1y correlation {self.correlation_1y:.2f} daily, "
                f"{self.correlation_weekly_1y:.2f} weekly; beta {self.beta_1y:.2f} daily, {self.beta_weekly_1y:.2f} weekly")

    def to_dict(self) -> dict:
        keys = ("symbol", "benchmark", "as_of", "ratio", "ratio_change_1y", "ratio_trend_1y", "correlation_1y", "beta_1y",
                "correlation_weekly_1y", "beta_weekly_1y", "up_capture", "down_capture", "vix_now")
        d = {k: getattr(self, k) for k in keys}
        d["bear_markets"] = [b.to_dict() for b in self.bear_markets]
        d["vix_regimes"] = list(self.vix_regimes)
        return d


def rolling_beta(y: pd.Series, x: pd.Series, window: int) -> pd.Series:
    return y.rolling(window).cov(x) / x.rolling(window).var()


def capture_ratios(mi: pd.Series, mb: pd.Series) -> tuple[float, float]:
    """Up and down capture: the index's mean return over the benchmark's, in periods the benchmark rose / fell."""
    up, down = mb > 0, mb < 0
    upc = float(mi[up].mean() / mb[up].mean()) if up.any() else np.nan
    downc = float(mi[down].mean() / mb[down].mean()) if down.any() else np.nan
    return upc, downc


def _bears(ci: pd.Series, cb_full: pd.Series) -> tuple[BearMarket, ...]:
    """Bear markets found on the benchmark's full history, kept when the index has closes inside them."""
    out = []
    for e in drawdowns(cb_full, threshold=BEAR_THRESHOLD, symbol=str(cb_full.name)).episodes:
        p, t = pd.Timestamp(e.peak_date), pd.Timestamp(e.trough_date)
        seg = ci[(ci.index >= p) & (ci.index <= t)]
        if len(seg) < 2:
            continue
        idx_ret = float(seg.iloc[-1] / seg.iloc[0] - 1)
        mdd = float((seg / seg.cummax() - 1).min())
        out.append(BearMarket(e.peak_date, e.trough_date, e.depth, idx_ret, mdd, idx_ret - e.depth))
    return tuple(out)


def _vix_regimes(ri: pd.Series, vix: pd.Series | None) -> tuple[dict, ...]:
    if vix is None or vix.empty:
        return ()
    nxt = ri.shift(-1)  # return from t to t+1, attributed to the VIX close of day t
    v = vix.reindex(ri.index)
    rows = []
    for lo, hi, label in VIX_BUCKETS:
        sel = nxt[(v >= lo) & (v < hi)].dropna()
        rows.append({"regime": label, "n_days": len(sel), "mean_next_day": float(sel.mean()) if len(sel) else np.nan,
                     "annual_return": float(sel.mean() * TRADING_DAYS) if len(sel) else np.nan,
                     "annual_vol": float(sel.std(ddof=1) * np.sqrt(TRADING_DAYS)) if len(sel) > 1 else np.nan,
                     "hit_rate": float((sel > 0).mean()) if len(sel) else np.nan})
    return tuple(rows)


def relative(close: pd.Series, bench: pd.Series, as_of: date | None = None, vix: pd.Series | None = None,
             symbol: str = "RUT", benchmark: str = "GSPC") -> RelativeResult:
    """Relative measures of ``close`` against ``bench`` using data up to ``as_of``."""
    ci, cb_full = upto(close, as_of, symbol), upto(bench, as_of, benchmark).rename(benchmark)
    cb = cb_full
    common = ci.index.intersection(cb.index)
    ci, cb = ci.reindex(common).rename(symbol), cb.reindex(common).rename(benchmark)
    end = common[-1]
    year_ago = end - pd.DateOffset(years=1)
    ratio = ci / cb
    last_year = ratio[ratio.index >= year_ago]
    t_years = (last_year.index - last_year.index[0]).days.to_numpy() / 365.25
    trend = float(np.polyfit(t_years, np.log(last_year.to_numpy()), 1)[0]) if len(last_year) > 2 else np.nan
    ri, rb = np.log(ci).diff(), np.log(cb).diff()
    corr = ri.rolling(TRADING_DAYS).corr(rb)
    beta = rolling_beta(ri, rb, TRADING_DAYS)
    wi, wb = ci.resample("W-FRI").last().dropna(), cb.resample("W-FRI").last().dropna()
    rwi, rwb = np.log(wi).diff().iloc[-52:], np.log(wb).diff().iloc[-52:]
    mi, mb = ci.resample("ME").last().pct_change().dropna(), cb.resample("ME").last().pct_change().dropna()
    up, down = {}, {}
    for label, months in (("5y", 60), ("all", None)):
        sl = slice(None) if months is None else slice(-months, None)
        up[label], down[label] = capture_ratios(mi.iloc[sl], mb.iloc[sl])
    v = upto(vix, end, "VIX") if vix is not None and (vix.dropna().index <= end).any() else None
    hist = pd.DataFrame({"ratio": ratio, "correlation_1y": corr, "beta_1y": beta})
    base = ratio[ratio.index <= year_ago]
    return RelativeResult(
        symbol, benchmark, end.date(), float(ratio.iloc[-1]),
        float(ratio.iloc[-1] / base.iloc[-1] - 1) if len(base) else np.nan, trend,
        float(corr.iloc[-1]), float(beta.iloc[-1]), float(rwi.corr(rwb)), float(rwi.cov(rwb) / rwb.var()),
        up, down, _bears(ci, cb_full), _vix_regimes(ri, v), None if v is None else float(v.iloc[-1]), hist)
