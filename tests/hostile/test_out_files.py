"""--out: checked before the work, written through a private temporary file, nothing left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.outfile import OutputError, check_writable, write_atomic, write_text

runner = CliRunner()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a directory"):
        check_writable(tmp_path)


def test_a_planted_tmp_symlink_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "r.md"
    (tmp_path / "r.md.tmp").symlink_to(victim)
    write_text(out, "report")
    assert out.read_text() == "report" and victim.read_text() == "keep me"


def test_failure_leaves_no_temporary_and_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.write_text("old")

    def broken(tmp: str) -> None:
        Path(tmp).write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="cannot write .*r.csv: No space left on device"):
        write_atomic(out, broken)
    assert out.read_text() == "old" and sorted(os.listdir(tmp_path)) == ["r.csv"]


def test_unwritable_parent_fails_before_the_work(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        check_writable(blocker / "sub" / "r.html")


@pytest.mark.parametrize("cmd", [["report"], ["backtest"]])
def test_cli_checks_out_before_reading_the_store(tmp_path: Path, cmd: list[str]) -> None:
    res = runner.invoke(app, [*cmd, "--out", str(tmp_path / "x.md" if cmd == ["report"] else tmp_path / "x.csv"),
                              "--store", str(tmp_path / "missing.duckdb")])
    assert "no store at" in res.stderr  # the out file was fine: the store is what fails
    (tmp_path / "d.md").mkdir()
    (tmp_path / "d.csv").mkdir()
    res = runner.invoke(app, [*cmd, "--out", str(tmp_path / ("d.md" if cmd == ["report"] else "d.csv")),
                              "--store", str(tmp_path / "missing.duckdb")])
    assert res.exit_code == 1 and "it is a directory" in res.stderr


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from r2k.outfile import write_text

    old = os.umask(0o022)
    try:
        out = write_text(tmp_path / "report.html", "<p>ok</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644 and out.read_text() == "<p>ok</p>"


@pytest.mark.parametrize("cmd, name", [(["ratings", "--calibrate"], "map.json"), (["update", "--data", "DATA"], "r.html")])
def test_long_commands_check_out_before_any_work(tmp_path: Path, cmd: list[str], name: str) -> None:
    """ratings --calibrate (minutes of walk-forward) and update (import, forecast, log) refuse a bad --out first:
    the store is never created or read."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n")
    (tmp_path / name).mkdir()
    store = tmp_path / "never.duckdb"
    res = runner.invoke(app, [*[str(data) if c == "DATA" else c for c in cmd], "--out", str(tmp_path / name),
                              "--store", str(store)])
    assert (res.exit_code, res.stderr) == (1, f"error: cannot write {tmp_path / name}: it is a directory\n")
    assert not store.exists()
