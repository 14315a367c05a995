"""A failing COMMIT keeps its own cause; Ctrl-C says truthfully whether the store changed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tests_support import NOW, price_series
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.errors import StoreError
from r2k.store import Store

runner = CliRunner()


class FailingCommit:
    """A connection whose COMMIT fails as on a full disk (the real connection's methods are read-only)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con

    def execute(self, sql: str, *args):  # noqa: ANN002, ANN201
        if sql.strip() == "COMMIT":
            raise duckdb.IOException("IO Error: Could not write file \"s.duckdb.wal\": No space left on device\nmore")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._con, name)


def test_failed_commit_reports_its_cause_and_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([price_series("RUT", [1.0, 2.0])], "test", NOW)
        real = s.con
        s.con = FailingCommit(real)
        with pytest.raises(StoreError) as err:
            s.write([price_series("RUT", [1.0, 2.0, 3.0])], "test", NOW)
        s.con = real
        assert "No space left on device (rolled back: the store is unchanged)" in str(err.value)
        assert "\n" not in str(err.value) and s.commits == 1
        assert s.series("RUT").tolist() == [1.0, 2.0]


@pytest.mark.parametrize("after_commit, text", [(True, "the store was already updated"), (False, "the store is unchanged")])
def test_ctrl_c_says_whether_the_store_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after_commit: bool,
                                               text: str) -> None:
    from r2k.store import ingest

    real = ingest.import_directory

    def interrupted(store, root, now, on_file=None, **kw):  # noqa: ANN001, ANN003, ANN202
        if after_commit:
            real(store, root, now, on_file, **kw)
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "import_directory", interrupted)
    data = tmp_path / "d"
    data.mkdir()
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n")
    res = runner.invoke(app, ["data", "import", str(data), "--store", str(tmp_path / "s.duckdb")])
    assert res.exit_code == 130 and res.stderr.strip().startswith(f"error: interrupted: {text}")
