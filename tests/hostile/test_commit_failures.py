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


@pytest.mark.parametrize("after_commit, text", [(True, "(the store was updated)"), (False, "(the store is unchanged)")])
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
    assert res.exit_code == 130 and res.stderr.strip() == f"error: interrupted {text}"


class InterruptedAt:
    """A connection on which Ctrl-C lands during the first statement starting with ``prefix``, as DuckDB reports it:
    ``RuntimeError('Query interrupted')``, the real transaction left aborted (every later statement fails with
    "Current transaction is aborted") and, with ``pending``, an unfinished result that refuses everything until
    ``abort()``. ``after=True`` lets the statement complete first (a COMMIT that went through)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, prefix: str, after: bool = False, pending: bool = False,
                 error: BaseException | None = None) -> None:
        self._con, self._prefix, self._after, self._pending, self.fired = con, prefix, after, False, False
        self._pending_wanted = pending
        self._error = error or RuntimeError("Query interrupted")

    def execute(self, sql: str, *args):  # noqa: ANN002, ANN201
        if self._pending:
            raise duckdb.ResourceInUseException("Resource In Use Error: connection has an unfinished result from execute()")
        if not self.fired and sql.strip().upper().startswith(self._prefix):
            self.fired = True
            if self._after:
                self._con.execute(sql, *args)
            else:
                try:
                    self._con.execute("SELECT error('interrupted')")  # leaves the real transaction aborted
                except duckdb.Error:
                    pass
                self._pending = self._pending_wanted
            raise self._error
        return self._con.execute(sql, *args)

    def abort(self) -> None:
        self._pending = False
        self._con.abort()

    def unregister(self, name: str):  # noqa: ANN201
        if self._pending:
            raise duckdb.ResourceInUseException("Resource In Use Error: connection has an unfinished result from execute()")
        return self._con.unregister(name)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._con, name)


# Ctrl-C while DuckDB runs Python code (its scan of a registered pandas frame) comes back wrapped in a duckdb.Error
# whose text is the Python traceback (seen in a real interrupted import)
IN_PANDAS_SCAN = duckdb.Error('Traceback (most recent call last):\n  File "pandas/core/frame.py", line 4307, in '
                              '__getitem__\nKeyboardInterrupt: ')


@pytest.mark.parametrize("prefix, pending, error", [("INSERT INTO BARS", False, None), ("INSERT INTO BARS", True, None),
                                                    ("INSERT INTO SERIES", False, None), ("INSERT INTO IMPORTS", True, None),
                                                    ("SELECT COUNT(*) FILTER", False, IN_PANDAS_SCAN),
                                                    ("INSERT INTO BARS", False, duckdb.InterruptException("Interrupted!"))])
def test_ctrl_c_during_a_write_is_an_interruption_and_the_store_is_unchanged(tmp_path: Path, prefix: str,
                                                                              pending: bool, error) -> None:  # noqa: ANN001
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([price_series("RUT", [1.0, 2.0])], "test", NOW)
        real = s.con
        s.con = InterruptedAt(real, prefix, pending=pending, error=error)
        with pytest.raises(KeyboardInterrupt):
            s.write([price_series("RUT", [1.0, 2.0, 3.0]), price_series("GSPC", [5.0])], "test", NOW)
        assert s.con.fired and s.commits == 1
        s.con = real
        assert s.series("RUT").tolist() == [1.0, 2.0] and not s.has("GSPC")
        s.write([price_series("RUT", [1.0, 2.0, 4.0])], "test", NOW)  # the connection is usable again
        assert s.series("RUT").tolist() == [1.0, 2.0, 4.0] and s.commits == 2


def test_an_interrupted_commit_that_went_through_counts_as_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.con = InterruptedAt(s.con, "COMMIT", after=True)
        with pytest.raises(KeyboardInterrupt):
            s.write([price_series("RUT", [1.0, 2.0])], "test", NOW)
        assert s.commits == 1
    with Store(path, read_only=True) as s:
        assert s.series("RUT").tolist() == [1.0, 2.0]


def test_the_first_error_of_a_transaction_is_the_one_reported(tmp_path: Path) -> None:
    """A failing statement leaves the transaction aborted: the cleanup's own errors must not replace its message."""

    class FailingInsert(InterruptedAt):
        def execute(self, sql: str, *args):  # noqa: ANN002, ANN201
            if not self.fired and sql.strip().upper().startswith("INSERT INTO BARS"):
                self.fired = True
                try:
                    self._con.execute("SELECT error('x')")
                except duckdb.Error:
                    pass
                raise duckdb.ConstraintException("Constraint Error: the first error")
            return self._con.execute(sql, *args)

    with Store(tmp_path / "s.duckdb") as s:
        s.con = FailingInsert(s.con, "")
        with pytest.raises(duckdb.ConstraintException, match="the first error"):
            s.write([price_series("RUT", [1.0, 2.0])], "test", NOW)


@pytest.mark.parametrize("prefix, after, text", [("INSERT INTO BARS", False, "(the store is unchanged)"),
                                                 ("COMMIT", True, "(the store was updated)")])
def test_cli_ctrl_c_in_the_write_exits_130_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: str,
                                                         after: bool, text: str) -> None:
    from r2k.store import duck

    real_init = duck.Store.__init__

    def init(self, *args, **kw) -> None:  # noqa: ANN001, ANN002, ANN003
        real_init(self, *args, **kw)
        self.con = InterruptedAt(self.con, prefix, after=after, pending=not after)

    monkeypatch.setattr(duck.Store, "__init__", init)
    data = tmp_path / "d"
    data.mkdir()
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n")
    res = runner.invoke(app, ["data", "import", str(data), "--store", str(tmp_path / "s.duckdb")])
    assert (res.exit_code, res.stderr) == (130, f"error: interrupted {text}\n")


def test_cli_duckdb_interrupt_while_reading_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from r2k.store import duck

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write([price_series("RUT", [1.0, 2.0])], "test", NOW)

    def interrupted(self, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(duck.Store, "status", interrupted)
    res = runner.invoke(app, ["data", "status", "--store", str(path)])
    assert (res.exit_code, res.stderr) == (130, "error: interrupted (the store is unchanged)\n")
