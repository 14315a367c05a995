"""r2k forecast logs, r2k score scores, r2k update is idempotent and leaves the store untouched on failure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.store import Store

runner = CliRunner()


def _csv_dir(root: Path, n: int = 800) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    dates = pd.bdate_range("2019-01-01", periods=n)
    close = 1500 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, n)))
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "close": close.round(2)}).to_csv(root / "RUT.csv", index=False)
    return root


def _run(*args: str):  # noqa: ANN202
    return runner.invoke(app, list(args))


def test_forecast_logs_and_score_scores(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert _run("data", "import", str(_csv_dir(tmp_path / "csv")), "--store", str(store)).exit_code == 0
    r = _run("forecast", "--as-of", "2020-12-31", "--horizons", "5,20", "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    with Store(store, read_only=True) as s:
        assert s.forecast_log().empty  # a past --as-of is not logged by default
    r = _run("forecast", "--as-of", "2020-12-31", "--horizons", "5,20", "--log", "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    with Store(store, read_only=True) as s:
        log = s.forecast_log()
    assert len(log) == 2 and set(log["source"]) == {"r2k forecast"} and set(log["model"]) == {"ensemble"}  # the default model
    r = _run("score", "--no-walk-forward", "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["scored"]["n_realised"] == 2 and body["scored"]["rows_new"] == 2
    st = body["status"]
    assert st["status"] == "insufficient" and st["n_retrospective"] == 2 and st["n_live"] == 0  # logged years later
    assert st["live"]["n"] == 0 and st["retrospective"]["n"] == 1  # the 20-day target lies in the last 52 weeks
    assert "2 retrospective" in st["log_words"]
    text = _run("score", "--no-walk-forward", "--store", str(store)).output
    assert "0 in the live record, 2 retrospective (logged after the session that followed their origin" in " ".join(text.split())
    assert "not judged" in text


def test_update_is_idempotent_and_a_failed_import_changes_nothing(tmp_path: Path) -> None:
    store, data = tmp_path / "s.duckdb", _csv_dir(tmp_path / "csv")
    first = _run("update", "--data", str(data), "--no-report", "--store", str(store), "--json")
    assert first.exit_code == 0, first.output
    a = json.loads(first.output)
    assert a["data"]["rows_new"] == 800 and a["logged"]["rows_new"] == 6 and a["status"]["status"] in ("insufficient", "healthy")
    assert a["status"]["walk_forward"]["n"] > 0
    second = json.loads(_run("update", "--data", str(data), "--no-report", "--no-walk-forward", "--store", str(store), "--json").output)
    assert second["data"]["rows_new"] == 0 and second["logged"]["rows_new"] == 0 and second["scored"]["rows_new"] == 0
    with Store(store, read_only=True) as s:
        before = s.forecast_log()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "RUT.csv").write_text("date,close\n2030-01-01,abc\n")
    r = _run("update", "--data", str(bad), "--no-report", "--no-walk-forward", "--store", str(store))
    assert r.exit_code == 1 and r.output.strip().startswith("error:") and len(r.output.strip().splitlines()) == 1
    with Store(store, read_only=True) as s:
        pd.testing.assert_frame_equal(before, s.forecast_log())
        assert s.last_date("RUT") == pd.Timestamp(pd.bdate_range("2019-01-01", periods=800)[-1]).date()


def test_serve_without_a_store_is_one_line(tmp_path: Path) -> None:
    r = _run("serve", "--store", str(tmp_path / "none.duckdb"))
    assert r.exit_code == 1 and r.output.strip().startswith("error: no store at") and len(r.output.strip().splitlines()) == 1
    assert "127.0.0.1" in _run("serve", "--help").output


def test_update_publishes_the_records_the_report_then_reads(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """After `r2k update` the monitor's walk-forward is in the store: the status computes nothing, even with no cache."""
    import r2k.forecasting as fc
    from r2k.config import Settings
    from r2k.monitor.service import monitor_status
    from r2k.serialize import dumps
    from r2k.snapshot import Snapshot

    store, data = tmp_path / "s.duckdb", _csv_dir(tmp_path / "csv")
    monkeypatch.setenv("R2K_CACHE_DIR", str(tmp_path / "cache"))
    r = _run("update", "--data", str(data), "--no-report", "--store", str(store), "--json")
    assert r.exit_code == 0, r.output
    published = json.loads(r.output)["status"]["walk_forward"]
    with Store(store, read_only=True) as s:
        record = s.published_record("RUT", "monitor")
    assert _run("update", "--data", str(data), "--no-report", "--store", str(store), "--json").exit_code == 0
    with Store(store, read_only=True) as s:
        assert s.published_record("RUT", "monitor") == record  # no new data: the same record, not rewritten
        assert record is not None and record.source == "r2k update"
        monkeypatch.setattr(fc, "run_backtest", lambda *a, **k: (_ for _ in ()).throw(AssertionError("recomputed")))
        st = monitor_status(Snapshot(s, settings=Settings(store_path=store, cache_dir=None)))
    assert json.loads(dumps(st.to_dict()))["walk_forward"] == published
