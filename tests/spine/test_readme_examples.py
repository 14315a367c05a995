"""Every ``r2k`` example in the README works as written.

Each example is parsed by the real command tree (options, values and arguments must be accepted). Those that
need no network, placeholder or long computation are also run, as written, against a copy of a store holding
../shared/data, from a directory laid out like a checkout beside ``../shared`` (skipped when it is absent).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from r2k.cli.app import app
from tests_support import REPO, shared_data_dir

README = REPO / "README.md"

# Examples parsed but not run here, each with the reason.
NOT_RUN = {
    "r2k data fetch": "needs the network (Yahoo Finance, FRED)",
    "r2k constituents fetch": "needs the network (SEC EDGAR)",
    "r2k constituents prices": "needs the network (Yahoo Finance)",
    "r2k data import DIR": "DIR is a placeholder",
    "r2k update": "fetches from the network (tests/monitor covers it offline)",
    "r2k tune": "an Optuna search of many minutes (tests/forecasting covers it on small data)",
    "r2k sentiment train": "fine-tunes a language model: 30-90 minutes (tests/sentiment covers it with a tiny one)",
    "r2k importance": "refits the model once per permuted input: minutes (tests/forecasting covers it)",
    "r2k backtest --models garch,ensemble": "the ensemble's full backtest takes about 5 minutes (bench/ensemble_results.py)",
    "r2k backtest --models climatology,garch,gbm": "LightGBM over 20 years of origins takes minutes (bench/bench_gbm.py)",
}


def readme_examples() -> list[str]:
    """The ``r2k ...`` lines of the README's bash blocks, comments and environment prefixes removed."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    out = []
    for line in (ln for b in blocks for ln in b.splitlines()):
        words = shlex.split(line, comments=True)
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            words = words[1:]
        if words and words[0] == "r2k":
            out.append(shlex.join(words))
    return out


EXAMPLES = readme_examples()


# Examples run only with the slow tests (make test-all, CI), each with the reason: they are the long computations
# of the README as written, on 39 years of data.
SLOW = {
    "r2k report": "the whole report: the ensemble at the origin, its members' history and the ratings' track record",
    "r2k outlook --as-of 2024-12-31 --track": "the ratings' track record: the ensemble walked forward from 2016",
    "r2k outlook": "the ensemble runs its members over the 8 years before the last close (as r2k forecast does)",
    "r2k forecast": "the ensemble runs its members over the 8 years before the origin",
    "r2k score": "the recent walk-forward record of the ensemble over the last year",
    "r2k backtest": "a GJR-GARCH walk-forward over 16 to 26 years of weekly origins",
    "r2k evaluate bt.csv": "reads bt.csv, which the (slow) backtest example before it writes",
}


def reason_not_run(example: str) -> str | None:
    if "--scheduler" in example:
        return "needs a Dask scheduler at the given address"
    return next((why for prefix, why in NOT_RUN.items() if example.startswith(prefix)), None)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 20
    # every "not run" entry still names a README example (a stale entry would hide nothing, or the wrong thing)
    assert all(any(e.startswith(prefix) for e in EXAMPLES) for prefix in (*NOT_RUN, *SLOW))
    assert sum(reason_not_run(e) is None for e in EXAMPLES) >= 15  # most examples really run


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_parses(example: str) -> None:
    """The command exists and accepts every option and value as written (nothing is run)."""
    command = typer.main.get_command(app)
    args = shlex.split(example)[1:]
    ctx = command.make_context("r2k", list(args))
    while hasattr(command, "resolve_command"):  # a group: descend into its subcommand
        rest = [*ctx._protected_args, *ctx.args]
        if not rest:
            break
        name, command, rest = ctx.command.resolve_command(ctx, rest)
        ctx = command.make_context(name, rest, parent=ctx)
    assert ctx.command.name == command.name


@pytest.fixture(scope="module")
def checkout(shared_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory with ../shared/data beside it, like a checkout, and a private copy of the store."""
    data = shared_data_dir()
    root = tmp_path_factory.mktemp("readme")
    (root / "shared").symlink_to(data.parent, target_is_directory=True)
    (root / "r2k").mkdir()
    shutil.copy(shared_store, root / "store.duckdb")
    return root / "r2k"


def _run_param(example: str):  # noqa: ANN202 - a pytest parameter set
    slow = any(example.startswith(prefix) for prefix in SLOW)
    return pytest.param(example, marks=pytest.mark.slow) if slow else example


@pytest.mark.parametrize("example", [_run_param(e) for e in EXAMPLES if reason_not_run(e) is None])
def test_example_runs(example: str, checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(checkout)
    monkeypatch.setenv("R2K_STORE", str(checkout.parent / "store.duckdb"))  # R2K_CACHE_DIR: the session's cache
    result = CliRunner().invoke(app, shlex.split(example)[1:])
    assert result.exit_code == 0, f"{example}\n{result.output[-2000:]}"
