"""The outlook's weekly record: which origins it spans (:func:`report_plan`), and where it comes from, cheapest first:
the store (as `r2k update` published it), the frame cache, or the walk-forward engine (reading the block cache)
(:func:`r2k.store.records.read_through`).

Every way gives the same frame: each is used only under the key of everything that produced it (:func:`record_key`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from r2k.config import Settings
from r2k.errors import R2KError
from r2k.forecasting import forecast_cache
from r2k.models.registry import make_models
from r2k.outlook.rating_map import load_map
from r2k.outlook.source import BASELINES, HistoryPlan, Record, model_names, needs_features, record_run
from r2k.store.cache import forecasts_frame_key
from r2k.store.records import PublishedRecord, read_through

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot
    from r2k.store import Store

RECORD_LEAD_DAYS = 100  # more than one refit block of 60 trading days
RECORD = "outlook"  # its name among the store's published records
RECORD_PARTS = ("frame", "weights", "left_out")


def report_plan(cutoff: date, as_of: date) -> HistoryPlan | None:
    """The record's plan: every weekly origin of the outlook's grid after the tuning cutoff, up to the as-of date. It
    starts a refit block (about three months) before the cutoff, so that its first origin after the cutoff is the grid's
    first one there, as in a record that started long before (the record scores origins after the cutoff only). Its last
    origin is the as-of date itself (``final``, unscored: its outcome lies ahead), so the record's last refit block is
    the live forecast's, computed once and read back by it."""
    if as_of <= cutoff:
        return None
    return HistoryPlan(start=cutoff - timedelta(days=RECORD_LEAD_DAYS), end=as_of, final=True)


def record_key(close: pd.Series, plan: HistoryPlan, feats: pd.DataFrame | None, cfg: Settings) -> str:
    """The record's key: every model of its runs (members included, with their parameters), the code, the plan,
    the seed, the rating map and the inputs as known at the as-of date."""
    models = make_models([*BASELINES, *model_names()])
    return forecasts_frame_key("outlook-record", models, plan.to_dict(), cfg.seed, load_map().version, close, feats)


def load_record(store: Store, close: pd.Series, plan: HistoryPlan, feats: pd.DataFrame | None, cfg: Settings,
                n_jobs: int, symbol: str) -> Record | None:
    """The record of the outlook model, its members and the baselines: as published in the store, or from the frame
    cache, or computed. None when the engine cannot run it (too little data)."""

    def compute() -> dict[str, pd.DataFrame] | None:
        try:  # a new day: the blocks before it come from the block cache, only the new ones are forecast
            return record_run(close, plan, features=feats, seed=cfg.seed, n_jobs=n_jobs, symbol=symbol,
                              cache=forecast_cache(cfg.cache_dir)).parts()
        except R2KError:
            return None

    parts = read_through(store, cfg.cache_dir, symbol, RECORD, record_key(close, plan, feats, cfg), RECORD_PARTS, compute)
    return None if parts is None else Record.from_parts(parts)


def _inputs(snap: Snapshot) -> tuple[HistoryPlan | None, pd.Series, pd.DataFrame | None]:
    plan = report_plan(snap.config.tuning_cutoff, snap.day)
    return plan, snap.closes(), (snap.inputs() if needs_features() else None)


def record_published(snap: Snapshot) -> bool:
    """Whether the snapshot's outlook can read its record from the store (or has none to compute): a progress display
    can then say whether the slow part lies ahead."""
    plan, close, feats = _inputs(snap)
    if plan is None:
        return True
    published = snap.store.published_record(snap.symbol, RECORD)
    return published is not None and published.key == record_key(close, plan, feats, snap.config)


def publish_record(snap: Snapshot, now: datetime, source: str, n_jobs: int = 1) -> PublishedRecord | None:
    """Compute the snapshot's record (through the caches) and keep it in its store as the symbol's record, for the
    report, the outlook and the dashboard to read back. None (nothing written) when there is no record to keep:
    as-of on or before the tuning cutoff, or too little data."""
    plan, close, feats = _inputs(snap)
    if plan is None:
        return None
    record = load_record(snap.store, close, plan, feats, snap.config, n_jobs, snap.symbol)
    if record is None:
        return None
    snap.store.write_record(snap.symbol, RECORD, record_key(close, plan, feats, snap.config), snap.day, record.parts(),
                            source, now)
    return snap.store.published_record(snap.symbol, RECORD)
