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

from outlook_support import store_with, synthetic_map

AS_OF = date(2021, 12, 31)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("outlook")
    return store_with(d / "clean.duckdb"), store_with(d / "garbage.duckdb", garbage_after="2022-01-10")


def _outlook_json(path: Path) -> dict:
    with Store(path, read_only=True) as s:
        o = build_outlook(Snapshot(s, AS_OF), rating_map=synthetic_map(), track="report")
    return json.loads(dumps(o.to_dict()))


def test_rewriting_the_future_leaves_the_outlook_unchanged(stores: tuple[Path, Path]) -> None:
    clean, garbage = _outlook_json(stores[0]), _outlook_json(stores[1])
    assert clean["ratings"] == garbage["ratings"]
    assert clean["scenarios"] == garbage["scenarios"]
    assert clean["key_points"] == garbage["key_points"]
    assert clean["track_record"] == garbage["track_record"]
    assert clean == garbage
    assert clean["origin"] == "2021-12-31" and len(clean["key_points"]) >= 4
    assert {r["rating"] for r in clean["ratings"].values()} <= set(synthetic_map().to_dict()["notches"])
    assert clean["track_record"]["horizons"]["20"]["n_origins"] > 0


def test_cli_outlook_json_and_text(stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.outlook.build as build

    monkeypatch.setattr(build, "load_map", synthetic_map)
    runner = CliRunner()
    res = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2021-12-31", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["as_of"] == "2021-12-31" and set(out["ratings"]) == {"10", "20", "260"}
    assert out["track_record"] is None  # the terminal command skips it unless --track
    text = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2021-12-31"])
    assert text.exit_code == 0 and "short-term" in text.output and "Key points" in text.output
    assert "volatility model" in text.output  # the long-horizon P(up) caveat
    bad = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2019-02-01"])
    assert bad.exit_code == 1 and "closes up to 2019-02-01" in bad.stderr
    with Store(stores[0], read_only=True) as s:
        last = s.last_date("RUT")
    future = runner.invoke(app, ["outlook", "--store", str(stores[0]), "--as-of", "2098-12-31", "--json"])
    assert future.exit_code == 0, future.output
    assert json.loads(future.stdout)["as_of"] == last.isoformat()  # never labelled 2098 (issue 22, item 9)
    assert f"2098-12-31 is after the last Russell 2000 close in the store ({last}): the results use {last}" in future.stderr


def test_cli_ratings_explain() -> None:
    res = CliRunner().invoke(app, ["ratings", "--explain"])
    assert res.exit_code == 0 and "Aaa" in res.output and "cut" in res.output
    js = json.loads(CliRunner().invoke(app, ["ratings", "--json"]).output)
    assert len(js["notches"]) == 21 and set(js["horizons"]) >= {"20", "260"}


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

    monkeypatch.setattr(rm, "CALIBRATION_STEP", 60)  # a coarse plan keeps the test fast
    calm = store_with(tmp_path / "calm.duckdb", n=1800, start="2010-01-01", vol=0.004)
    res = CliRunner().invoke(app, ["ratings", "--calibrate", "--store", str(calm), "--out", str(tmp_path / "x.json")])
    assert res.exit_code == 1 and "never varied" in res.stderr and not (tmp_path / "x.json").exists()
    store = store_with(tmp_path / "s.duckdb", n=1800, start="2010-01-01", vol=0.02)
    out = tmp_path / "map.json"
    res = CliRunner().invoke(app, ["ratings", "--calibrate", "--store", str(store), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    written = json.loads(out.read_text())
    doc = json.loads(res.output)  # the CLI contract: as_of and r2k's version first; the map's own version renamed
    assert doc["as_of"] == "2015-12-31" and doc["version"] == __version__
    body = {k: v for k, v in doc.items() if k not in ("as_of", "version")}
    body["version"] = body.pop("map_version")
    assert written == body
    assert written["calibration"]["last_origin"] <= "2015-12-31" and set(written["horizons"]) == {"10", "20", "260"}
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
    assert d.origin == idx[-1] and set(d.dists) == {10, 20, 260}
    assert seen[-1] > 0  # at the origin it had realised member forecasts to learn from


def test_cached_outlook_is_identical_to_an_uncached_one(stores: tuple[Path, Path], tmp_path: Path) -> None:
    from r2k.config import Settings

    def build(cache: Path | None, n_jobs: int = 1) -> dict:
        with Store(stores[0], read_only=True) as s:
            o = build_outlook(Snapshot(s, AS_OF, settings=Settings(store_path=stores[0], cache_dir=cache)),
                              rating_map=synthetic_map(), track="report", n_jobs=n_jobs)
        return json.loads(dumps(o.to_dict()))

    plain = build(None)
    assert build(tmp_path, n_jobs=2) == plain  # cold: live forecast and track record in two processes; fills the cache
    blocks = list((tmp_path / "forecasts").rglob("*.entry"))
    assert blocks and list((tmp_path / "frames").glob("*.entry"))
    for p in (tmp_path / "frames").glob("*.entry"):  # drop the whole-frame cache: the track record is rebuilt from blocks
        p.unlink()
    assert build(tmp_path) == plain  # warm: every block read back, the same numbers
    assert sorted((tmp_path / "forecasts").rglob("*.entry")) == sorted(blocks)  # nothing new had to be forecast
