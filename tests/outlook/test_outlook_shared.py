"""The risk grade on ../shared/data with the shipped rating map (skipped when the data is absent): a crash grades in
the worse half and a calm market in the better half, and `r2k forecast` gives the same 20-day quantiles whichever
other horizons are asked for, at an early date where the members' warm-up depends on the longest horizon.

One forecast cache for the module: the two dates' 8-year windows share most of their blocks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.config import load_settings
from r2k.forecasting import forecast_cache, forecast_from_store
from r2k.outlook.rating_map import load_map
from r2k.outlook.ratings import grade
from r2k.outlook.scale import is_better_half
from r2k.store import Store


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared-cache")


@pytest.mark.parametrize("day,better", [(date(2017, 6, 30), True), (date(2020, 3, 16), False)])
def test_a_crash_grades_in_the_worse_half_and_a_calm_market_in_the_better(shared_store: Path, cache_dir: Path,
                                                                          day: date, better: bool) -> None:
    with Store(shared_store, read_only=True) as s:
        fc = forecast_from_store(s, as_of=day, horizons=(20,), models=("ensemble",), seed=load_settings({}).seed,
                                 cache_dir=cache_dir)
        vix = float(s.series("VIX", as_of=day).iloc[-1])
    g = grade(fc.forecasts[0].dist, 20, load_map())
    assert is_better_half(g.notch) == better, g.meaning()
    assert (g.share_worse < 0.5) == better and (vix < 20) == better  # March 2020: VIX above 50; June 2017: near 11
    assert g.meaning().startswith(f"{g.label} — 4-week downside risk higher than in ")


def test_forecast_cli_gives_the_same_20_day_quantiles_whatever_else_is_asked(shared_store: Path, cache_dir: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("R2K_CACHE_DIR", str(cache_dir))
    runner = CliRunner()

    def twenty(horizons: str) -> dict:
        res = runner.invoke(app, ["forecast", "--store", str(shared_store), "--as-of", "1996-12-31", "--horizons", horizons,
                                  "--no-log", "--json"])
        assert res.exit_code == 0, res.output
        return next(f for f in json.loads(res.output)["forecasts"] if f["model"] == "ensemble" and f["horizon"] == 20)

    alone, many = twenty("20"), twenty("5,10,20,260")
    assert alone["quantiles"] == many["quantiles"] and alone["p_up"] == many["p_up"] and alone["mean"] == many["mean"]
    assert forecast_cache(cache_dir) is not None
