"""Hostile, damaged and foreign store files: one-line errors, never a traceback, never the file's own SQL."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import duckdb
import pytest
from tests_support import NOW, price_series
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.config import load_settings
from r2k.errors import StoreError
from r2k.store import Store
from r2k.store.schema import SCHEMA_VERSION

runner = CliRunner()


def status(path: Path):
    return runner.invoke(app, ["data", "status", "--store", str(path), "--json"])


def one_line_error(result, text: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and text in err, err


def made(path: Path, sql: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()
    return path


def good_store(path: Path) -> Path:
    with Store(path) as s:
        s.write([price_series("RUT", [1.0, 2.0])], "test", NOW)
    return path


def test_empty_file_is_new_for_a_write_and_an_error_for_a_read(tmp_path: Path) -> None:
    p = tmp_path / "s.duckdb"
    p.write_bytes(b"")
    one_line_error(status(p), "is an empty file")
    with Store(p) as s:  # an import treats it as new
        assert s.status() == []


@pytest.mark.parametrize("content, text", [
    (b"\x00" * 100, "cannot open store"),
    (os.urandom(5000), "cannot open store"),
])
def test_corrupt_files(tmp_path: Path, content: bytes, text: str) -> None:
    p = tmp_path / "s.duckdb"
    p.write_bytes(content)
    one_line_error(status(p), text)
    with pytest.raises(StoreError, match=text):
        Store(p)


def test_truncated_store(tmp_path: Path) -> None:
    p = good_store(tmp_path / "s.duckdb")
    p.write_bytes(p.read_bytes()[:5000])
    one_line_error(status(p), "store")


def test_foreign_duckdb_and_sqlite_files(tmp_path: Path) -> None:
    one_line_error(status(made(tmp_path / "f.duckdb", "CREATE TABLE t (a INT)")), "is not an r2k store")
    lite = tmp_path / "l.db"
    con = sqlite3.connect(lite)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    one_line_error(status(lite), "cannot open store")  # no extension download: autoload is off


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    p = good_store(tmp_path / "s.duckdb")
    made(p, f"INSERT INTO schema_version VALUES ({SCHEMA_VERSION + 1})")
    one_line_error(status(p), f"written by a newer r2k (schema version {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer r2k"):
        Store(p)  # read-write too: nothing is migrated down


def test_views_are_refused_and_file_access_is_off(tmp_path: Path) -> None:
    p = good_store(tmp_path / "s.duckdb")
    made(p, "DROP TABLE series; CREATE VIEW series AS SELECT content AS id, 'price' AS kind, '' AS source, "
            "now() AS updated_at FROM read_text('/etc/hostname')")
    one_line_error(status(p), "series must be tables, not views")
    with Store(good_store(tmp_path / "t.duckdb"), read_only=True) as s:
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            s.con.execute("SELECT * FROM read_text('/etc/hostname')").fetchall()


def test_a_first_import_creates_the_file_only_once_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from r2k.store import opening

    p = tmp_path / "sub" / "s.duckdb"

    def killed(con):  # noqa: ANN001 - the process dies during the migration
        raise KeyboardInterrupt

    monkeypatch.setattr(opening, "migrate", killed)
    with pytest.raises(KeyboardInterrupt):
        Store(p)
    assert not p.exists() and os.listdir(p.parent) == []  # no half-made store, no temporary left
    monkeypatch.undo()
    with Store(p) as s:
        assert s.status() == []


def test_tilde_in_store_paths_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert load_settings({"R2K_STORE": "~/x/r2k.duckdb"}).store_path == tmp_path / "x" / "r2k.duckdb"
    assert load_settings({}).with_store("~/y.duckdb").store_path == tmp_path / "y.duckdb"
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["data", "import", str(tmp_path / "none"), "--store", "~/z.duckdb"])
    assert not (tmp_path / "~").exists() and res.exit_code == 1


@pytest.mark.parametrize("args, text", [
    (["backtest", "--n-jobs", "x"], "Invalid value for '--n-jobs'"),
    (["nope"], "No such command 'nope'"),
    (["data", "status", "--bogus"], "No such option: --bogus"),
])
def test_usage_errors_are_one_line_and_exit_1(args: list[str], text: str) -> None:
    one_line_error(runner.invoke(app, args), text)
