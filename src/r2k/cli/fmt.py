"""Cells for human output (the formatters of :mod:`r2k.words`: a missing value is an empty cell, never "NaN" or
"None") and the progress bar driven by a library callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from r2k.cli.common import progress
from r2k.words import count, day, index_name, missing, num, p_value, pct  # noqa: F401 - the cells, defined once


@contextmanager
def step_progress(description: str, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A progress bar driven by a library callback ``on_progress(done, total)`` (walk-forward folds, trials);
    on stderr, silent when piped or ``quiet``."""
    with progress(description, quiet=quiet) as advance:
        state = {"done": 0}

        def on_progress(done: int, total: int) -> None:
            advance(done - state["done"], total=total)
            state["done"] = done

        yield on_progress
