"""Text from data files reaches the terminal as text: Rich markup and terminal escape sequences in a sector name,
a company name or a file name are shown literally, never as styles or a hidden hyperlink."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from constituents_support import LINES, ishares_text, write
from typer.testing import CliRunner

from r2k.cli import common
from r2k.cli.app import app
from r2k.providers.holdings import read_holdings_file
from r2k.store import Store
from r2k.store.constituents import write_holdings

MARKUP = "[link=http://evil.example]Energy[/link]"
OSC8 = "Util\x1b]8;;http://evil.example\x1b\\ities"  # a raw terminal hyperlink
OSC8_OPEN = "\x1b]8;"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Human output to a terminal (colours and hyperlinks on), captured."""
    buf = io.StringIO()
    monkeypatch.setattr(common, "console", common._Console(file=buf, force_terminal=True, width=120, highlight=False))
    return buf


def test_table_cells_titles_and_captions_are_text(terminal: io.StringIO) -> None:
    common.print_table(["sector", ("weight", "right")], [[MARKUP, "1.0%"], [OSC8, "2.0%"], ["[bold]x[/bold]", None]],
                       title=f"Sectors of {MARKUP}", caption=f"from {OSC8}")
    out = terminal.getvalue()
    assert OSC8_OPEN not in out and "http://evil.example" in out  # the link text is shown, not made a link
    assert out.count(MARKUP) == 2 and "[bold]x[/bold]" in out
    assert "\x1b[1mx" not in out  # no bold from the data


def test_holdings_with_markup_in_names_print_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [(LINES[0][0], MARKUP, MARKUP, *LINES[0][3:]), (LINES[1][0], OSC8, OSC8, *LINES[1][3:]), *LINES[2:]]
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        write_holdings(s, read_holdings_file(write(tmp_path, "h.csv", ishares_text(lines=lines))), datetime(2026, 1, 6))
    buf = io.StringIO()
    monkeypatch.setattr(common, "console", common._Console(file=buf, force_terminal=True, width=160, highlight=False))
    import r2k.cli.constituents as constituents_cli

    monkeypatch.setattr(constituents_cli, "console", common.console)
    res = CliRunner().invoke(app, ["constituents", "holdings", "--store", str(path)])
    assert res.exit_code == 0, res.output
    out = buf.getvalue()
    assert OSC8_OPEN not in out and MARKUP in out  # the table and the summary line (largest sector)
    assert "largest sector [link=http://evil.example]Energy[/link]" in out
