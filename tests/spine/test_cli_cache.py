"""``r2k cache status|prune`` on a synthetic cache directory, and an import of a missing folder leaving no store."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app

runner = CliRunner()


def _entry(root: Path, name: str, size: int, age: float) -> Path:
    folder = root / "forecasts" / name[:2] if name.endswith(".entry") and len(name) > 40 else root / "frames"
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)
    os.utime(path, (time.time() - age, time.time() - age))
    return path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    for i in range(4):
        _entry(root, f"{i:02x}" * 20 + ".entry", 2**20, age=100 * (4 - i))  # 1 MB each, the last the newest
    _entry(root, "ee" * 16 + ".entry", 2**19, age=1)
    _entry(root, "ab" * 20 + ".entry.999.tmp", 100, age=3600)
    monkeypatch.setenv("R2K_CACHE_DIR", str(root))
    return root


def test_status_counts_entries_and_leftovers(cache_dir: Path) -> None:
    res = runner.invoke(app, ["cache", "status", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["entries"] == 5 and out["entry_bytes"] == 4 * 2**20 + 2**19 and out["temporary_files"] == 1
    assert out["by_folder"] == {"forecasts": {"entries": 4, "bytes": 4 * 2**20}, "frames": {"entries": 1, "bytes": 2**19}}
    assert out["limit_bytes"] == 512 * 2**20 and set(out) >= {"as_of", "version"}
    text = runner.invoke(app, ["cache", "status"]).stdout
    assert "block forecasts" in text and "4.5 MB" in text and "temporary files" in text


def test_prune_keeps_the_most_recently_used_within_the_limit(cache_dir: Path) -> None:
    res = runner.invoke(app, ["cache", "prune", "--max-mb", "2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert (out["kept"], out["evicted"], out["temporary"]) == (2, 3, 1)  # the frame (0.5 MB) and the newest block fit
    left = sorted(p.name for p in cache_dir.rglob("*.entry"))
    assert left == ["03" * 20 + ".entry", "ee" * 16 + ".entry"]
    text = runner.invoke(app, ["cache", "prune", "--all"]).stdout
    assert "evicted 2 entries" in text and not list(cache_dir.rglob("*.entry"))


def test_prune_refuses_contradictory_options_and_a_switched_off_cache(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = runner.invoke(app, ["cache", "prune", "--all", "--max-mb", "3"])
    assert res.exit_code == 1 and "exclude each other" in res.output
    monkeypatch.setenv("R2K_CACHE_DIR", "")
    res = runner.invoke(app, ["cache", "status"])
    assert res.exit_code == 1 and "the cache is off" in res.output


def test_importing_a_missing_directory_leaves_no_store(tmp_path: Path) -> None:
    store = tmp_path / "new" / "r2k.duckdb"
    res = runner.invoke(app, ["data", "import", str(tmp_path / "nowhere"), "--store", str(store)])
    assert res.exit_code == 1 and "not a directory" in res.output
    assert not store.exists() and not store.parent.exists()


def test_a_killed_first_import_leaves_nothing_for_long(tmp_path: Path) -> None:
    from r2k.store import Store

    store = tmp_path / "r2k.duckdb"
    old = tmp_path / ".r2k.duckdb.abc123.new"  # what a first import killed half an hour ago left
    fresh = tmp_path / ".r2k.duckdb.def456.new"  # another process creating the store right now
    for p, age in ((old, 1800), (fresh, 1)):
        p.write_bytes(b"x")
        os.utime(p, (time.time() - age, time.time() - age))
    with Store(store):
        pass
    assert not old.exists() and fresh.exists() and store.exists()


def test_old_temporary_files_of_an_output_are_removed_before_it_is_written(tmp_path: Path) -> None:
    from r2k.outfile import write_text

    old, fresh = tmp_path / ".report.html.k1ll3d.tmp", tmp_path / ".report.html.wr1t1ng.tmp"
    for p, age in ((old, 1800), (fresh, 1)):
        p.write_text("partial")
        os.utime(p, (time.time() - age, time.time() - age))
    write_text(tmp_path / "report.html", "<html></html>")
    assert not old.exists() and fresh.exists() and (tmp_path / "report.html").read_text() == "<html></html>"
