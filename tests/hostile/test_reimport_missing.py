"""Re-importing a file that lost rows says so (and --replace deletes them); nothing is silently kept."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.store import Store

runner = CliRunner()


def test_deleted_and_blanked_rows_are_reported_and_replace_deletes_them(tmp_path: Path) -> None:
    data, store = tmp_path / "d", str(tmp_path / "s.duckdb")
    data.mkdir()
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n2024-01-03,2\n2024-01-04,3\n2024-01-05,4\n")
    assert runner.invoke(app, ["data", "import", str(data), "--store", store]).exit_code == 0
    (data / "RUT.csv").write_text("date,close\n2024-01-02,1\n2024-01-04,\n2024-01-05,4\n")  # one deleted, one blanked
    res = runner.invoke(app, ["data", "import", str(data), "--store", store])
    assert res.exit_code == 0 and "2 stored rows are not in the files any more (kept; --replace deletes them): RUT (2)" in res.output
    with Store(store, read_only=True) as s:
        assert len(s.series("RUT")) == 4
    res = runner.invoke(app, ["data", "import", str(data), "--store", store, "--replace", "--json"])
    info = json.loads(res.output)
    assert (info["rows_missing"], info["rows_deleted"], info["series"][0]["rows_deleted"]) == (2, 2, 2)
    with Store(store, read_only=True) as s:
        assert s.series("RUT").tolist() == [1.0, 4.0]
    again = json.loads(runner.invoke(app, ["data", "import", str(data), "--store", store, "--json"]).output)
    assert again["rows_missing"] == 0 and again["rows_new"] == 0
