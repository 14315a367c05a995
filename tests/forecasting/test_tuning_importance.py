"""Tuning reads nothing after the cutoff; tuned.json round trip; permutation importance finds the driver."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from gbm_support import rewrite_after, vol_driven_inputs
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.config import Settings
from r2k.models.gbm import GradientBoosting
from r2k.models.tuned import tuned_params, tuned_params_hash, tuned_record
from r2k.validation.folds import FoldPlan
from r2k.validation.importance import (contributions_table, importance_report, latest_contributions, permutation_importance,
                                       top_contributions)
from r2k.validation.tuning import TuningError, tune, write_tuned


@pytest.fixture(scope="module")
def inputs() -> pd.DataFrame:
    return vol_driven_inputs(1400)[0]


def test_tuning_never_reads_after_the_cutoff(inputs) -> None:
    cutoff = inputs.index[1250].date()
    garbage = rewrite_after(inputs, pd.Timestamp(cutoff), 4)
    plan = FoldPlan(horizons=(5, 10), start=inputs.index[1150].date(), end=inputs.index[-1].date(), step=30, refit_every=3)
    a = tune(inputs["close"], "gbm", features=inputs, trials=2, cutoff=cutoff, plan=plan, seed=5)
    b = tune(garbage["close"], "gbm", features=garbage, trials=2, cutoff=cutoff, plan=plan, seed=5)
    assert a.params == b.params and a.best_crps == b.best_crps
    pd.testing.assert_frame_equal(a.history, b.history)
    assert a.plan.end == cutoff and len(a.history) == 2 and np.isfinite(a.best_crps)
    assert Settings(store_path=None).tuning_cutoff == date(2015, 12, 31)  # type: ignore[arg-type]
    with pytest.raises(TuningError, match="no search space"):
        tune(inputs["close"], "garch", trials=1)


def test_tuned_file_round_trip(tmp_path, inputs) -> None:
    cutoff = inputs.index[1250].date()
    plan = FoldPlan(horizons=(5,), start=inputs.index[1200].date(), step=40, refit_every=2)
    result = tune(inputs["close"], "gbm", features=inputs, trials=1, cutoff=cutoff, plan=plan, seed=2)
    path = tmp_path / "tuned.json"
    path.write_text(json.dumps({"format": 1, "models": {"other": {"params": {"x": 1}}}}))
    before = tuned_params_hash(path)
    write_tuned(result, date(2026, 1, 2), path)
    assert tuned_params("gbm", path) == result.params and tuned_params("other", path) == {"x": 1}
    rec = tuned_record("gbm", path)
    assert rec["trials"] == 1 and rec["cutoff"] == cutoff.isoformat() and rec["seed"] == 2 and rec["written"] == "2026-01-02"
    assert tuned_params_hash(path) != before and len(before) == 12
    assert GradientBoosting(**tuned_params("gbm", path)).n_trees == result.params["n_trees"]


def test_permutation_importance_finds_the_volatility_driver(inputs) -> None:
    plan = FoldPlan(horizons=(10,), start=inputs.index[1000].date(), step=15, refit_every=4)
    member = GradientBoosting(n_trees=40, num_leaves=5, min_leaf=40)
    res = permutation_importance(inputs["close"], inputs, plan=plan, groups=("log_vix", "ret_250", "z:*", "nothing*"),
                                 seed=3, member=member)
    t = res.table
    assert list(t["feature"])[0] == "log_vix" and set(t["feature"]) == {"log_vix", "ret_250", "z:*"}
    top = t.iloc[0]
    assert top["crps_increase"] > 0 and top["se"] > 0  # realised volatility carries much of the same information
    assert t.set_index("feature").loc["z:*", "columns"] == 2
    assert list(importance_report(res, 2).columns) == ["feature", "relative", "relative_se"]
    origin, contrib = latest_contributions(inputs["close"], inputs, horizons=(5, 10), seed=1)
    assert origin == inputs.index[-1] and set(contrib["scale"]) == {5, 10}
    table = top_contributions(contrib, 10, n=5)
    assert len(table) == 5 and table["log_variance"].abs().is_monotonic_decreasing
    assert contributions_table(inputs["close"], inputs, horizon=5, n=3, seed=1).equals(top_contributions(
        latest_contributions(inputs["close"], inputs, horizons=(5,), seed=1)[1], 5, 3))


def test_permuted_runs_never_see_the_future(inputs) -> None:
    cut = inputs.index[1200]
    garbage = rewrite_after(inputs, cut, 6)
    plan = FoldPlan(horizons=(5,), start=inputs.index[1100].date(), step=20, refit_every=2)
    member = GradientBoosting(n_trees=20, num_leaves=3, min_leaf=40)
    plan = replace(plan, end=inputs.index[1195].date())  # every 5-day target is realised by the cut
    a = permutation_importance(inputs["close"], inputs, plan=plan, groups=("log_vix", "rv_*"), seed=2, member=member)
    b = permutation_importance(garbage["close"], garbage, plan=plan, groups=("log_vix", "rv_*"), seed=2, member=member)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.table.set_index("feature").loc["rv_*", "columns"] == 3


def test_cli_help_lists_the_new_commands() -> None:
    runner = CliRunner()
    for cmd in ("tune", "importance"):
        out = runner.invoke(app, [cmd, "--help"])
        assert out.exit_code == 0 and "Usage:" in out.output
        assert ("cutoff" if cmd == "tune" else "earlier day") in " ".join(out.output.split())


@pytest.fixture(scope="module")
def tune_store(tmp_path_factory, inputs) -> str:
    """The synthetic inputs' close (as RUT), VIX and GSPC in a store: enough for gbm's input frame."""
    from tests_support import NOW

    from r2k.providers.base import SeriesData
    from r2k.schemas import validate
    from r2k.store import Store

    path = tmp_path_factory.mktemp("tune") / "s.duckdb"
    frames = {"RUT": inputs["close"], "VIX": inputs["VIX"], "GSPC": inputs["GSPC"]}
    with Store(path) as s:
        s.write([SeriesData(sid, "price", validate(pd.DataFrame({"date": col.index.astype("datetime64[us]"), "close": col.to_numpy()}),
                                                   "price", "test"), "test") for sid, col in frames.items()],
                source="test", now=NOW)
    return str(path)


def _tune_args(inputs, store: str, *extra: str) -> list[str]:
    return ["tune", "--trials", "1", "--horizons", "5", "--cutoff", str(inputs.index[1250].date()),
            "--start", str(inputs.index[1150].date()), "--step", "40", "--refit-every", "2", "--store", store, *extra]


def test_tune_command_runs_a_tiny_search_without_writing(inputs, tune_store) -> None:
    before = tuned_params_hash()
    out = CliRunner().invoke(app, _tune_args(inputs, tune_store, "--no-write", "--json"))
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["model"] == "gbm" and doc["trials"] == 1 and doc["written_to"] is None
    assert doc["as_of"] == str(inputs.index[1250].date()) and doc["best_crps"] > 0 and "n_trees" in doc["params"]
    assert tuned_params_hash() == before  # --no-write left the package's file alone


def test_tune_writes_out_through_the_checked_writer(tmp_path, inputs, tune_store) -> None:
    target = tmp_path / "sub" / "tuned.json"
    out = CliRunner().invoke(app, _tune_args(inputs, tune_store, "--out", str(target)))
    assert out.exit_code == 0, out.output
    assert tuned_record("gbm", target)["trials"] == 1 and not list(target.parent.glob("*.tmp"))
    (tmp_path / "dir.json").mkdir()
    bad = CliRunner().invoke(app, _tune_args(inputs, tune_store, "--out", str(tmp_path / "dir.json")))
    assert bad.exit_code == 1 and bad.stderr.startswith("error: cannot write") and "it is a directory" in bad.stderr
    assert "gbm: best mean CRPS" not in bad.stdout  # refused before the search, not after it


def test_the_default_target_is_never_an_installed_packages_file(tmp_path) -> None:
    from r2k.models.tuned import default_tuned_target

    source = tmp_path / "src" / "r2k" / "models" / "tuned.json"
    assert default_tuned_target(source) == source
    for site in ("site-packages", "dist-packages"):
        assert default_tuned_target(tmp_path / "lib" / "python3.11" / site / "r2k" / "models" / "tuned.json") is None
