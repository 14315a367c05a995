"""build_outlook end to end on a synthetic store: no look-ahead (ratings, scenarios, key points, track
record), the CLI's JSON, and scenarios/technical signals with known answers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from r2k import __version__
from r2k.analytics.trend_detect import detect_trends
from r2k.cli.app import app
from r2k.models.base import Distribution
from r2k.outlook import build_outlook
from r2k.outlook.scenarios import _conditional_frequency, _model_event
from r2k.outlook.technical import share_pointing, technical_signals
from r2k.serialize import dumps
from r2k.snapshot import Snapshot
from r2k.store import Store

from outlook_support import light_ensemble, market, store_with, synthetic_map

AS_OF = date(2021, 12, 31)


@pytest.fixture(autouse=True)
def _light(monkeypatch: pytest.MonkeyPatch) -> None:
    light_ensemble(monkeypatch)


@pytest.fixture(scope="module")
def stores(outlook_market: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Five years of days from 2017 (the ensemble's members are all ready by 2020, so the record has outcomes): the
    session's market, and the same market with nonsense after 2022-01-10."""
    d = tmp_path_factory.mktemp("outlook")
    return outlook_market, market(d / "garbage.duckdb", garbage_after="2022-01-10")


def _outlook_json(path: Path, cache: Path) -> dict:
    """The outlook with the record, its block forecasts cached in ``cache``."""
    from r2k.config import Settings

    with Store(path, read_only=True) as s:
        o = build_outlook(Snapshot(s, AS_OF, settings=Settings(store_path=path, cache_dir=cache)),
                          rating_map=synthetic_map(), track="report")
    return json.loads(dumps(o.to_dict()))


def test_rewriting_the_future_leaves_the_outlook_unchanged(stores: tuple[Path, Path], session_cache: Path) -> None:
    # the garbage store computes every block itself (its own empty cache: the clean store's blocks, whose inputs before
    # 2022-01-10 are the same, would hide a look-ahead); the clean one shares the session's cache with the other tests
    clean, garbage = _outlook_json(stores[0], session_cache), _outlook_json(stores[1], stores[1].with_suffix(".cache"))
    assert clean["risk_grades"] == garbage["risk_grades"]
    assert clean["return_view"] == garbage["return_view"]
    assert clean["scenarios"] == garbage["scenarios"]
    assert clean["key_points"] == garbage["key_points"]
    assert clean["track"] == garbage["track"]
    assert clean == garbage
    assert clean["origin"] == "2021-12-31" and len(clean["key_points"]) >= 4
    assert {g["label"] for g in clean["risk_grades"].values()} <= set(synthetic_map().to_dict()["notches"])
    assert clean["track"]["short"]["n"] > 0


def test_cli_outlook_json_and_text(stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.outlook.build as build

    monkeypatch.setattr(build, "load_map", synthetic_map)
    runner = CliRunner()
    res = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2021-12-31", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["as_of"] == "2021-12-31" and set(out["risk_grades"]) == {"short", "long"}
    short = out["risk_grades"]["short"]
    assert {"label", "notch", "score", "horizon_days", "share_worse", "definition"} <= set(short)
    assert short["horizon_days"] == 20 and out["risk_grades"]["long"]["horizon_days"] == 260
    assert -1 < short["score"] < 0 and 0 <= short["share_worse"] <= 1
    view = out["return_view"]["short"]
    assert {"p_up", "base_p_up", "expected_excess_return", "verdict", "auc", "auc_ci"} <= set(view)
    assert view["verdict"].startswith("direction not assessed") and view["auc"] is None  # no record without --track
    assert "track" not in out and "ratings" not in out  # the old mixed rating is gone
    text = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2021-12-31"])
    assert text.exit_code == 0 and "Risk grade" in text.output and "Key points" in text.output
    assert "downside risk higher than in" in text.output and "indicative" in text.output
    tracked = json.loads(runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2021-12-31", "--track",
                                             "--json"]).output)
    rec = tracked["track"]["short"]
    assert {"group", "count", "realised_vol", "worst_drawdown", "loss_5", "loss_10", "below_q05"} <= set(rec["groups"][0])
    assert rec["primary_test"] is None or {"statistic", "ci_low", "ci_high"} <= set(rec["primary_test"])
    assert tracked["return_view"]["short"]["verdict"] in ("no detectable edge on direction", "above the usual",
                                                          "near the usual", "below the usual")
    bad = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2018-06-01"])
    assert bad.exit_code == 1 and "closes up to 2018-06-01" in bad.stderr
    with Store(stores[0], read_only=True) as s:
        last = s.last_date("RUT")
    future = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2098-12-31", "--json"])
    assert future.exit_code == 0, future.output
    assert json.loads(future.stdout)["as_of"] == last.isoformat()  # never labelled 2098 (issue 22, item 9)
    assert f"2098-12-31 is after the last Russell 2000 close in the store ({last}): the results use {last}" in future.stderr


def test_cli_ratings_explain() -> None:
    res = CliRunner().invoke(app, ["ratings", "--explain"])
    assert res.exit_code == 0 and "Aaa" in res.output and "cut" in res.output and "expected shortfall" in res.output
    js = json.loads(CliRunner().invoke(app, ["ratings", "--json"]).output)
    assert len(js["notches"]) == 21 and set(js["horizons"]) == {"20", "260"} and js["map_version"] == 3


def test_model_event_probability_and_impact_of_a_normal() -> None:
    mu, sigma = 0.005, 0.05
    d = Distribution.from_normal(mu, sigma)
    s = _model_event("rally_5", "Rally", 1, d, np.log(1.05), (), "")
    assert s.likelihood == pytest.approx(stats.norm.sf(np.log(1.05), mu, sigma), abs=0.003)
    assert s.impact > 0.05
    down = _model_event("fall_5", "Fall", -1, d, np.log(0.95), (), "")
    assert down.likelihood == pytest.approx(stats.norm.cdf(np.log(0.95), mu, sigma), abs=0.003) and down.impact < -0.05


def test_conditional_frequency_counts_only_finished_windows() -> None:
    n = 200
    idx = pd.bdate_range("2020-01-01", periods=n)
    level = pd.Series(np.tile([1.0, 2.0], n // 2), index=idx)  # today (last) is in the upper bucket
    close = pd.Series(np.linspace(100, 120, n), index=idx)
    event = np.zeros(n, dtype=bool)
    event[1::2] = True  # the event follows every upper-bucket day
    p, impact, count = _conditional_frequency(level, close, event, 2)
    assert p == 1.0 and count == (n - 20) // 2
    assert impact > 0


def test_technical_signals_on_a_steady_rise_all_point_up() -> None:
    idx = pd.bdate_range("2015-01-01", periods=1500)
    rng = np.random.default_rng(0)
    close = pd.Series(100 * np.exp(0.0006 * np.arange(1500) + 0.002 * rng.standard_normal(1500)), index=idx, name="X")
    sig = technical_signals(close, detect_trends(close))
    assert {s.name for s in sig} >= {"primary trend", "momentum 3 months", "moving-average trend", "drawdown", "records"}
    assert sum(s.direction == 1 for s in sig) >= len(sig) - 2
    assert share_pointing(sig, 1) >= 0.75 and share_pointing(sig, -1) <= 0.12


def test_cli_ratings_calibrate_writes_a_map_from_pre_cutoff_origins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.outlook.rating_map as rm

    monkeypatch.setattr(rm, "CALIBRATION_START", date(2015, 1, 2))  # one year of weekly origins keeps the test fast
    late = store_with(tmp_path / "late.duckdb", n=600, start="2016-01-04")
    res = CliRunner().invoke(app, ["ratings", "--calibrate", "--store", str(late), "--out", str(tmp_path / "x.json")])
    assert res.exit_code == 1 and "error:" in res.stderr and not (tmp_path / "x.json").exists()
    store = store_with(tmp_path / "s.duckdb", n=1300, start="2011-01-03", vol=0.02)
    out = tmp_path / "map.json"
    res = CliRunner().invoke(app, ["ratings", "--calibrate", "--store", str(store), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    written = json.loads(out.read_text())
    doc = json.loads(res.output)  # the CLI contract: as_of and r2k's version first; the map's own version renamed
    assert doc["as_of"] == "2015-12-31" and doc["version"] == __version__
    body = {k: v for k, v in doc.items() if k not in ("as_of", "version")}
    body["version"] = body.pop("map_version")
    assert written == body and written["score"] == "es05"
    assert "2015-01" <= written["calibration"]["first_origin"] and written["calibration"]["last_origin"] <= "2015-12-31"
    assert set(written["horizons"]) <= {"20", "260"} and "20" in written["horizons"]
    assert rm.from_dict(written).for_horizon(20).cuts == tuple(sorted(written["horizons"]["20"]["cuts"]))


def test_a_combining_outlook_model_sees_its_members_realised_forecasts(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass, field

    import r2k.models.registry as registry
    from r2k.models.base import Capabilities
    from r2k.outlook.source import origin_distributions

    seen: list[int] = []

    @dataclass
    class Echo:
        """Forecasts climatology's current distribution; records how many realised member rows it saw."""

        name: str = "echo"
        capabilities: Capabilities = field(default_factory=lambda: Capabilities(stacks=("climatology",)))

        def fit(self, history, rng) -> None:  # noqa: ANN001
            pass

        def update(self, history) -> None:  # noqa: ANN001
            pass

        def predict(self, history, horizons, rng):  # noqa: ANN001, ANN201
            f = history.forecasts
            seen.append(int(f["y"].notna().sum()))
            now = f[f["origin"] == history.origin].set_index("horizon")
            return {h: Distribution(float(now.loc[h, "mean"]), now.loc[h, [f"q{p:02d}" for p in range(1, 100)]].to_numpy(dtype=float),
                                    float(now.loc[h, "p_up"])) for h in horizons}

    monkeypatch.setitem(registry.MODELS, "echo", Echo)
    idx = pd.bdate_range("2015-01-01", periods=1200)
    close = pd.Series(100 * np.exp(np.cumsum(np.random.default_rng(1).normal(0.0003, 0.01, 1200))), index=idx)
    d = origin_distributions(close, model="echo")
    assert d.origin == idx[-1] and set(d.dists) == {20, 260} and set(d.base) == {20, 260}
    assert seen[-1] > 0  # at the origin it had realised member forecasts to learn from


def test_cached_outlook_is_identical_to_an_uncached_one(stores: tuple[Path, Path], tmp_path: Path) -> None:
    from r2k.config import Settings

    def build(cache: Path | None, n_jobs: int = 1) -> dict:
        with Store(stores[0], read_only=True) as s:
            o = build_outlook(Snapshot(s, AS_OF, settings=Settings(store_path=stores[0], cache_dir=cache)),
                              rating_map=synthetic_map(), track="report", n_jobs=n_jobs)
        return json.loads(dumps(o.to_dict()))

    plain = build(None)
    assert build(tmp_path, n_jobs=2) == plain  # cold: the record (two workers), then the live forecast; fills the cache
    blocks = list((tmp_path / "forecasts").rglob("*.entry"))
    assert blocks and list((tmp_path / "frames").glob("*.entry"))
    for p in (tmp_path / "frames").glob("*.entry"):  # drop the whole-frame cache: the record is rebuilt from blocks
        p.unlink()
    assert build(tmp_path) == plain  # warm: every block read back, the same numbers
    assert sorted((tmp_path / "forecasts").rglob("*.entry")) == sorted(blocks)  # nothing new had to be forecast


def test_the_records_grade_is_the_outlooks_grade_as_of_that_origin(outlook_market: Path, session_cache: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One forecast per date: at 24 spread origins of the weekly record (both horizons, refit days and the days
    between), the live grade as of that origin is exactly the record's; and so is `r2k outlook --as-of`'s."""
    from r2k.config import Settings
    from r2k.outlook.ratings import grade
    from r2k.outlook.source import origin_distributions
    import r2k.outlook.build as build

    monkeypatch.setattr(build, "load_map", synthetic_map)
    path = outlook_market  # the record and the live forecasts share the session's cache, as the outlook's own runs do
    settings = Settings(store_path=path, cache_dir=session_cache)
    rmap = synthetic_map()
    with Store(path, read_only=True) as s:
        o = build_outlook(Snapshot(s, AS_OF, settings=settings), rating_map=rmap, track="report")
        rated = o.track.rated
        picked = [rows.iloc[:: max(1, len(rows) // 12)].head(12) for _, rows in rated.groupby("horizon")]
        checks = pd.concat(picked)
        assert len(checks) >= 20 and set(checks["horizon"]) == {20, 260}
        close = s.series("RUT").dropna()
        for row in checks.itertuples():
            day = pd.Timestamp(row.origin).date()
            d = origin_distributions(close, day, features=Snapshot(s, day, settings=settings).inputs(), seed=settings.seed,
                                     cache=build.forecast_cache(settings.cache_dir))
            live = grade(d.dists[row.horizon], row.horizon, rmap)
            assert (live.notch, live.score) == (row.notch, row.score), f"{day}, {row.horizon} days"
    day = str(pd.Timestamp(checks["origin"].iloc[-1]).date())
    monkeypatch.setenv("R2K_CACHE_DIR", str(settings.cache_dir))
    out = json.loads(CliRunner().invoke(app, ["outlook", "--store", str(path), "--as-of", day, "--json"]).output)
    for term, h in (("short", 20), ("long", 260)):
        row = rated[(rated["horizon"] == h) & (rated["origin"] == pd.Timestamp(day))].iloc[0]
        assert (out["risk_grades"][term]["notch"], out["risk_grades"][term]["score"]) == (row.notch, row.score)


def test_the_records_last_origin_is_the_live_forecast(outlook_market: Path, session_cache: Path) -> None:
    """A record ending on its as-of date stands in for the live forecast: the same distributions, base rates, targets
    and member weights, bit for bit, so the outlook runs the walk-forward once."""
    from dataclasses import replace

    from r2k.config import Settings
    from r2k.forecasting import forecast_cache
    from r2k.outlook.build import report_plan
    from r2k.outlook.source import origin_distributions, record_distributions, record_run

    settings = Settings(store_path=outlook_market, cache_dir=session_cache)
    cache = forecast_cache(session_cache)
    with Store(outlook_market, read_only=True) as s:
        for day in (AS_OF, date(2021, 11, 17)):
            snap = Snapshot(s, day, settings=settings)
            close, feats = snap.closes(), snap.inputs()
            plan = report_plan(settings.tuning_cutoff, snap.day)
            record = record_run(close, plan, features=feats, seed=settings.seed, cache=cache)
            from_record = record_distributions(record, close, seed=settings.seed)
            live = origin_distributions(close, day, features=feats, seed=settings.seed, cache=cache)
            assert from_record is not None and from_record.origin == live.origin == close.index[-1]
            for h in (20, 260):
                for got, want in ((from_record.dists[h], live.dists[h]), (from_record.base[h], live.base[h])):
                    np.testing.assert_array_equal(got.quantiles, want.quantiles)
                    assert (got.mean, got.p_up) == (want.mean, want.p_up)
            assert from_record.targets == live.targets and from_record.last_close == live.last_close
            pd.testing.assert_frame_equal(from_record.weights, live.weights, check_exact=True)
            pd.testing.assert_frame_equal(from_record.forecast.table(), live.forecast.table(), check_exact=True)
            assert from_record.forecast.notes == live.forecast.notes == ()
            # not final: no weights at the last origin, so the record does not stand in
            plain = record_run(close, replace(plan, final=False), features=feats, seed=settings.seed, cache=cache)
            assert plain.weights is None and record_distributions(plain, close, seed=settings.seed) is None
