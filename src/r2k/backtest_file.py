"""A backtest's long forecast frame on disk: ``r2k backtest --out FILE`` writes it, ``r2k evaluate FILE`` (and anyone
checking r2k's numbers) reads it back. Like :mod:`r2k.outfile`, a file the user names, not the store.

One row per origin, horizon and model with the columns of :data:`r2k.validation.engine.COLUMNS`: origin, target,
horizon, model, y (the realised log return, empty while unknown), mean, p_up and the quantiles q01..q99 of the log
return. CSV or Parquet; written atomically.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from r2k.errors import DataError
from r2k.outfile import write_atomic
from r2k.validation.engine import COLUMNS

SUFFIXES = (".csv", ".parquet")
KEY = ("origin", "horizon", "model")


def write_backtest_frame(frame: pd.DataFrame, path: Path) -> Path:
    """Write the frame's COLUMNS to ``path`` (.csv or .parquet), replacing the file only once it is complete."""
    out = frame.loc[:, list(COLUMNS)]
    writer = out.to_parquet if path.suffix.lower() == ".parquet" else out.to_csv
    return write_atomic(path, lambda tmp: writer(tmp, index=False))


def _line(frame: pd.DataFrame, mask: pd.Series | np.ndarray, csv: bool) -> int | str:
    """The first offending row, as a CSV line number (the header is line 1) or a Parquet row number."""
    i = int(np.flatnonzero(np.asarray(mask))[0])
    return i + 2 if csv else f"row {i + 1}"


def _shown(value: object) -> str:
    """A bad cell as the file holds it: text quoted, numbers plain."""
    return repr(value) if isinstance(value, str) else str(value)


def read_backtest_frame(path: Path) -> pd.DataFrame:
    """The frame saved by ``r2k backtest --out``, checked: every column present, dates and numbers parse, the
    quantiles are finite and non-decreasing, and no (origin, horizon, model) repeats. A DataError names the file,
    the line and the problem."""
    name, suffix = str(path), path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(name, "a saved backtest must be a .csv or .parquet file")
    if not path.is_file():
        raise DataError(name, "no such file")
    csv = suffix == ".csv"
    try:
        frame = pd.read_csv(path) if csv else pd.read_parquet(path)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(name, f"cannot be read as {suffix[1:]}: {exc}") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise DataError(name, f"missing column(s) {shown}: not a frame written by 'r2k backtest --out'")
    if frame.empty:
        raise DataError(name, "holds no forecasts")
    out = frame.loc[:, list(COLUMNS)].copy()
    for col in ("origin", "target"):
        parsed = pd.to_datetime(out[col], errors="coerce", format="mixed")
        if parsed.isna().any():
            raise DataError(name, f"{col} is not a date: {_shown(out[col][parsed.isna()].iloc[0])}", _line(out, parsed.isna(), csv))
        out[col] = parsed.astype("datetime64[us]")
    for col in ("horizon", "y", "mean", "p_up", *COLUMNS[7:]):
        values = pd.to_numeric(out[col], errors="coerce")
        bad = values.isna() & out[col].notna() if col == "y" else values.isna() | ~np.isfinite(values)
        if col == "horizon":
            bad = bad | (values < 1) | (values != values.round())
        if bad.any():
            raise DataError(name, f"{col} is not a {'positive whole number' if col == 'horizon' else 'finite number'}: "
                                  f"{_shown(out[col][bad].iloc[0])}", _line(out, bad, csv))
        out[col] = values.astype(int) if col == "horizon" else values.astype(float)
    q = out.loc[:, list(COLUMNS[7:])].to_numpy()
    falling = pd.Series((np.diff(q, axis=1) < -1e-12).any(axis=1))
    if falling.any():
        raise DataError(name, "quantiles q01..q99 decrease", _line(out, falling, csv))
    repeated = out.duplicated(list(KEY))
    if repeated.any():
        r = out[repeated].iloc[0]
        raise DataError(name, f"{r['model']} at origin {r['origin'].date()}, horizon {r['horizon']} appears twice",
                        _line(out, repeated, csv))
    out["model"] = out["model"].astype(str)
    return out
