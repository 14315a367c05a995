"""The daily input frame the forecast models see through ``History.features``.

One row per trading day of the index, every cell known at that day's close:

* ``close`` the index itself; ``GSPC`` the S&P 500; ``VIX`` and ``RVX`` (CBOE implied volatility of the
  S&P 500 and of the Russell 2000, in percent; FRED's VIXCLS / RVXCLS when the Yahoo series is not stored; closing at 16:15 ET: a forecast that uses them is issued at
  16:15, still before everything it forecasts); the sector ETFs ``XLB`` .. ``XLY``. Other price series are
  carried forward at most ``MAX_STALE_DAYS`` trading days over their own gaps (holidays that differ), never
  further, so a series that stopped reads as missing rather than frozen.
* ``m:<factor>`` and ``z:<factor>``: each macro factor's value and rolling z-score as known after its
  release (the point-in-time matrix of :mod:`r2k.features.builder`; missing once the next value was due and
  is not known), for the factors in ``MODEL_FACTORS`` by default: every catalog factor but the indexes
  re-estimated over the whole sample each week (NFCI, ANFCI, STLFSI4, CFNAI), whose history is not what was
  known then (:mod:`r2k.macro.catalog`).

Columns a store does not hold are absent; models say so when they need one (see ``require``).
The walk-forward engine slices this frame at each origin before a model sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
import pandas as pd

from r2k.calendar.releases import ReleaseRule, release_dates
from r2k.errors import DataError
from r2k.features.builder import build_feature_matrix
from r2k.macro.catalog import MODEL_FACTORS, Factor
from r2k.store import Store

MARKET_SERIES: tuple[str, ...] = ("GSPC", "VIX", "RVX")
# FRED's copies of the CBOE closes, used when the Yahoo series is not stored
FALLBACKS: dict[str, str] = {"VIX": "VIXCLS", "RVX": "RVXCLS"}
SECTOR_SERIES: tuple[str, ...] = ("XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY")
MAX_STALE_DAYS = 5
MACRO_PREFIX, Z_PREFIX = "m:", "z:"
STARTS_LATER = "starts_later"  # DataFrame.attrs key: {input column: its first stored date}


def assemble_inputs(closes: pd.Series, others: dict[str, pd.Series], macro: pd.DataFrame | None = None,
                    macro_z: pd.DataFrame | None = None) -> pd.DataFrame:
    """The input frame on the dates of ``closes`` from already-read series (pure: no store access)."""
    index = pd.DatetimeIndex(closes.index).astype("datetime64[us]")
    out = {"close": pd.Series(closes.to_numpy(dtype=float), index=index)}
    for sid, s in others.items():
        out[sid] = carry_forward(s, index)
    frame = pd.DataFrame(out, index=index)
    for prefix, table in ((MACRO_PREFIX, macro), (Z_PREFIX, macro_z)):
        if table is not None:
            t = table.reindex(index).astype(float)
            t.columns = [f"{prefix}{c}" for c in t.columns]
            frame = pd.concat([frame, t], axis=1)
    return frame


def carry_forward(series: pd.Series, index: pd.DatetimeIndex, limit: int = MAX_STALE_DAYS) -> pd.Series:
    """On each day of ``index`` the last value of ``series`` dated on or before it, if at most ``limit``
    index days old (counted in ``index`` days, so a series that stopped reads as missing, not frozen)."""
    s = series.dropna()
    s.index = pd.DatetimeIndex(s.index).astype("datetime64[us]")
    s = s[~s.index.duplicated(keep="last")].sort_index()
    days = index.to_numpy()
    last = np.searchsorted(s.index.to_numpy(), days, side="right") - 1
    ok = last >= 0
    obs_date = s.index.to_numpy()[np.where(ok, last, 0)]
    age = np.arange(len(index)) - np.searchsorted(days, obs_date, side="left")
    keep = ok & (age <= limit)
    values = np.where(keep, s.to_numpy(dtype=float)[np.where(ok, last, 0)], np.nan)
    return pd.Series(values, index=index, name=series.name)


def known_at_close(series: pd.Series, rule: ReleaseRule, index: pd.DatetimeIndex, limit: int = MAX_STALE_DAYS) -> pd.Series:
    """``series`` (dated by observation) as known at each close of ``index``: each value from its release date by
    ``rule`` (e.g. a credit spread from the next trading day), carried at most ``limit`` index days."""
    released = pd.Series(series.to_numpy(dtype=float), index=release_dates(rule, series.index), name=series.name)
    return carry_forward(released, index, limit)


def load_inputs(store: Store, symbol: str = "RUT", as_of: date | None = None, macro: bool = True,
                series: Sequence[str] = MARKET_SERIES + SECTOR_SERIES, factors: Iterable[Factor] = MODEL_FACTORS) -> pd.DataFrame:
    """Read the index and every available input series as known at ``as_of`` and assemble the frame (macro columns
    for ``factors``: by default every factor whose history is not re-estimated over the whole sample)."""
    closes = store.series(symbol.upper(), as_of=as_of).dropna()
    if closes.empty:
        raise DataError(symbol.upper(), f"no closes stored on or before {as_of or 'the last stored date'}")
    others = {}
    later: dict[str, date] = {}  # stored inputs with no value yet at as_of, and the day they start
    for sid in series:
        for stored in (sid, FALLBACKS.get(sid)):
            if not stored or sid == symbol.upper() or not store.has(stored):
                continue
            if not (s := store.series(stored, as_of=as_of).dropna()).empty:
                others[sid] = s
                break
            if len(full := store.series(stored).dropna()):
                later.setdefault(sid, full.index[0].date())
    values = z = None
    if macro:
        matrix = build_feature_matrix(store, closes.index[0], closes.index[-1], factors, dates=pd.DatetimeIndex(closes.index))
        values, z = matrix.values, matrix.z
    frame = assemble_inputs(closes, others, values, z)
    frame.attrs[STARTS_LATER] = {k: v for k, v in later.items() if k not in others}  # for messages only, never values
    return frame


def starts_later(features: pd.DataFrame | None, column: str) -> date | None:
    """The first stored date of an input that is in the store but has no value yet at the frame's as-of."""
    return None if features is None else features.attrs.get(STARTS_LATER, {}).get(column)


def require(features: pd.DataFrame | None, column: str, model: str, origin: pd.Timestamp) -> pd.Series:
    """The input column a model needs, known at the origin, or a one-line DataError saying what is missing."""
    if features is None or column not in features.columns:
        raise DataError(model, f"needs the {column} series, which is not in the store (import or fetch {column})")
    col = features[column].loc[:origin]
    if col.empty or pd.isna(col.iloc[-1]):
        last = col.last_valid_index()
        when = f"ends on {last.date()}" if last is not None else "has no value"
        raise DataError(model, f"the {column} series {when}, before the forecast origin {origin.date()}", row=str(origin.date()))
    return col
