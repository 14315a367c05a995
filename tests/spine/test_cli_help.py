"""The CLI spells out a few library constants so `r2k --help` imports no analytics; keep them equal."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from r2k.cli.app import app


def test_spelled_out_constants_match_the_library() -> None:
    from r2k import names
    from r2k.cli import cache, sentiment
    from r2k.models.registry import MODELS
    from r2k.sentiment.registry import SCORERS
    from r2k.store import cache_files

    assert names.MODELS == tuple(MODELS)  # the vocabulary (no model loaded) names every registered model, in order
    assert set(names.OPTIONAL_MODELS) <= set(names.MODELS) and names.PUBLISHED_MODEL in names.MODELS
    assert set(names.DEFAULT_MODELS) | set(names.BASELINES) | set(names.STATUS_MODELS) <= set(names.MODELS)
    assert sentiment.SCORERS == tuple(SCORERS)
    assert cache.DEFAULT_MAX_MB == cache_files.DEFAULT_MAX_MB


def test_help_loads_no_heavy_library() -> None:
    code = "import sys, r2k.cli.app; print(sorted(m for m in ('pandas', 'scipy', 'arch', 'torch', 'duckdb') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_every_command_has_help() -> None:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for cmd in (["data", "import"], ["data", "fetch"], ["data", "status"], ["data", "export"], ["report"], ["channels"], ["analyze"],
                ["events"], ["backtest"], ["forecast"], ["factors"], ["cycle"], ["sentiment", "score"],
                ["sentiment", "index"], ["sentiment", "train"], ["sentiment", "evaluate"], ["score"], ["update"], ["serve"],
                ["tune"], ["importance"], ["cache", "status"], ["cache", "prune"]):
        result = runner.invoke(app, [*cmd, "--help"])
        assert result.exit_code == 0, cmd
        assert "Usage:" in result.output
