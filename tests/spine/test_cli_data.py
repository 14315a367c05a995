"""The real commands: data import/status, report, and one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from r2k.cli.app import app

runner = CliRunner()


def write_dir(root: Path) -> Path:
    (root / "fred").mkdir(parents=True)
    (root / "RUT.csv").write_text("date,close\n2024-01-02,100\n2024-01-03,102\n2024-01-04,101\n")
    (root / "GSPC.csv").write_text("date,close\n2024-01-02,4700\n2024-01-03,4710\n2024-01-04,4690\n")
    (root / "fred" / "DGS10.csv").write_text("date,value\n2024-01-02,3.9\n2024-01-03,\n")
    return root


def test_import_status_and_reimport(tmp_path: Path) -> None:
    data, store = write_dir(tmp_path / "data"), str(tmp_path / "s.duckdb")
    first = runner.invoke(app, ["data", "import", str(data), "--store", store, "--json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert summary["rows_new"] == 7 and summary["rows_changed"] == 0
    again = json.loads(runner.invoke(app, ["data", "import", str(data), "--store", store, "--json"]).output)
    assert again["rows_new"] == 0 and again["rows_unchanged"] == 7
    status = json.loads(runner.invoke(app, ["data", "status", "--store", store, "--json"]).output)
    assert status["as_of"] == "2024-01-04"  # the last RUT close
    assert [(s["id"], s["kind"], s["first"], s["last"], s["rows"], s["age_days"], s["stale"]) for s in status["series"]] == [
        ("GSPC", "price", "2024-01-02", "2024-01-04", 3, 0, False),
        ("RUT", "price", "2024-01-02", "2024-01-04", 3, 0, False),
        ("DGS10", "macro", "2024-01-02", "2024-01-02", 1, 2, False),
    ]
    assert {"id", "kind", "first", "last", "rows", "source", "source_name", "age_days", "cadence", "expected_by",
            "stale"} <= set(status["series"][0])
    assert status["series"][0]["source_name"] == "GSPC.csv" and status["stale"] == []
    text = runner.invoke(app, ["data", "status", "--store", store])
    assert text.exit_code == 0 and "RUT" in text.output and "as of 2024-01-04 (the last Russell 2000 close)" in text.output
    assert str(data) not in text.output  # the file's name, not the importing machine's path
    later = json.loads(runner.invoke(app, ["data", "status", "--store", store, "--as-of", "2024-01-10", "--json"]).stdout)
    assert {s["id"]: (s["age_days"], s["stale"]) for s in later["series"]} == {
        "GSPC": (6, True), "RUT": (6, True), "DGS10": (8, True)}  # 4 sessions (01-05, 01-08..10) after 01-04


def test_bad_file_is_one_line_error_and_store_unchanged(tmp_path: Path) -> None:
    data, store = write_dir(tmp_path / "data"), str(tmp_path / "s.duckdb")
    runner.invoke(app, ["data", "import", str(data), "--store", store])
    (data / "RUT.csv").write_text("date,close\n2024-01-02,100\n2024-01-05,-3\n")
    result = runner.invoke(app, ["data", "import", str(data), "--store", store])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "RUT.csv, line 3: non-positive close -3" in result.stderr
    status = json.loads(runner.invoke(app, ["data", "status", "--store", store, "--json"]).output)
    assert {s["id"]: s["rows"] for s in status["series"]}["RUT"] == 3


def test_report_html_is_self_contained(tmp_path: Path) -> None:
    data, store = write_dir(tmp_path / "data"), str(tmp_path / "s.duckdb")
    runner.invoke(app, ["data", "import", str(data), "--store", store])
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--store", store, "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<svg" in html and "Data coverage" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no CDN, nothing fetched when opened
    assert "<script" not in html
    # the only URLs are XML namespace names, which are never fetched (no CSS url(http...), no @import)
    assert {u for u in re.findall(r"https?://[^\s\"'<>)]+", html)} <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    as_json = tmp_path / "r.json"
    assert runner.invoke(app, ["report", "--store", store, "--out", str(as_json), "--as-of", "2024-01-03"]).exit_code == 0
    facts = json.loads(as_json.read_text())
    assert facts["as_of"] == "2024-01-03"
    assert facts["sections"]["prices"]["facts"]["last_close"] == 102.0


def test_errors_are_one_line(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["data", "status", "--store", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no store at")
    bad_date = runner.invoke(app, ["report", "--store", str(tmp_path / "none.duckdb"), "--as-of", "2024-02-30"])
    assert bad_date.exit_code == 1 and bad_date.stderr.startswith("error: --as-of: '2024-02-30' is not a date")
    no_dir = runner.invoke(app, ["data", "import", str(tmp_path / "nope"), "--store", str(tmp_path / "s.duckdb")])
    assert no_dir.exit_code == 1 and "not a directory" in no_dir.stderr


def test_import_directory_defaults_to_r2k_data_dir(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    data, store = write_dir(tmp_path / "data"), str(tmp_path / "s.duckdb")
    monkeypatch.delenv("R2K_DATA_DIR", raising=False)
    missing = runner.invoke(app, ["data", "import", "--store", store])
    assert missing.exit_code == 1 and "R2K_DATA_DIR is not set" in missing.stderr
    monkeypatch.setenv("R2K_DATA_DIR", str(data))
    result = runner.invoke(app, ["data", "import", "--store", store, "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["rows_new"] == 7
