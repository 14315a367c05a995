"""Parameters given by a person or a request -> checked values: one set of parsers and limits for the CLI
and the web API. Every problem is one :class:`r2k.errors.InputError` naming the field (the CLI says
``--as-of``, the API ``as_of``) and what is wrong; malformed or oversized values never reach the library."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from r2k.errors import InputError

MIN_YEAR, MAX_YEAR = 1800, 2200  # the dates any series can have (import refuses others too)
MAX_TEXT = 200  # characters of one parameter
MAX_HORIZONS, MAX_HORIZON = 12, 520  # horizons per request; the longest, in trading days (about two years)
MAX_MODELS = 10  # every model the registry knows
SYMBOL = re.compile(r"^[A-Za-z0-9^_.\-]{1,20}$")


def _clip(field: str, value: str) -> str:
    if len(value) > MAX_TEXT:
        raise InputError(field, f"longer than {MAX_TEXT} characters")
    return value.strip()


def parse_date(value: str | None, field: str = "as_of") -> date | None:
    """YYYY-MM-DD in the years MIN_YEAR..MAX_YEAR; None (or blank) stays None (the default date)."""
    if value is None or value.strip() == "":
        return None
    text = _clip(field, value)
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise InputError(field, f"{text[:40]!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InputError(field, f"{text} is outside the years {MIN_YEAR}..{MAX_YEAR}")
    return day


def parse_horizons(value: str, field: str = "horizons") -> tuple[int, ...]:
    """Comma-separated horizons in trading days: 1 to MAX_HORIZONS of them, each 1..MAX_HORIZON; sorted, unique."""
    text = _clip(field, value)
    try:
        out = tuple(sorted({int(v) for v in text.split(",") if v.strip()}))
    except ValueError:
        raise InputError(field, f"{text[:40]!r} is not a comma-separated list of whole numbers") from None
    if not out or min(out) < 1 or max(out) > MAX_HORIZON or len(out) > MAX_HORIZONS:
        raise InputError(field, f"give 1 to {MAX_HORIZONS} horizons between 1 and {MAX_HORIZON} trading days")
    return out


def parse_symbol(value: str, field: str = "symbol") -> str:
    """A series id (letters, digits, ^ _ . -; at most 20), upper-cased."""
    text = _clip(field, value)
    if not SYMBOL.match(text):
        raise InputError(field, f"{text[:40]!r} is not a series id (letters, digits, ^ _ . -, at most 20)")
    return text.upper()


def parse_models(value: str, known: Sequence[str], field: str = "models") -> tuple[str, ...]:
    """Comma-separated model names, each one of ``known``; 1 to MAX_MODELS of them, in the order given."""
    text = _clip(field, value)
    names = tuple(dict.fromkeys(m.strip().lower() for m in text.split(",") if m.strip()))
    if not names or len(names) > MAX_MODELS:
        raise InputError(field, f"name 1 to {MAX_MODELS} models")
    unknown = [m for m in names if m not in known]
    if unknown:
        raise InputError(field, f"unknown model {unknown[0][:30]!r}; known: {', '.join(known)}")
    return names


def parse_choice(value: str, choices: Sequence[str], field: str) -> str:
    """One of ``choices``, exactly."""
    text = _clip(field, value)
    if text not in choices:
        raise InputError(field, f"{text[:40]!r} is not one of {', '.join(choices)}")
    return text
