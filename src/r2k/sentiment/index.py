"""The daily sentiment index: headline scores -> one row per NYSE trading day, point-in-time.

Point-in-time: a headline dated on a trading day before 16:00 US/Eastern counts for that day (it is
known at the close). A headline at or after 16:00, on a weekend or holiday, or with an unknown time
(conservatively) counts for the next trading day.

Decay: with lambda = 0.5 ** (1 / half_life) per trading day, and on day t the headlines' scores s_i
(n_t of them, k_t labelled negative),

    S_t = lambda * S_{t-1} + sum_i s_i     K_t = lambda * K_{t-1} + k_t     W_t = lambda * W_{t-1} + n_t
    mean_t = S_t / (W_t + w0)              neg_share_t = K_t / (W_t + w0)

so a day without news carries the previous state decayed by lambda (mean and share fade towards 0
as the evidence ages) and ``w0`` (prior weight, in headlines) shrinks thin days towards neutral.
``count`` is the raw number of headlines assigned to the day; ``weight`` is W_t.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from r2k.calendar.trading import add_trading_days, is_trading_day, trading_days
from r2k.errors import DataError
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.sentiment.base import Scorer

CLOSE_MINUTE = 16 * 60
INDEX_COLUMNS = ("mean", "neg_share", "count", "weight", "raw_mean", "raw_neg_share")
STORED = {"mean": "MEAN", "neg_share": "NEG_SHARE", "count": "COUNT"}


def effective_dates(dates: pd.Series, minute_et: pd.Series) -> pd.DatetimeIndex:
    """The trading day each headline counts for (see the module docstring)."""
    days = pd.DatetimeIndex(dates)
    minutes = np.asarray(minute_et, dtype="float64")
    out: list[date] = []
    cache: dict[tuple[date, bool], date] = {}
    for day, minute in zip(days.date, minutes):
        before_close = bool(minute < CLOSE_MINUTE)  # NaN (unknown time) compares False
        key = (day, before_close)
        if key not in cache:
            cache[key] = day if (before_close and is_trading_day(day)) else add_trading_days(day, 1)
        out.append(cache[key])
    return pd.DatetimeIndex(out).astype("datetime64[us]")


@dataclass(frozen=True)
class SentimentIndex:
    """Daily index by trading day plus the inputs that produced it."""

    frame: pd.DataFrame  # index: date; columns INDEX_COLUMNS
    scorer: str
    half_life: float
    prior_weight: float
    source: str
    headlines: int
    shifted: int  # headlines moved to a later trading day (after the close, weekend, or unknown time)
    params: dict[str, Any] = field(default_factory=dict)

    def series(self) -> list[SeriesData]:
        """The stored macro series SENT_<SCORER>_MEAN / _NEG_SHARE / _COUNT (one value per trading day)."""
        out = []
        for col, suffix in STORED.items():
            sid = f"SENT_{self.scorer.upper()}_{suffix}"
            frame = pd.DataFrame({"date": self.frame.index.to_numpy(), "value": self.frame[col].to_numpy(dtype="float64")})
            out.append(SeriesData(sid, "macro", validate(frame, "macro", f"{self.source}:{sid}"), f"sentiment:{self.source}"))
        return out

    def summary(self) -> str:
        f = self.frame
        last = f.iloc[-1]
        return (f"Sentiment index ({self.scorer}, half-life {self.half_life:g} trading days, prior weight "
                f"{self.prior_weight:g}) from {self.source}: {self.headlines} headlines "
                f"({self.shifted} moved to the next trading day), {len(f)} trading days "
                f"{f.index[0].date()} .. {f.index[-1].date()}, {int((f['count'] > 0).sum())} with news. "
                f"Last: mean {last['mean']:+.3f}, negative share {last['neg_share']:.3f}, "
                f"count {int(last['count'])}. Average mean {f['mean'].mean():+.3f}.")

    def to_dict(self) -> dict[str, Any]:
        rows = self.frame.reset_index()
        return {
            "scorer": self.scorer, "half_life": self.half_life, "prior_weight": self.prior_weight,
            "source": self.source, "headlines": self.headlines, "shifted": self.shifted,
            "first": self.frame.index[0], "last": self.frame.index[-1], "days": len(self.frame),
            "days_with_news": int((self.frame["count"] > 0).sum()),
            "rows": rows.to_dict(orient="records"),
        }


def daily_index(days: pd.DatetimeIndex, scores: np.ndarray, negative: np.ndarray, half_life: float = 5.0,
                prior_weight: float = 1.0, end: date | None = None) -> pd.DataFrame:
    """The decay recursion over trading days from the first effective day to max(last, end)."""
    if half_life <= 0:
        raise ValueError("half_life must be positive")
    if prior_weight < 0:
        raise ValueError("prior_weight must be non-negative")
    scores = np.asarray(scores, dtype="float64")
    negative = np.asarray(negative, dtype=bool)
    if not (len(days) == len(scores) == len(negative)) or len(days) == 0:
        raise ValueError("days, scores and negative must be non-empty and of equal length")
    per_day = pd.DataFrame({"date": days, "s": scores, "k": negative.astype("float64"), "n": 1.0}).groupby("date").sum()
    last = per_day.index.max().date()
    grid = trading_days(per_day.index.min().date(), max(last, end) if end else last)
    per_day = per_day.reindex(grid, fill_value=0.0)
    lam = 0.5 ** (1.0 / half_life)
    s_sum = k_sum = w_sum = 0.0
    out = np.empty((len(grid), 3))
    for i, (s, k, n) in enumerate(per_day[["s", "k", "n"]].to_numpy()):
        s_sum, k_sum, w_sum = lam * s_sum + s, lam * k_sum + k, lam * w_sum + n
        out[i] = (s_sum / (w_sum + prior_weight), k_sum / (w_sum + prior_weight), w_sum)  # W_t > 0 from day 1
    n = per_day["n"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_mean = np.where(n > 0, per_day["s"].to_numpy() / n, np.nan)
        raw_neg = np.where(n > 0, per_day["k"].to_numpy() / n, np.nan)
    columns = (out[:, 0], out[:, 1], n, out[:, 2], raw_mean, raw_neg)
    return pd.DataFrame(dict(zip(INDEX_COLUMNS, columns)), index=pd.DatetimeIndex(grid, name="date"))


def sentiment_index(headlines: pd.DataFrame, scorer: Scorer, source: str, half_life: float = 5.0,
                    prior_weight: float = 1.0, end: date | None = None) -> SentimentIndex:
    """Score every headline with ``scorer`` and build the daily index (module docstring has the formulas)."""
    if headlines.empty:
        raise DataError(source, "no headlines to index")
    texts: Sequence[str] = headlines["text"].tolist()
    scores, labels = scorer.predict(texts)
    negative = np.array([lab == "negative" for lab in labels], dtype=bool)
    days = effective_dates(headlines["date"], headlines["minute_et"])
    shifted = int((days != pd.DatetimeIndex(headlines["date"]).astype("datetime64[us]")).sum())
    frame = daily_index(days, scores, negative, half_life=half_life, prior_weight=prior_weight, end=end)
    return SentimentIndex(frame, scorer.name, float(half_life), float(prior_weight), source, len(headlines), shifted,
                          {"threshold": scorer.threshold, "close_minute_et": CLOSE_MINUTE})
