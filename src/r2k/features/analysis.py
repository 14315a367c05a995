"""Entry points that read the store and hand point-in-time features to the pure macro functions.

``factor_dashboard`` and ``cycle_report`` are what the CLI and the report call (one function each).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from r2k.calendar.nber import usrec_as_of
from r2k.errors import DataError
from r2k.features.builder import Source, build_feature_matrix
from r2k.macro.catalog import CATALOG, factor
from r2k.macro.cycle import (
    CYCLE_FACTORS,
    CyclePhase,
    NberValidation,
    classify,
    cycle_inputs,
    month_ends,
    phase_at,
    validate_nber,
)
from r2k.macro.factors import DIRECTION_LOOKBACK, FactorDashboard, dashboard
from r2k.macro.phase_returns import PhaseReturns, returns_by_phase

if TYPE_CHECKING:
    from r2k.snapshot import Snapshot

HISTORY_START = date(1980, 1, 1)


def factor_dashboard(snap: Snapshot) -> FactorDashboard:
    """Every catalog factor at the snapshot's date (:func:`factors_at`), built once per snapshot."""
    return snap.memo("factor_dashboard", lambda: factors_at(snap.store, snap.day))


def factors_at(source: Source, as_of: date) -> FactorDashboard:
    """Every catalog factor at the last trading day <= ``as_of``, with its z-score, direction and staleness."""
    # 10-year z-scores need the full history; the matrix itself only needs the last few months
    start = as_of - timedelta(days=2 * DIRECTION_LOOKBACK)
    matrix = build_feature_matrix(source, start, as_of, CATALOG)
    if not len(matrix.dates):
        raise DataError("features", f"no trading day between {start} and {as_of}")
    return dashboard(matrix, matrix.dates[-1])


@dataclass(frozen=True)
class CycleReport:
    """The phase at ``as_of``, its monthly history, and (with history) the NBER validation and phase returns."""

    as_of: date
    current: CyclePhase
    history: pd.DataFrame  # month-end rows: inputs, rule flags, scores, phase
    validation: NberValidation | None
    returns: PhaseReturns | None

    def summary(self) -> str:
        parts = [self.current.summary()]
        if self.validation is not None:
            parts.append(self.validation.summary())
        if self.returns is not None:
            parts.append(self.returns.summary())
        return "\n".join(parts)

    def to_dict(self) -> dict:
        hist = [{"date": d.date(), "phase": p} for d, p in self.history["phase"].items()]
        return {"as_of": self.as_of, "current": self.current.to_dict(), "history": hist,
                "validation": self.validation.to_dict() if self.validation else None,
                "returns": self.returns.to_dict() if self.returns else None}


def cycle_report(snap: Snapshot, with_history: bool = True) -> CycleReport:
    """The cycle phase at the snapshot's date from point-in-time inputs; with history, the USREC validation and
    the returns of the snapshot's symbol by phase."""
    store, as_of, symbol = snap.store, snap.day, snap.symbol
    factors = [factor(n) for n in CYCLE_FACTORS]
    matrix = build_feature_matrix(store, HISTORY_START, as_of, factors)
    if not len(matrix.dates):
        raise DataError("features", f"no trading day between {HISTORY_START} and {as_of}")
    inputs = cycle_inputs(matrix.values)
    classified = classify(inputs.loc[month_ends(matrix.dates)])
    current = phase_at(classified)
    validation = returns = None
    if with_history:
        # USREC is known only as NBER announced its turning points (r2k.calendar.nber); validation only
        usrec = usrec_as_of(store.series("USREC"), as_of) if store.has("USREC") else None
        if usrec is not None and len(usrec):
            validation = validate_nber(classified["phase"], usrec)
        closes = snap.series_if_any(symbol, dropna=False)
        if closes is not None:
            returns = returns_by_phase(classified["phase"], closes, symbol)
    return CycleReport(current.date, current, classified, validation, returns)
