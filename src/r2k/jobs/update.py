"""The scheduled job, one idempotent call: new data -> refit on all data to date -> forecast and log ->
score realised forecasts -> publish the outlook's and the monitor's records -> status -> rebuild the report.

Every model is fitted from scratch on all data up to the newest close each time it forecasts, so the
refit is part of the forecast step; retuning hyperparameters (models/tuned.json) stays a deliberate step
that a degraded or failing status calls for. A failed import or fetch raises before anything else runs
and leaves the store as it was (both write in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from r2k.config import Settings
from r2k.errors import DataError
from r2k.forecasting import forecast_from_store
from r2k.monitor.service import ScoreRun, monitor_status, publish, publish_walk_forward, score_forecasts
from r2k.monitor.status import MonitorStatus
from r2k.names import PUBLISHED_HORIZONS
from r2k.outlook.record import publish_record
from r2k.snapshot import Snapshot
from r2k.store import Store
from r2k.store.forecast_log import LogWrite
from r2k.store.records import PublishedRecord



@dataclass(frozen=True)
class UpdateResult:
    """What one run of the job did, step by step."""

    data: dict[str, Any]
    origin: date
    logged: LogWrite
    scored: ScoreRun
    status: MonitorStatus
    record: PublishedRecord | None
    report: Path | None

    def summary(self) -> str:
        d = self.data
        return "\n".join([
            f"data: {d['action']} - {d['rows_new']} new rows, {d['rows_changed']} changed",
            f"refit and forecast from the close of {self.origin}: {self.logged.rows_new} forecasts logged "
            f"({self.logged.rows_unchanged} already in the log)",
            f"scored: {self.scored.n_realised} of {self.scored.n_logged} logged forecasts realised "
            f"({self.scored.write.rows_new} newly scored)",
            self.status.summary(),
            f"outlook record: published as of {self.record.as_of}" if self.record else
            "outlook record: none (the as-of date is not after the tuning cutoff, or too little data)",
            f"report: {self.report}" if self.report else "report: not rebuilt"])

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.origin, "data": self.data, "logged": self.logged.to_dict(), "scored": self.scored.to_dict(),
                "status": self.status.to_dict(), "retrain": self.status.retrain,
                "record": None if self.record is None else self.record.to_dict(), "report": self.report}


def refresh_data(store: Store, now: datetime, data_dir: Path | None, fetch_end: date | None,
                 providers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Import ``data_dir`` or fetch from the live providers up to ``fetch_end``; atomic either way."""
    if data_dir is not None:
        from r2k.store.ingest import import_directory

        summary, _ = import_directory(store, data_dir, now, not_after=now.date())
        action = "imported"
    else:
        from r2k.store.refresh import refresh

        if fetch_end is None:
            raise ValueError("fetch_end is required when fetching (the caller reads the clock, not the library)")
        summary = refresh(store, None, fetch_end, now, providers=providers)
        action = "fetched"
    return {"action": action, "rows_new": summary.rows_new, "rows_changed": summary.rows_changed}


def run_update(store_path: Path, settings: Settings, now: datetime, *, data_dir: Path | None = None,
               fetch_end: date | None = None, symbol: str = "RUT", horizons: Sequence[int] = PUBLISHED_HORIZONS,
               report_out: Path | None = None, providers: Mapping[str, Any] | None = None,
               walk_forward: bool = True, on_step: Callable[[str], None] | None = None) -> UpdateResult:
    """Run the whole job; raises (store unchanged) when the data step fails. ``on_step(words)`` is called as each
    step starts (for a progress display; the library prints nothing)."""
    symbol = symbol.upper()
    step = on_step or (lambda _words: None)
    if data_dir is not None and not Path(data_dir).is_dir():  # before the store is opened: no empty store is created
        raise DataError(str(data_dir), "not a directory")
    with Store(store_path) as store:
        step("importing data" if data_dir is not None else "fetching data")
        data = refresh_data(store, now, data_dir, fetch_end, providers)
        step("refitting and forecasting")
        snap = Snapshot(store, None, symbol, settings=settings)  # the newest close, after the data step
        fc = forecast_from_store(snap, horizons=horizons)  # the published models refit on all data to date
        logged = publish(store, fc, source="r2k update", now=now)
        step("scoring realised forecasts")
        scored = score_forecasts(store, now, symbol)
        step("publishing the outlook's and the monitor's records")
        record = publish_record(snap, now, source="r2k update", n_jobs=2)  # two workers, as the report runs it
        if walk_forward:
            publish_walk_forward(snap, now, source="r2k update")
        status = monitor_status(snap, walk_forward=walk_forward)  # reads the walk-forward just published
        path = None
        if report_out is not None:
            from r2k.report import build_report, write_report

            step("building the report")
            report = build_report(snap, now)
            for shown, outlook in report.published:
                publish(store, shown, source="r2k report", now=now, outlook=outlook)
            path = write_report(report, report_out)
    return UpdateResult(data, pd.Timestamp(fc.origin).date(), logged, scored, status, record, path)
