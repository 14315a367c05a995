"""Request parameters -> checked values. Every problem becomes a one-line :class:`BadRequest` (HTTP 4xx):
malformed or oversized values, unknown symbols and dates outside the data never reach the library."""

from __future__ import annotations

import re
from datetime import date, datetime

from r2k.errors import R2KError

MAX_PARAM = 200
MAX_HORIZONS, MAX_HORIZON = 12, 520
MAX_MODELS = 6
SYMBOL = re.compile(r"^[A-Za-z0-9^_.\-]{1,20}$")


class BadRequest(R2KError):
    """A request parameter is malformed, too large, or outside the data (status 400 or 404)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _clip(name: str, value: str) -> str:
    if len(value) > MAX_PARAM:
        raise BadRequest(f"{name}: longer than {MAX_PARAM} characters")
    return value.strip()


def parse_day(value: str | None, name: str = "as_of") -> date | None:
    if value is None or value.strip() == "":
        return None
    text = _clip(name, value)
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise BadRequest(f"{name}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def parse_symbol(value: str, name: str = "symbol") -> str:
    text = _clip(name, value)
    if not SYMBOL.match(text):
        raise BadRequest(f"{name}: {text[:40]!r} is not a series id (letters, digits, ^ _ . -, at most 20)")
    return text.upper()


def parse_horizons(value: str, name: str = "horizons") -> tuple[int, ...]:
    text = _clip(name, value)
    try:
        out = tuple(sorted({int(v) for v in text.split(",") if v.strip()}))
    except ValueError:
        raise BadRequest(f"{name}: {text[:40]!r} is not a comma-separated list of whole numbers") from None
    if not out or min(out) < 1 or max(out) > MAX_HORIZON or len(out) > MAX_HORIZONS:
        raise BadRequest(f"{name}: give 1 to {MAX_HORIZONS} horizons between 1 and {MAX_HORIZON} trading days")
    return out


def parse_models(value: str, known: tuple[str, ...], name: str = "models") -> tuple[str, ...]:
    text = _clip(name, value)
    names = tuple(dict.fromkeys(m.strip().lower() for m in text.split(",") if m.strip()))
    if not names or len(names) > MAX_MODELS:
        raise BadRequest(f"{name}: name 1 to {MAX_MODELS} models")
    unknown = [m for m in names if m not in known]
    if unknown:
        raise BadRequest(f"{name}: unknown model {unknown[0][:30]!r}; known: {', '.join(known)}")
    return names


def parse_choice(value: str, choices: tuple[str, ...], name: str) -> str:
    text = _clip(name, value)
    if text not in choices:
        raise BadRequest(f"{name}: {text[:40]!r} is not one of {', '.join(choices)}")
    return text
