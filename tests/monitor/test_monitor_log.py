"""The forecast log: idempotent writes, ratings filled in later, realised scores with known answers,
the model version, and no look-ahead in the as-of view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from r2k.forecasting import forecast_as_of
from r2k.models.base import Distribution
from r2k.monitor.log import ratings_of
from r2k.monitor.realised import score_log
from r2k.monitor.service import live_scored, publish, score_forecasts
from r2k.monitor.version import model_version
from r2k.snapshot import Snapshot
from r2k.store import Store
from r2k.validation.metrics import crps_normal
from tests_support import price_series

NOW = datetime(2026, 1, 2, 12, 0)


@dataclass(frozen=True)
class GradedOutlook:
    """The part of the real ``Outlook.to_dict()`` the log reads: its risk grades by term."""

    def to_dict(self) -> dict:
        return {"as_of": "2021-06-30", "risk_grades": {"short": {"label": "Baa2", "notch": 8}, "long": {"label": "A1", "notch": 4}},
                "key_points": [{"text": "a", "section": "outlook"}], "scenarios": []}


def _closes(n: int = 1100, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 1000 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, n)))


@pytest.fixture
def store(store_path):  # noqa: ANN001, ANN201
    with Store(store_path) as s:
        s.write([price_series("RUT", _closes(), "2018-01-01")], "test", NOW)
        yield s


def _fc(s: Store, day: str):  # noqa: ANN202
    return forecast_as_of(s.series("RUT"), as_of=pd.Timestamp(day).date(), horizons=(5, 20), models=("climatology", "garch"))


def test_publishing_twice_changes_nothing(store: Store) -> None:
    fc = _fc(store, "2021-06-30")
    first = publish(store, fc, source="test", now=NOW, version="v1")
    before = store.forecast_log()
    again = publish(store, fc, source="test", now=datetime(2026, 2, 1), version="v1")
    assert (first.rows_new, again.rows_new, again.rows_changed, again.rows_unchanged) == (4, 0, 0, 4)
    pd.testing.assert_frame_equal(before, store.forecast_log())
    row = before[(before["model"] == "garch") & (before["horizon"] == 20)].iloc[0]
    f = next(f for f in fc.forecasts if f.model == "garch" and f.horizon == 20)
    assert row["target"] == f.target and row["last_close"] == fc.last_close and row["mean"] == f.dist.mean
    np.testing.assert_array_equal(np.asarray(row["quantiles"]), f.dist.quantiles)
    assert row["model_version"] == "v1" and row["ratings"] is None and row["logged_at"] == NOW


def test_ratings_are_filled_in_once_an_outlook_exists(store: Store) -> None:
    fc = _fc(store, "2021-06-30")
    publish(store, fc, source="test", now=NOW, version="v1")
    w = publish(store, fc, source="dashboard", now=NOW, version="v1", outlook=GradedOutlook())
    assert (w.rows_new, w.rows_changed) == (0, 4)
    ratings = json.loads(store.forecast_log()["ratings"].iloc[0])
    assert ratings == {"long_term": "A1", "short_term": "Baa2"}
    assert publish(store, fc, source="x", now=NOW, version="v1", outlook=GradedOutlook()).rows_changed == 0
    assert ratings_of(None) is None and ratings_of({"note": "no ratings"}) is None
    # the real outlook's to_dict(): its risk grades by term
    real = {"risk_grades": {"short": {"label": "B2", "notch": 14}, "long": {"label": "Baa1", "notch": 7}},
            "rating_table": [{"rating": "x"}]}
    assert ratings_of(real) == {"short_term": "B2", "long_term": "Baa1"}


def test_model_version_hashes_code_parameters_and_the_rating_map(tmp_path) -> None:  # noqa: ANN001
    import r2k
    from r2k.store.forecast_cache import code_fingerprint

    rmap = tmp_path / "rating_map.json"
    rmap.write_text('{"version": 1}')
    v1 = model_version("code-a", rmap)
    assert v1.startswith(f"{r2k.__version__}+") and len(v1.split("+")[1]) == 10
    assert model_version("code-b", rmap) != v1  # an edited model or a retuned tuned.json (part of the fingerprint)
    rmap.write_text('{"version": 2}')
    assert model_version("code-a", rmap) != v1  # a new rating map
    assert model_version() == model_version(code_fingerprint())  # the default is the forecast cache's fingerprint


def test_realised_scores_known_answer() -> None:
    d = Distribution.from_normal(0.0, 0.05)
    log = pd.DataFrame([{"symbol": "RUT", "origin": pd.Timestamp("2020-01-02"), "horizon": 2, "model": "m", "model_version": "v",
                         "target": pd.Timestamp("2020-01-06"), "last_close": 100.0, "mean": 0.0, "p_up": d.p_up,
                         "quantiles": list(d.quantiles)},
                        {"symbol": "RUT", "origin": pd.Timestamp("2020-01-03"), "horizon": 2, "model": "m", "model_version": "v",
                         "target": pd.Timestamp("2020-01-07"), "last_close": 100.0, "mean": 0.0, "p_up": d.p_up,
                         "quantiles": list(d.quantiles)}])
    closes = pd.Series([101.0, 99.0, 105.0], index=pd.DatetimeIndex(["2020-01-02", "2020-01-03", "2020-01-06"]))
    scored = score_log(log, closes)
    assert len(scored) == 1  # the second target (2020-01-07) has no close yet
    y = np.log(1.05)
    r = scored.iloc[0]
    assert r["y"] == pytest.approx(y)
    assert r["crps"] == pytest.approx(crps_normal(np.array([y]), 0.0, 0.05)[0], rel=0.01)
    assert r["pit"] == pytest.approx(0.5 + 0.5 * 0.6708, abs=0.01)  # Phi(0.04879 / 0.05) = 0.8355
    assert bool(r["hit80"]) and bool(r["hit90"])  # |y| = 0.0488 < 1.2816 * 0.05
    assert not bool(r["direction_hit"])  # P(up) = 0.5 is not a call for "up"


def test_score_run_is_idempotent(store: Store) -> None:
    for day in ("2021-03-31", "2021-06-30"):
        publish(store, _fc(store, day), source="test", now=NOW, version="v1")
    first = score_forecasts(store, NOW)
    again = score_forecasts(store, datetime(2026, 3, 1))
    assert first.n_logged == 8 and first.n_realised == 8 and first.write.rows_new == 8
    assert (again.write.rows_new, again.write.rows_changed, again.write.rows_unchanged) == (0, 0, 8)
    log = store.forecast_log()
    assert log["crps"].notna().all() and (log["crps"] > 0).all()


def test_as_of_view_ignores_the_future(store: Store, tmp_path) -> None:  # noqa: ANN001
    """Rewriting every close after the as-of date with garbage leaves the as-of scores unchanged."""
    for day in ("2020-09-30", "2020-12-31", "2021-03-31"):
        publish(store, _fc(store, day), source="test", now=NOW, version="v1")
    cut = pd.Timestamp("2021-02-15").date()
    _, before = live_scored(store, "RUT", cut)
    closes = store.series("RUT")
    garbage = closes.copy()
    garbage[garbage.index > pd.Timestamp(cut)] = 1.0
    with Store(tmp_path / "garbage.duckdb") as other:
        other.write([price_series("RUT", garbage.to_numpy(), "2018-01-01")], "test", NOW)
        other.log_forecasts(store.forecast_log().drop(columns=["source", "logged_at", "y", "crps", "pit", "hit80", "hit90", "direction_hit"]),
                            "test", NOW)
        _, after = live_scored(other, "RUT", cut)
    assert len(before) == 8  # origins 2020-09-30 and 2020-12-31 x h 5, 20 x 2 models are realised by then; 2021-03-31 is not
    pd.testing.assert_frame_equal(before.drop(columns="logged_at"), after.drop(columns="logged_at"))


def test_status_before_any_logged_target_is_realised(store: Store) -> None:
    """Forecasts logged at later origins, or not yet realised, leave an as-of view with nothing scored."""
    from r2k.monitor.service import monitor_status

    publish(store, _fc(store, "2021-06-30"), source="test", now=NOW, version="v1")
    for day in ("2020-06-30", "2021-07-01"):
        st = monitor_status(Snapshot(store, pd.Timestamp(day).date()), walk_forward=False)
        assert st.status == "insufficient" and st.n_scored == 0


def test_live_record_ends_at_the_close_of_the_session_after_the_origin() -> None:
    from r2k.monitor.log import is_live, live_deadline

    friday = pd.Timestamp("2020-03-20")  # next session Monday 2020-03-23, closing 16:00 EDT = 20:00 UTC
    assert list(live_deadline(pd.Series([friday]))) == [pd.Timestamp("2020-03-23 20:00")]
    dec = pd.Timestamp("2020-12-24")  # Christmas: next session 2020-12-28, 16:00 EST = 21:00 UTC
    assert list(live_deadline(pd.Series([dec]))) == [pd.Timestamp("2020-12-28 21:00")]
    log = pd.DataFrame({"origin": [friday] * 3 + [dec],
                        "logged_at": pd.to_datetime(["2020-03-20 22:00", "2020-03-23 19:59", "2020-03-23 20:01",
                                                     "2021-01-05 12:00"])})
    assert is_live(log).tolist() == [True, True, False, False]
    assert is_live(log.iloc[0:0]).tolist() == []
