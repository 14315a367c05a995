"""Cells for human output: units, thousands separators, percentages and a blank for a missing value.

JSON keeps fractions (0.0123); only these strings for people say "1.23%". A missing value (None, NaN) is an
empty cell, never "NaN" or "None".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from r2k.cli.common import progress


def missing(x: Any) -> bool:
    """None, NaN, or a value that is not a number."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def pct(x: Any, digits: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage: 0.0123 -> '1.2%' ('+1.2%' with ``sign``); blank when missing."""
    return "" if missing(x) else f"{100 * float(x):{'+' if sign else ''},.{digits}f}%"


def num(x: Any, digits: int = 2, sign: bool = False) -> str:
    """A number with thousands separators: 3014.34 -> '3,014.34'; blank when missing."""
    return "" if missing(x) else f"{float(x):{'+' if sign else ''},.{digits}f}"


def count(x: Any) -> str:
    """A whole number with thousands separators (a count stored as 1.0 prints as '1'); blank when missing."""
    return "" if missing(x) else f"{round(float(x)):,}"


def p_value(x: Any) -> str:
    """A p-value to 3 significant digits; below 0.001 as '<0.001'; blank when missing."""
    if missing(x):
        return ""
    v = float(x)
    return "<0.001" if v < 0.001 else f"{v:.3g}"


def day(x: Any) -> str:
    """An ISO date (a date, a timestamp or its ISO string) as YYYY-MM-DD; blank when missing."""
    if x is None:
        return ""
    text = x.date().isoformat() if hasattr(x, "date") and callable(x.date) else str(x)
    return text[:10]


def index_name(series_id: str) -> str:
    """The human name of an index ('Russell 2000'), else the id as given."""
    from r2k.report.render import INDEX_NAMES

    return INDEX_NAMES.get(series_id.upper(), series_id.upper())


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
