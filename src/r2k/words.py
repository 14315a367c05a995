"""Words for people: the human names of indices and series, the one set of number formatters and the one
palette, shared by the terminal, the report and the dashboard. Imports nothing heavy."""

from __future__ import annotations

INDEX_NAMES = {"RUT": "Russell 2000", "GSPC": "S&P 500", "IWM": "iShares Russell 2000 ETF"}


def index_name(series_id: str) -> str:
    """The human name of an index ('Russell 2000'), else the id as given (upper case)."""
    return INDEX_NAMES.get(series_id.upper(), series_id.upper())
