"""``r2k outlook`` prints the report's own first screen and scenario table (r2k.report.blocks.to_rich): the terminal
shows the same cells as the report, on a synthetic store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.config import Settings
from r2k.outlook import build_outlook
from r2k.report import blocks as B
from r2k.report.context import ReportContext
from r2k.report.sections import outlook as outlook_section
from r2k.report.sections.scenarios import scenario_table
from r2k.snapshot import Snapshot
from r2k.store import Store

from outlook_support import light_ensemble, store_with, synthetic_map

AS_OF = date(2021, 6, 30)


def test_cli_outlook_prints_the_reports_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.outlook.build as build

    light_ensemble(monkeypatch)
    monkeypatch.setattr(build, "load_map", synthetic_map)
    path = store_with(tmp_path / "s.duckdb")
    cache = tmp_path / "cache"
    monkeypatch.setenv("R2K_CACHE_DIR", str(cache))
    res = CliRunner().invoke(app, ["outlook", "--store", str(path), "--as-of", AS_OF.isoformat()], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    with Store(path, read_only=True) as s:
        snap = Snapshot(s, AS_OF, settings=Settings(store_path=path, cache_dir=cache))
        o = build_outlook(snap, track=None)  # as the command builds it (no --track)
        ctx = ReportContext.of(snap)
        section = outlook_section.build(ctx)
        reported = outlook_section.outlook_of(ctx)  # with the record
    assert section is not None and section.blocks == tuple(outlook_section.first_screen(reported))
    screen = outlook_section.first_screen(o)
    out = res.stdout
    cards = screen[0]
    assert isinstance(cards, B.Cards)
    for card in cards.cards:  # each card as its sentence
        assert card.sentence() in out
    tables = [b for b in (*screen[1].right, *screen[2:], scenario_table(o)) if isinstance(b, B.Table)]
    assert len(tables) == 3 and len(tables[2].rows) == len(o.scenarios) > 0
    for table in tables:
        for row in table.rows:  # every row of the report's table is a line of the terminal's (long text cells wrap)
            line = next((ln for ln in out.splitlines() if ln.startswith(row[0])), None)
            assert line is not None, row
            assert [c for c in row[1:] if len(c) <= 20] == [c for c in row[1:] if len(c) <= 20 and c in line], (row, line)
    points = screen[1].left[1]
    assert isinstance(points, B.Bullets) and len(points.items) == len(o.key_points) >= 4
    assert "Key points" in out and all(f"• {t}" in out for t in points.items)  # one line each (piped: no wrap)
