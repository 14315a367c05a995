"""The point-in-time factor matrix: every value at date t was public at t.

Pipeline per factor:

1. *Release events.* Each stored observation gets the date it became public: its vintage
   (``realtime_start``) when the store knows it, else the catalog's release rule
   (:mod:`r2k.calendar.releases`).
2. *Release-aligned transform.* The factor value "as known after release r" is the transform of the
   observations known at r, read at the latest observation. When release dates increase with
   observation dates and no vintages exist (all lag-rule data), that equals the causal transform of
   the observation-date series stamped with each observation's own release date (fast path). Otherwise
   the transform is recomputed on every release snapshot (exact path). The z-score is the rolling
   z-score of the transformed series, computed the same way.
3. *Daily alignment.* On each trading day t the matrix holds the last release dated <= t
   (forward-filled between releases), with the observation date and release date it came from, for as long
   as the next value is not yet due (:func:`r2k.macro.freshness.due_dates`: cadence + release rule + slack).
   Past that date the value is missing, not repeated: a series that stopped reads as missing in ``values``
   and ``z``; ``last_value``, ``obs_date`` and ``released`` keep the last real observation (to say
   "stale since ``due`` + 1 day").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.calendar.releases import release_dates
from r2k.calendar.trading import trading_days
from r2k.errors import DataError
from r2k.macro.catalog import CATALOG, Factor
from r2k.macro.freshness import due_dates
from r2k.macro.transforms import rolling_zscore
from r2k.store import Store

HISTORY_COLUMNS = ["released", "obs_date", "value", "z"]


def release_events(frame: pd.DataFrame, factor: Factor) -> pd.DataFrame:
    """``date, released, value`` rows: each observation (or vintage) with the date it became public."""
    spec = factor.spec
    out = frame.loc[:, ["date", "value"]].copy()
    out["date"] = out["date"].astype("datetime64[us]")
    rule = release_dates(spec.release, out["date"])
    if "realtime_start" in frame:
        known = pd.to_datetime(frame["realtime_start"]).astype("datetime64[us]")
        known = known.where(known > pd.Timestamp("1000-01-01"))
        out["released"] = known.fillna(pd.Series(rule, index=out.index)).to_numpy()
    else:
        out["released"] = rule
    return out.dropna(subset=["value"]).sort_values(["released", "date"], kind="stable").reset_index(drop=True)


def _transform_with_z(series: pd.Series, factor: Factor) -> pd.DataFrame:
    values = factor.transform.apply(series, factor.spec.freq)
    return pd.DataFrame({"value": values, "z": rolling_zscore(values, factor.spec.freq)})


def factor_history(frame: pd.DataFrame, factor: Factor) -> pd.DataFrame:
    """The factor as known after each release: ``released, obs_date, value, z`` (one row per release date)."""
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[us]" if c in ("released", "obs_date") else "float64")
                             for c in HISTORY_COLUMNS})
    events = release_events(frame, factor)
    by_obs = events.sort_values("date", kind="stable")
    # fast path: one event per observation and releases in observation order (see the module docstring)
    fast = not events["date"].duplicated().any() and bool(
        np.all(np.diff(by_obs["released"].to_numpy()) >= np.timedelta64(0, "us")))
    if fast:
        series = pd.Series(by_obs["value"].to_numpy(), index=pd.DatetimeIndex(by_obs["date"]))
        tz = _transform_with_z(series, factor)
        stamp = pd.Series(by_obs["released"].to_numpy(), index=pd.DatetimeIndex(by_obs["date"]))
        hist = pd.DataFrame({"released": stamp.reindex(tz.index).to_numpy(), "obs_date": tz.index,
                             "value": tz["value"].to_numpy(), "z": tz["z"].to_numpy()})
    else:
        hist = _exact_history(events, factor)
    hist = hist.dropna(subset=["value", "released"]).sort_values(["released", "obs_date"], kind="stable")
    return hist.drop_duplicates("released", keep="last").reset_index(drop=True).astype(
        {"released": "datetime64[us]", "obs_date": "datetime64[us]"})


def _exact_history(events: pd.DataFrame, factor: Factor) -> pd.DataFrame:
    """Recompute the transform on the data known at every release date (vintages, late releases)."""
    rows = []
    for released in events["released"].unique():
        known = events[events["released"] <= released].drop_duplicates("date", keep="last").sort_values("date")
        series = pd.Series(known["value"].to_numpy(), index=pd.DatetimeIndex(known["date"]))
        tz = _transform_with_z(series, factor).dropna(subset=["value"])
        if len(tz):
            rows.append((released, tz.index[-1], tz["value"].iloc[-1], tz["z"].iloc[-1]))
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def align(history: pd.DataFrame, dates: pd.DatetimeIndex, due: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """The last release dated <= each date: ``value, z`` (missing once past its ``due`` date, the last day the
    value may be carried without the next one), ``last_value, obs_date, released, due`` (of that last release,
    kept when stale), indexed by ``dates``. Without ``due`` a value is carried forward without limit."""
    pos = np.searchsorted(history["released"].to_numpy(), dates.to_numpy(), side="right") - 1
    ok = pos >= 0
    take = np.where(ok, pos, 0)
    due_at = np.full(len(dates), np.datetime64("NaT", "us"))
    if due is not None and len(history):
        due_at = np.where(ok, pd.DatetimeIndex(due).to_numpy().astype("datetime64[us]")[take], due_at)
    fresh = ok if due is None else ok & (dates.to_numpy() <= due_at)
    out = {}
    for col, src, mask in (("value", "value", fresh), ("z", "z", fresh), ("last_value", "value", ok),
                           ("obs_date", "obs_date", ok), ("released", "released", ok)):
        vals = history[src].to_numpy()[take] if len(history) else np.zeros(len(dates), history[src].dtype)
        missing = np.datetime64("NaT") if src in ("obs_date", "released") else np.nan
        out[col] = np.where(mask, vals, missing)
    out["due"] = due_at
    frame = pd.DataFrame(out, index=dates)
    return frame.astype({"obs_date": "datetime64[us]", "released": "datetime64[us]", "due": "datetime64[us]"})


@dataclass(frozen=True)
class FeatureMatrix:
    """Daily point-in-time factors: values and z-scores (missing once stale), and behind each cell the last real
    observation: its value, observation and release dates, and the last day it may be carried (``due``)."""

    dates: pd.DatetimeIndex
    factors: tuple[Factor, ...]
    values: pd.DataFrame
    z: pd.DataFrame
    obs_date: pd.DataFrame
    released: pd.DataFrame
    last_value: pd.DataFrame
    due: pd.DataFrame

    def stale(self) -> pd.DataFrame:
        """True where the next value of the factor's series was due by that date and is not known."""
        return self.due.lt(pd.Series(self.dates, index=self.dates), axis=0)

    def row(self, day: date | str | pd.Timestamp) -> pd.DataFrame:
        """One date: a frame indexed by factor name with value, z, obs_date, released, due, last_value, concept."""
        t = pd.Timestamp(day)
        if t not in self.values.index:
            raise KeyError(f"{t.date()} is not a date of this feature matrix")
        return pd.DataFrame({
            "concept": [f.concept for f in self.factors], "series_id": [f.series_id for f in self.factors],
            "value": self.values.loc[t].to_numpy(), "z": self.z.loc[t].to_numpy(),
            "obs_date": self.obs_date.loc[t].to_numpy(), "released": self.released.loc[t].to_numpy(),
            "due": self.due.loc[t].to_numpy(), "last_value": self.last_value.loc[t].to_numpy(),
        }, index=pd.Index([f.name for f in self.factors], name="factor"))

    def summary(self) -> str:
        filled = int(self.values.notna().sum().sum())
        return (f"feature matrix: {len(self.dates)} trading days {self.dates[0].date()}..{self.dates[-1].date()}, "
                f"{len(self.factors)} factors, {filled} filled cells")

    def to_dict(self) -> dict:
        return {"start": self.dates[0].date(), "end": self.dates[-1].date(), "factors": [f.name for f in self.factors],
                "values": {str(d.date()): row for d, row in zip(self.dates, self.values.to_dict("records"))}}


Source = Store | Mapping[str, pd.DataFrame]


def load_frames(source: Source, series_ids: Iterable[str], as_of: date | None = None) -> dict[str, pd.DataFrame]:
    """Stored frames of ``series_ids`` (absent series are skipped), with vintages where the store has them."""
    if not isinstance(source, Store):
        return {k.upper(): v for k, v in source.items()}
    out = {}
    for sid in dict.fromkeys(series_ids):
        if not source.has(sid):
            continue
        if source.kind(sid) != "macro":
            raise DataError(f"store:{source.path}", f"series {sid} is stored as prices, not a macro series")
        vint = source.vintages(sid)
        if len(vint):
            # dates with any known vintage use only their vintages (those known by as_of); others the release rule
            plain = source.read(sid, end=as_of)
            plain = plain[~plain["date"].isin(vint["date"])].assign(realtime_start=pd.NaT)
            known = vint[vint["realtime_start"] <= pd.Timestamp(as_of)] if as_of is not None else vint
            out[sid] = pd.concat([plain, known], ignore_index=True)
        else:
            out[sid] = source.read(sid, end=as_of)
    return out


def build_feature_matrix(
    source: Source,
    start: date | str,
    end: date | str,
    factors: Iterable[Factor] = CATALOG,
    dates: pd.DatetimeIndex | None = None,
) -> FeatureMatrix:
    """The factor matrix on the trading days ``start..end`` (or on ``dates``), using only data public by each day."""
    factors = tuple(factors)
    lo, hi = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if dates is None:
        dates = trading_days(lo, hi)
    dates = pd.DatetimeIndex(dates).astype("datetime64[us]")
    frames = load_frames(source, (f.series_id for f in factors), as_of=hi)
    cols: dict[str, dict[str, pd.Series]] = {k: {} for k in ("value", "z", "obs_date", "released", "last_value", "due")}
    for f in factors:
        frame = frames.get(f.series_id)
        if frame is None:
            frame = pd.DataFrame({"date": pd.Series(dtype="datetime64[us]"), "value": pd.Series(dtype="float64")})
        history = factor_history(frame, f)
        aligned = align(history, dates, due_dates(history["obs_date"], f.spec.freq, f.spec.release))
        for k in cols:
            cols[k][f.name] = aligned[k]
    tables = {k: pd.DataFrame(v, index=dates) for k, v in cols.items()}
    return FeatureMatrix(dates, factors, tables["value"], tables["z"], tables["obs_date"], tables["released"],
                         tables["last_value"], tables["due"])


def features_as_of(source: Source, day: date | str, factors: Iterable[Factor] = CATALOG) -> pd.DataFrame:
    """Every factor as known at the close of ``day``: value, z, obs_date, released, due, last_value, concept (one row
    per factor; value and z missing when stale)."""
    t = pd.Timestamp(day)
    matrix = build_feature_matrix(source, t, t, factors, dates=pd.DatetimeIndex([t]))
    return matrix.row(t)


__all__ = ["FeatureMatrix", "align", "build_feature_matrix", "factor_history", "features_as_of",
           "load_frames", "release_events"]
