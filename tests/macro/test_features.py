"""Point-in-time features: nothing released after t reaches row t; vintages replace lag rules."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from r2k.calendar.releases import release_dates
from r2k.features import build_feature_matrix, factor_history, features_as_of, load_frames
from r2k.features.builder import _exact_history, release_events
from r2k.macro.catalog import CATALOG, SERIES, factor
from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store
from tests_support import NOW


def monthly_frame(values, start="2015-01-01") -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range(start, periods=len(values), freq="MS").astype("datetime64[us]"),
                         "value": np.asarray(values, float)})


def test_cpi_for_month_m_is_invisible_before_its_release_day() -> None:
    frames = {"CPIAUCSL": monthly_frame(100 * 1.002 ** np.arange(120))}
    cpi = [factor("cpi_yoy")]
    release = SERIES["CPIAUCSL"].release.release_date(date(2024, 5, 1))  # 2024-06-24
    before = features_as_of(frames, pd.Timestamp(release) - pd.Timedelta(days=1), cpi).loc["cpi_yoy"]
    on = features_as_of(frames, release, cpi).loc["cpi_yoy"]
    assert before["obs_date"] == pd.Timestamp("2024-04-01")
    assert on["obs_date"] == pd.Timestamp("2024-05-01") and on["released"] == pd.Timestamp(release)
    assert on["value"] == pytest.approx(100 * (1.002**12 - 1))


def test_forward_fill_between_releases_and_yoy_on_released_values() -> None:
    frames = {"UNRATE": monthly_frame(np.linspace(4, 6, 60))}
    m = build_feature_matrix(frames, "2018-06-01", "2018-09-30", [factor("unrate"), factor("unrate_chg12")])
    # July 2018 data was released on the first Friday of August (2018-08-03)
    assert m.values.loc["2018-08-02", "unrate"] == pytest.approx(np.linspace(4, 6, 60)[41])
    assert m.values.loc["2018-08-03", "unrate"] == pytest.approx(np.linspace(4, 6, 60)[42])
    assert m.obs_date.loc["2018-08-31", "unrate"] == pd.Timestamp("2018-07-01")
    assert m.values.loc["2018-08-03", "unrate_chg12"] == pytest.approx(12 * 2 / 59)


def _garbage_after(frames: dict[str, pd.DataFrame], t: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """Every value released after t replaced by nonsense (releases by each series' own rule)."""
    out = {}
    for sid, frame in frames.items():
        released = release_dates(SERIES[sid].release, frame["date"])
        late = np.asarray(released > t)
        f = frame.copy()
        f.loc[late, "value"] = f.loc[late, "value"] * -37.0 + 1e6
        out[sid] = f
    return out


@pytest.mark.parametrize("t", ["2008-09-15", "2020-03-16", "2024-06-07"])
def test_rewriting_everything_released_after_t_leaves_row_t_unchanged(shared_store, t: str) -> None:
    with Store(shared_store, read_only=True) as store:
        frames = load_frames(store, SERIES)
    t = pd.Timestamp(t)
    start, end = t - pd.Timedelta(days=40), t + pd.Timedelta(days=60)
    clean = build_feature_matrix(frames, start, end, CATALOG)
    dirty = build_feature_matrix(_garbage_after(frames, t), start, end, CATALOG)
    upto = clean.dates <= t
    for table in ("values", "z", "obs_date", "released"):
        pd.testing.assert_frame_equal(getattr(clean, table)[upto], getattr(dirty, table)[upto])
    # the test has teeth: later rows do change, and row t holds values released that very day
    assert not clean.values[~upto].equals(dirty.values[~upto])
    assert (clean.released.loc[t] <= t).all()


def test_fast_path_equals_recomputing_at_every_release() -> None:
    rng = np.random.default_rng(3)
    frame = monthly_frame(5 + np.cumsum(rng.normal(0, 0.2, 90)), start="2010-01-01")
    for name in ("unrate", "unrate_chg12", "sahm_gap"):
        f = factor(name)
        fast = factor_history(frame, f)
        exact = _exact_history(release_events(frame, f), f).dropna(subset=["value"]).reset_index(drop=True)
        np.testing.assert_allclose(fast["value"].to_numpy(), exact["value"].to_numpy())
        np.testing.assert_allclose(fast["z"].to_numpy(), exact["z"].to_numpy(), equal_nan=True)
        assert (fast["released"].to_numpy() == exact["released"].astype("datetime64[us]").to_numpy()).all()


def test_store_vintages_replace_the_lag_rule(store_path) -> None:
    frame = validate(monthly_frame([4.0, 4.1, 4.2], start="2024-01-01"), "macro", "test")
    # first vintages one day after the rule would allow; 2024-02 revised on 2024-05-10
    vint = pd.concat([frame.assign(realtime_start=pd.to_datetime(["2024-02-05", "2024-03-11", "2024-04-08"])),
                      frame.iloc[[1]].assign(value=9.9, realtime_start=pd.Timestamp("2024-05-10"))])
    vint["realtime_start"] = vint["realtime_start"].astype("datetime64[us]")
    with Store(store_path) as store:
        store.write([SeriesData("UNRATE", "macro", vint, "test")], "test", NOW)
        f = [factor("unrate")]
        assert features_as_of(store, "2024-03-08", f).loc["unrate", "value"] == 4.0  # rule would say 4.1 (Mar 8)
        assert features_as_of(store, "2024-03-11", f).loc["unrate", "value"] == 4.1
        assert features_as_of(store, "2024-04-30", f).loc["unrate", "value"] == 4.2
        # the revision of an older month does not become "the latest observation"
        row = features_as_of(store, "2024-05-10", f).loc["unrate"]
        assert row["obs_date"] == pd.Timestamp("2024-03-01") and row["value"] == 4.2
        chg = features_as_of(store, "2024-05-10", [factor("payrolls_3m")])
        assert np.isnan(chg.loc["payrolls_3m", "value"])  # absent series: NaN, not an error


def test_cycle_phase_history_ignores_everything_released_later(shared_store) -> None:
    from r2k.macro.cycle import CYCLE_FACTORS, classify, cycle_inputs, month_ends

    with Store(shared_store, read_only=True) as store:
        frames = load_frames(store, [factor(n).series_id for n in CYCLE_FACTORS])
    t = pd.Timestamp("2008-06-30")
    factors = [factor(n) for n in CYCLE_FACTORS]

    def phases(fr: dict[str, pd.DataFrame]) -> pd.DataFrame:
        m = build_feature_matrix(fr, "1995-01-01", "2009-12-31", factors)
        return classify(cycle_inputs(m.values).loc[month_ends(m.dates)])

    clean, dirty = phases(frames), phases(_garbage_after(frames, t))
    pd.testing.assert_frame_equal(clean[clean.index <= t], dirty[dirty.index <= t])
    assert not clean["phase"][clean.index > t].equals(dirty["phase"][dirty.index > t])


def test_a_series_that_stopped_is_missing_once_its_next_value_was_due_not_repeated() -> None:
    from r2k.macro.freshness import expected_by

    frames = {"UNRATE": monthly_frame(np.linspace(4, 6, 60))}  # 2015-01 .. 2019-12, then nothing
    m = build_feature_matrix(frames, "2019-12-01", "2020-06-30", [factor("unrate")])
    due = pd.Timestamp(expected_by(date(2019, 12, 1), "M", SERIES["UNRATE"].release))  # 2020-02 jobs day + 7 days
    assert due == pd.Timestamp("2020-02-14")
    carried, stale = m.dates[m.dates <= due], m.dates[m.dates > due]
    assert (m.values.loc[carried[carried >= "2020-01-10"], "unrate"] == 6.0).all()  # released on jobs day 2020-01-10
    assert m.values.loc[stale, "unrate"].isna().all() and m.z.loc[stale, "unrate"].isna().all()
    # the last real observation stays visible, to say since when the factor is stale
    assert (m.last_value.loc[stale, "unrate"] == 6.0).all() and (m.obs_date.loc[stale, "unrate"] == "2019-12-01").all()
    assert (m.due.loc[stale, "unrate"] == due).all()
    assert m.stale().loc[stale, "unrate"].all() and not m.stale().loc[carried, "unrate"].any()


def test_a_daily_spread_is_known_the_next_session_and_missing_three_sessions_after_it_stopped() -> None:
    days = pd.bdate_range("2015-01-01", "2024-06-03")
    frames = {"BAMLH0A0HYM2": pd.DataFrame({"date": days.astype("datetime64[us]"), "value": np.arange(len(days), dtype=float)})}
    m = build_feature_matrix(frames, "2024-05-28", "2024-06-12", [factor("hy_oas")])
    v = m.values["hy_oas"]
    assert v.loc["2024-05-31"] == len(days) - 3  # Friday's close knows Thursday's spread
    assert v.loc["2024-06-03"] == len(days) - 2  # Monday knows Friday's
    assert v.loc["2024-06-04"] == len(days) - 1  # Tuesday knows Monday's (the last one)
    # the last observation (Mon 2024-06-03) is carried to its third session after (Thu 2024-06-06), then missing
    assert v.loc["2024-06-06"] == len(days) - 1 and v.loc["2024-06-07":].isna().all()
    assert (m.last_value.loc["2024-06-07":, "hy_oas"] == len(days) - 1).all()


def test_dates_beyond_the_trading_calendar_do_not_break_the_next_session_rule() -> None:
    days = pd.DatetimeIndex(["1850-01-02", "2024-01-02", "2150-06-01"]).astype("datetime64[us]")
    frames = {"DGS10": pd.DataFrame({"date": days, "value": [3.0, 1.0, 2.0]})}
    m = build_feature_matrix(frames, "2024-01-02", "2024-01-05", [factor("dgs10")])
    assert np.isnan(m.values.loc["2024-01-02", "dgs10"]) and m.values.loc["2024-01-03", "dgs10"] == 1.0
    assert release_dates(SERIES["DGS10"].release, days[-1:])[0] == pd.Timestamp("2150-06-02")
