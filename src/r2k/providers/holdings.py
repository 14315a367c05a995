"""Fund holdings files: the iShares export (fund preamble, then the table) and the tidy table.

* iShares layout, as the fund page serves it: a few fund lines (name, ``Fund Holdings as of,"May 05,
  2026"``, inception date, shares outstanding, ...), a blank line, the table whose header starts
  ``Ticker,Name,Sector,Asset Class,Market Value,Weight (%)``, then legal text. Numbers carry thousands
  separators and ``-`` means "not available".
* tidy layout (../shared/data/constituents): one header ``as_of,ticker,name,sector,asset_class,
  market_value,weight_pct,...`` and plain numbers.

Both become one :class:`HoldingsSnapshot` with weights as fractions. Checks: the preamble names the
as-of date, a weight column exists, every weight is a number, and the weights sum to about 100%.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from r2k.errors import DataError
from r2k.schemas import MAX_DATE, MIN_DATE

# the weights of ~2,000 lines rounded to 0.01% may miss 100% by a few tenths; more means a broken file
WEIGHT_SUM_TOLERANCE = 0.015
AS_OF_LINE = re.compile(r'^\ufeff?\s*"?Fund Holdings as of"?\s*,\s*"?([^"]+?)"?\s*,*\s*$', re.IGNORECASE)
MISSING = {"", "-", "--", "n/a", "N/A"}
COLUMNS = ("position", "ticker", "name", "sector", "asset_class", "weight", "market_value", "quantity", "price", "exchange")

# header names of the two layouts -> canonical names
ISHARES_NAMES = {
    "ticker": "ticker", "name": "name", "sector": "sector", "asset class": "asset_class",
    "market value": "market_value", "weight (%)": "weight_pct", "quantity": "quantity", "price": "price",
    "exchange": "exchange",
}
TIDY_NAMES = {
    "ticker": "ticker", "name": "name", "sector": "sector", "asset_class": "asset_class",
    "market_value": "market_value", "weight_pct": "weight_pct", "quantity": "quantity", "price": "price",
    "exchange": "exchange", "as_of": "as_of",
}


@dataclass(frozen=True)
class HoldingsSnapshot:
    """One fund's holdings on one date; ``frame`` has :data:`COLUMNS` (weight as a fraction of the fund)."""

    fund: str
    as_of: date
    frame: pd.DataFrame
    source: str
    layout: str  # "ishares" | "tidy"

    def to_dict(self) -> dict:
        return {"fund": self.fund, "as_of": self.as_of, "lines": len(self.frame), "layout": self.layout,
                "weight_sum": float(self.frame["weight"].sum())}


def read_holdings_file(path: Path | str, fund: str = "IWM") -> HoldingsSnapshot:
    """Read and check a holdings file of either layout; errors name the file and the line."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(source, "no such file") from None
    except UnicodeDecodeError as exc:
        raise DataError(source, f"not UTF-8 text (byte {exc.start})") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DataError(source, "empty file")
    first = next(i for i, line in enumerate(lines) if line.strip())
    head = [c.strip().lower() for c in next(csv.reader([lines[first]]))]
    if "as_of" in head and "ticker" in head:
        as_of, frame = _tidy(lines, first, source)
        layout = "tidy"
    else:
        as_of, frame = _ishares(lines, source)
        layout = "ishares"
    return HoldingsSnapshot(fund.upper(), as_of, frame, f"holdings:{path.name}", layout)


def _dated(day: date, source: str, line: int) -> date:
    """The as-of date, refused outside the years any stored date may have (a typo or a sentinel like 0001-01-01)."""
    if not MIN_DATE.date() <= day <= MAX_DATE.date():
        raise DataError(source, f"as-of date {day} is outside the years {MIN_DATE.year}..{MAX_DATE.year}", row=line)
    return day


def _ishares(lines: list[str], source: str) -> tuple[date, pd.DataFrame]:
    header_at = next((i for i, line in enumerate(lines) if line.lstrip('\ufeff"').lower().startswith("ticker,")), None)
    if header_at is None:
        raise DataError(source, "no holdings table: no header line starting 'Ticker,Name,...' (neither the iShares "
                                "export nor the tidy layout with as_of,ticker,...)")
    as_of = None
    for i, line in enumerate(lines[:header_at]):
        m = AS_OF_LINE.match(line)
        if m:
            as_of = _dated(_parse_as_of(m.group(1), source, i + 1), source, i + 1)
    if as_of is None:
        raise DataError(source, f"preamble changed: no 'Fund Holdings as of,\"Mon DD, YYYY\"' line above the table "
                                f"(header at line {header_at + 1})")
    rows, numbers = [], []
    reader = csv.reader(lines[header_at:])
    header = [c.strip() for c in next(reader)]
    for offset, row in enumerate(reader, start=header_at + 2):
        if not row or all(not c.strip() for c in row):
            break  # a blank line ends the table; the legal text follows
        if len(row) < len(header):
            break  # a one-field line of legal text
        rows.append(row[: len(header)])
        numbers.append(offset)
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    return as_of, _canonical(frame, ISHARES_NAMES, numbers, source)


def _tidy(lines: list[str], first: int, source: str) -> tuple[date, pd.DataFrame]:
    frame = pd.read_csv(io.StringIO("\n".join(lines[first:])), dtype=str, keep_default_na=False)
    numbers = list(range(first + 2, first + 2 + len(frame)))
    dates = frame["as_of"].str.strip().unique()
    if len(dates) != 1:
        raise DataError(source, f"the as_of column holds {len(dates)} dates ({', '.join(sorted(dates)[:3])}...); one file is one snapshot")
    try:
        as_of = datetime.strptime(dates[0], "%Y-%m-%d").date()
    except ValueError:
        raise DataError(source, f"as_of {dates[0]!r} is not a date (YYYY-MM-DD)", row=numbers[0]) from None
    return _dated(as_of, source, numbers[0]), _canonical(frame, TIDY_NAMES, numbers, source)


def _parse_as_of(text: str, source: str, line: int) -> date:
    for fmt in ("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise DataError(source, f"preamble changed: 'Fund Holdings as of' date {text!r} is not a date like 'May 05, 2026'", row=line)


def _canonical(frame: pd.DataFrame, names: dict[str, str], numbers: list[int], source: str) -> pd.DataFrame:
    frame = frame.rename(columns={c: names.get(c.strip().lower(), c.strip().lower()) for c in frame.columns})
    if "weight_pct" not in frame:
        raise DataError(source, "no weight column ('Weight (%)' in the iShares export, 'weight_pct' in the tidy table)")
    if "ticker" not in frame:
        raise DataError(source, "no ticker column")
    if frame.empty:
        raise DataError(source, "the holdings table has no rows")
    out = pd.DataFrame({"position": range(1, len(frame) + 1)})
    for col in ("ticker", "name", "sector", "asset_class", "exchange"):
        out[col] = frame[col].str.strip().to_numpy() if col in frame else None
    out["ticker"] = out["ticker"].fillna("-").replace("", "-")
    for col in ("weight_pct", "market_value", "quantity", "price"):
        out[col] = _numbers(frame[col], col, numbers, source, required=col == "weight_pct") if col in frame else float("nan")
    _no_negative_equity(out, frame, numbers, source)
    out["weight"] = out.pop("weight_pct") / 100.0
    total = float(out["weight"].sum())
    if abs(total - 1.0) > WEIGHT_SUM_TOLERANCE:
        raise DataError(source, f"weights sum to {100 * total:.2f}%, not about 100% (allowed 100 ± {100 * WEIGHT_SUM_TOLERANCE:.1f}); "
                                "the file is truncated or not a full holdings list")
    return out.loc[:, list(COLUMNS)]


def _no_negative_equity(out: pd.DataFrame, raw: pd.DataFrame, numbers: list[int], source: str) -> None:
    """An equity holding is never worth less than nothing (cash and futures lines may be negative: settlements)."""
    equity = out["asset_class"].fillna("") == "Equity"
    for col in ("weight_pct", "market_value"):
        negative = equity & (out[col] < 0)
        if negative.any():
            pos = int(negative.to_numpy().nonzero()[0][0])
            raise DataError(source, f"{col} {raw[col].iloc[pos].strip()!r} of equity holding {out['ticker'].iloc[pos]} "
                                    "is negative", row=numbers[pos])


def _numbers(col: pd.Series, name: str, numbers: list[int], source: str, required: bool) -> pd.Series:
    text = col.str.strip().str.replace(",", "", regex=False)
    missing = text.isin(MISSING)
    values = pd.to_numeric(text.where(~missing, None), errors="coerce")
    bad = values.isna() & ~missing
    if required:
        bad |= missing
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(source, f"{name} {col.iloc[pos]!r} is not a number", row=numbers[pos])
    return values.astype("float64")


def _equity_lines(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["asset_class"].fillna("") == "Equity") & (frame["ticker"] != "-")]


def weight_basis(frame: pd.DataFrame) -> str:
    """What weighs the equity holdings, in words: their market values when every equity line has one, else the
    file's weights (rounded to 0.01%, which turns a few hundred small holdings into 0.00)."""
    missing = int(_equity_lines(frame)["market_value"].isna().sum())
    if missing == 0:
        return "market values"
    return f"the file's weights ({missing:,} equity line{' has' if missing == 1 else 's have'} no market value)"


def equity_weights(frame: pd.DataFrame) -> pd.DataFrame:
    """Equity lines with a ticker and their shares of the equity total (duplicate tickers summed), weighed as
    :func:`weight_basis` says; lines of zero weight are dropped."""
    eq = _equity_lines(frame)
    basis = eq["market_value"] if weight_basis(frame) == "market values" else eq["weight"]
    eq = eq.assign(weight=basis)[basis > 0]
    eq = eq.groupby("ticker", as_index=False, sort=False).agg(
        name=("name", "first"), sector=("sector", "first"), weight=("weight", "sum"))
    total = eq["weight"].sum()
    return eq.assign(weight=eq["weight"] / total if total > 0 else eq["weight"]).reset_index(drop=True)
