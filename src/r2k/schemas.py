"""Canonical frames and their validators.

Two shapes flow through r2k:

* **Bars** (kind ``price``): ``date, open, high, low, close, adj_close, volume``; any of the value
  columns may be missing (NaN = not available), ``close`` must be present in the file.
* **Series** (kind ``macro``): ``date, value``.

Validators are strict: unknown columns and bad rows raise :class:`DataError` naming the source, the
row and the problem. Unsorted input is fine (it is sorted); identical duplicate rows are collapsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from r2k.errors import DataError

Kind = Literal["price", "macro"]
PRICE_FIELDS: tuple[str, ...] = ("open", "high", "low", "close", "adj_close", "volume")
BARS_COLUMNS: tuple[str, ...] = ("date", *PRICE_FIELDS)
SERIES_COLUMNS: tuple[str, ...] = ("date", "value")
POSITIVE_FIELDS = ("open", "high", "low", "close", "adj_close")
# dates outside this range are typos or sentinels (0001-01-01, 9999-12-31), never market history
MIN_DATE, MAX_DATE = pd.Timestamp("1800-01-01"), pd.Timestamp("2200-12-31")
# no traded price comes near 10^15; numbers near the largest double (1.8e308) overflow every sum, band and chart
MAX_PRICE = 1e15
ISO_TIMESTAMP = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"


def detect_kind(columns: Sequence[str], source: str) -> Kind:
    """Tell a price file from a macro file by its header, or reject the layout."""
    cols = [c.strip().lower() for c in columns]
    if "date" not in cols:
        raise DataError(source, f"no 'date' column (columns: {', '.join(cols) or 'none'})", row=1)
    twice = sorted({c for c in cols if cols.count(c) > 1})
    if twice:
        raise DataError(source, f"column(s) {', '.join(twice)} given twice", row=1)
    rest = set(cols) - {"date"}
    if rest == {"value"}:
        return "macro"
    unknown = rest - set(PRICE_FIELDS)
    if unknown or not rest:
        raise DataError(
            source,
            "unknown column layout "
            f"({', '.join(cols)}); expected date,value or date plus any of {', '.join(PRICE_FIELDS)}",
            row=1,
        )
    if "close" not in rest and "adj_close" not in rest:
        raise DataError(source, "a price file needs a 'close' or 'adj_close' column", row=1)
    return "price"


def _row_name(frame: pd.DataFrame, lines: pd.Series | None, pos: int) -> int | str:
    if lines is not None:
        return int(lines.iloc[pos])
    return f"date {frame['date'].iloc[pos]}"


def _parse_dates(raw: pd.Series, source: str, lines: pd.Series | None, frame: pd.DataFrame) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = raw
        bad = dates.isna()
    else:
        text = raw.astype("string").str.strip()
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = dates.isna()
        if bad.any():
            # second chance for ISO timestamps ("2024-01-02 00:00:00", "2024-01-02T00:00:00-05:00"): the
            # written calendar date is the trading date. Partial dates ("2024", "2024-01") stay errors.
            stamp = text[bad].str.fullmatch(ISO_TIMESTAMP).fillna(False).astype(bool)
            retry = pd.to_datetime(text[bad].str.slice(0, 10).where(stamp), format="%Y-%m-%d", errors="coerce")
            dates = dates.where(~bad, retry)
            bad = dates.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(source, f"unparseable date {raw.iloc[pos]!r}", row=_row_name(frame, lines, pos))
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    dates = dates.dt.normalize().astype("datetime64[us]")
    far = (dates < MIN_DATE) | (dates > MAX_DATE)
    if far.any():
        pos = int(np.flatnonzero(far.to_numpy())[0])
        raise DataError(source, f"date {raw.iloc[pos]!r} is outside {MIN_DATE.year}..{MAX_DATE.year}",
                        row=_row_name(frame, lines, pos))
    return dates


def _parse_numbers(frame: pd.DataFrame, col: str, source: str, lines: pd.Series | None) -> pd.Series:
    raw = frame[col]
    if pd.api.types.is_numeric_dtype(raw):
        nums = raw.astype("float64")
        bad = pd.Series(np.isinf(nums.to_numpy()))
    else:
        text = raw.astype("string").str.strip()
        empty = text.isna() | (text == "")
        nums = pd.to_numeric(text.where(~empty), errors="coerce").astype("float64")
        bad = (nums.isna() & ~empty) | np.isinf(nums)  # "inf", "1e400" are not numbers a series can hold
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        value = raw.iloc[pos]
        shown = repr(value) if isinstance(value, str) else f"{float(value)}"
        raise DataError(source, f"column '{col}' has non-numeric value {shown}", row=_row_name(frame, lines, pos))
    return nums


def validate(frame: pd.DataFrame, kind: Kind, source: str, lines: pd.Series | None = None) -> pd.DataFrame:
    """Return the canonical, sorted frame for ``kind`` or raise :class:`DataError`.

    ``lines`` maps each row to its line number in the source file, so errors can name it.
    """
    if lines is not None:
        lines = lines.reset_index(drop=True)
    return finish(parse(frame, kind, source, lines), kind, source, lines)


def parse(frame: pd.DataFrame, kind: Kind, source: str, lines: pd.Series | None = None) -> pd.DataFrame:
    """Dates and numbers of ``frame`` parsed row by row (no row dropped), so a large file can be parsed in
    chunks and :func:`finish`-ed once; ``lines`` (if given) is aligned with ``frame``'s rows."""
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    if frame.empty:
        raise DataError(source, "no data rows")
    expected = BARS_COLUMNS if kind == "price" else SERIES_COLUMNS
    unknown = [c for c in frame.columns if c not in expected]
    if unknown:
        raise DataError(source, f"unknown column(s) {', '.join(unknown)} for a {kind} series")
    if "date" not in frame.columns:
        raise DataError(source, "no 'date' column")
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame({"date": _parse_dates(frame["date"], source, lines, frame)})
    for col in expected[1:]:
        out[col] = _parse_numbers(frame, col, source, lines) if col in frame.columns else np.nan
    return out


def finish(out: pd.DataFrame, kind: Kind, source: str, lines: pd.Series | None = None) -> pd.DataFrame:
    """Whole-series checks on parsed rows: price sanity, empty rows dropped, duplicates, sorted."""
    if out.empty:
        raise DataError(source, "no data rows")
    out = out.reset_index(drop=True)
    if kind == "price":
        _check_prices(out, source, lines)
    values = list((BARS_COLUMNS if kind == "price" else SERIES_COLUMNS)[1:])
    out = out[out[values].notna().any(axis=1)] if len(values) > 1 else out[out["value"].notna()]
    if out.empty:
        raise DataError(source, "every row is empty (no values)")
    return _dedupe_sorted(out, source, lines)


def _check_prices(out: pd.DataFrame, source: str, lines: pd.Series | None) -> None:
    for col in POSITIVE_FIELDS:
        bad = out[col] <= 0
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(source, f"non-positive {col} {out[col].iloc[pos]:g}", row=_row_name(out, lines, pos))
        bad = out[col] > MAX_PRICE
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(source, f"{col} {out[col].iloc[pos]:g} is above {MAX_PRICE:g}, beyond any traded price (a unit "
                            "or number-format error?)", row=_row_name(out, lines, pos))
    bad = out["volume"] < 0
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(source, f"negative volume {out['volume'].iloc[pos]:g}", row=_row_name(out, lines, pos))
    bad = out["high"] < out["low"]
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            source,
            f"high {out['high'].iloc[pos]:g} is below low {out['low'].iloc[pos]:g}",
            row=_row_name(out, lines, pos),
        )
    for side, bad in (("above the high", out["close"] > out["high"]), ("below the low", out["close"] < out["low"])):
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            limit = out["high" if "above" in side else "low"].iloc[pos]
            raise DataError(source, f"close {out['close'].iloc[pos]:g} is {side} {limit:g}", row=_row_name(out, lines, pos))


def _dedupe_sorted(out: pd.DataFrame, source: str, lines: pd.Series | None) -> pd.DataFrame:
    out = out.drop_duplicates()
    dup = out["date"].duplicated(keep=False)
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[1]) if dup.sum() > 1 else int(np.flatnonzero(dup.to_numpy())[0])
        index = out.index[pos]
        row = int(lines.iloc[index]) if lines is not None else f"date {out['date'].iloc[pos].date()}"
        raise DataError(source, f"duplicate date {out['date'].iloc[pos].date()} with different values", row=row)
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def frame_values(frame: pd.DataFrame, name: str) -> pd.Series:
    """A canonical frame's numbers indexed by date: the close (adj_close where the close is missing) of a
    price frame, the value of a macro frame; rows without a number are dropped."""
    if "value" in frame.columns:
        values = frame["value"]
    else:
        values = frame["close"].where(frame["close"].notna(), frame["adj_close"])
    index = pd.DatetimeIndex(frame["date"], name="date")
    return pd.Series(values.to_numpy(dtype="float64"), index=index, name=name).dropna()


def empty_frame(kind: Kind) -> pd.DataFrame:
    cols = BARS_COLUMNS if kind == "price" else SERIES_COLUMNS
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    frame["date"] = pd.Series(dtype="datetime64[us]")
    return frame
