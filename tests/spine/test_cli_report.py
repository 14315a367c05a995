"""`r2k report --json` says what it wrote; a bad suffix fails before the build."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from r2k import __version__
from r2k.cli.app import app

runner = CliRunner()


def test_report_json_names_file_and_sections(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "RUT.csv").write_text("date,close\n2024-01-02,100\n2024-01-03,102\n")
    store = str(tmp_path / "s.duckdb")
    assert runner.invoke(app, ["data", "import", str(data), "--store", store]).exit_code == 0
    out = tmp_path / "r.md"
    result = runner.invoke(app, ["report", "--store", store, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info == {"as_of": "2024-01-03", "version": __version__, "path": str(out), "format": "md",
                    "sections": ["prices", "coverage"]}
    assert list(info)[:2] == ["as_of", "version"]
    assert out.read_text().startswith("# Russell 2000 (RUT) outlook as of 2024-01-03")
    bad = runner.invoke(app, ["report", "--store", store, "--out", str(tmp_path / "r.txt")])
    assert bad.exit_code == 1 and "cannot tell the report format from r.txt" in bad.stderr
