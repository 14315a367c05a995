"""Decay arithmetic (known answer), the after-close shift and the stored series of the daily index."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import TableScorer

from r2k.sentiment.index import daily_index, effective_dates, sentiment_index


def _days(*values: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(list(values)).astype("datetime64[us]")


def test_decay_known_answer():
    # half-life 1 -> lambda 0.5; prior weight 1. Mon: 0.8, -0.4 (negative); Tue: no news; Wed: 0.6.
    days = _days("2024-01-08", "2024-01-08", "2024-01-10")
    frame = daily_index(days, np.array([0.8, -0.4, 0.6]), np.array([False, True, False]), half_life=1.0,
                        prior_weight=1.0)
    assert list(frame.index.date) == [date(2024, 1, 8), date(2024, 1, 9), date(2024, 1, 10)]
    # Mon: S=0.4 K=1 W=2 | Tue: S=0.2 K=0.5 W=1 | Wed: S=0.1+0.6 K=0.25 W=0.5+1
    assert frame["mean"].to_numpy() == pytest.approx([0.4 / 3, 0.2 / 2, 0.7 / 2.5])
    assert frame["neg_share"].to_numpy() == pytest.approx([1 / 3, 0.5 / 2, 0.25 / 2.5])
    assert frame["weight"].to_numpy() == pytest.approx([2.0, 1.0, 1.5])
    assert frame["count"].to_numpy() == pytest.approx([2, 0, 1])
    assert frame["raw_mean"].to_numpy() == pytest.approx([0.2, np.nan, 0.6], nan_ok=True)
    assert frame["raw_neg_share"].to_numpy() == pytest.approx([0.5, np.nan, 0.0], nan_ok=True)


def test_no_prior_and_long_half_life_give_the_running_mean():
    days = _days("2024-01-08", "2024-01-09", "2024-01-10")
    frame = daily_index(days, np.array([0.5, -0.1, 0.2]), np.zeros(3, bool), half_life=1e12, prior_weight=0.0)
    assert frame["mean"].to_numpy() == pytest.approx([0.5, 0.2, 0.2])


def test_quiet_days_decay_towards_neutral_and_end_extends_the_grid():
    frame = daily_index(_days("2024-01-08"), np.array([1.0]), np.array([False]), half_life=2.0, prior_weight=0.0,
                        end=date(2024, 1, 12))
    assert len(frame) == 5
    # with w0 = 0 the mean holds (S and W decay alike) while the weight halves every 2 trading days
    assert frame["mean"].to_numpy() == pytest.approx(np.ones(5))
    assert frame["weight"].to_numpy() == pytest.approx(0.5 ** (np.arange(5) / 2))
    shrunk = daily_index(_days("2024-01-08"), np.array([1.0]), np.array([False]), half_life=2.0, prior_weight=1.0,
                         end=date(2024, 1, 12))
    lam = 0.5 ** (np.arange(5) / 2)
    assert shrunk["mean"].to_numpy() == pytest.approx(lam / (lam + 1))


def test_after_close_weekend_holiday_and_unknown_time_move_to_next_trading_day():
    dates = pd.Series(pd.to_datetime(["2024-01-05", "2024-01-05", "2024-01-06", "2024-07-03", "2024-01-08",
                                      "2024-01-08"]))
    minutes = pd.Series([15 * 60 + 59, 16 * 60, 9 * 60, 17 * 60, np.nan, 9 * 60 + 30])
    got = effective_dates(dates, minutes)
    assert [d.isoformat() for d in got.date] == ["2024-01-05", "2024-01-08", "2024-01-08", "2024-07-05",
                                                 "2024-01-09", "2024-01-08"]


def test_sentiment_index_counts_shifted_headlines_and_uses_scorer_threshold():
    headlines = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-01-08"]).astype("datetime64[us]"),
        "minute_et": [10 * 60.0, 19 * 60.0, 11 * 60.0],
        "text": ["a", "b", "c"], "line": [2, 3, 4],
    })
    result = sentiment_index(headlines, TableScorer({"a": 0.5, "b": -0.1, "c": -0.05}), "feed.csv", half_life=1.0,
                             prior_weight=0.0)
    f = result.frame
    assert result.shifted == 1 and result.headlines == 3
    assert list(f.index.date) == [date(2024, 1, 5), date(2024, 1, 8)]
    # Fri: 0.5 ; Mon: S = 0.25 - 0.1 - 0.05, W = 0.5 + 2 ; only 'b' is negative (threshold 0.1)
    assert f["mean"].to_numpy() == pytest.approx([0.5, 0.1 / 2.5])
    assert f["neg_share"].to_numpy() == pytest.approx([0.0, 1 / 2.5])
    ids = [s.id for s in result.series()]
    assert ids == ["SENT_TABLE_MEAN", "SENT_TABLE_NEG_SHARE", "SENT_TABLE_COUNT"]
    assert all(s.kind == "macro" and list(s.frame.columns) == ["date", "value"] for s in result.series())
    assert "2 trading days" in result.summary()
    assert result.to_dict()["rows"][1]["count"] == 2


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError, match="half_life"):
        daily_index(_days("2024-01-08"), np.array([0.1]), np.array([False]), half_life=0)


def test_index_on_real_headlines(shared_data):
    from r2k.sentiment import get_scorer
    from r2k.providers.headlines import read_headlines

    headlines = read_headlines(shared_data / "text" / "news_headlines.csv")
    assert len(headlines) == 2800
    result = sentiment_index(headlines, get_scorer("lm"), "news_headlines.csv")
    f = result.frame
    assert f.index[0].date() == date(2017, 12, 26)  # first headline 2017-12-22 18:52 ET -> after Christmas
    assert f["count"].sum() == 2800
    assert f["mean"].between(-1, 1).all() and f["neg_share"].between(0, 1).all()
    assert result.shifted > 2000  # most CNBC headlines are published in the evening


def test_rewriting_later_headlines_leaves_earlier_rows_unchanged():
    # look-ahead check: every headline that is not known by the close of 2024-01-10 is replaced with
    # garbage (including the 16:30 one dated 01-10 itself); rows up to 01-10 must not move
    dates = pd.to_datetime(["2024-01-08", "2024-01-09", "2024-01-10", "2024-01-10", "2024-01-11", "2024-01-12"])
    headlines = pd.DataFrame({"date": dates.astype("datetime64[us]"),
                              "minute_et": [600.0, 700.0, 900.0, 990.0, 600.0, 600.0],
                              "text": ["a", "b", "c", "d", "e", "f"], "line": range(2, 8)})
    table = {"a": 0.3, "b": -0.2, "c": 0.1, "d": 0.4, "e": -0.6, "f": 0.9, "x": -1.0}
    base = sentiment_index(headlines, TableScorer(table), "f").frame
    garbage = headlines.copy()
    garbage.loc[3:, "text"] = "x"
    changed = sentiment_index(garbage, TableScorer(table), "f").frame
    cut = pd.Timestamp("2024-01-10")
    pd.testing.assert_frame_equal(base.loc[:cut], changed.loc[:cut])
    assert not base.loc["2024-01-11"].equals(changed.loc["2024-01-11"])
