"""One call for the CLI and the report: every market measure of an index as of one date.

Pure: takes the series (already read by the caller), cuts each at ``as_of`` and composes the
modules returns, volatility, drawdown, records, relative, levels, flows and events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from r2k.analytics.drawdown import DrawdownResult, drawdowns
from r2k.analytics.events import HORIZONS, EventStudy, run_event_study
from r2k.analytics.flows import FlowsResult, etf_flows
from r2k.analytics.levels import LevelsResult, levels
from r2k.analytics.records import RecordDrought, record_drought
from r2k.analytics.relative import RelativeResult, relative
from r2k.analytics.returns import ReturnsResult, returns_summary, upto
from r2k.analytics.volatility import VolatilityResult, volatility
from r2k.names import ANALYZE_EVENTS



@dataclass(frozen=True)
class MarketInputs:
    """The series one analysis reads; None where the store lacks them."""

    close: pd.Series
    benchmark: pd.Series | None = None
    vix: pd.Series | None = None
    fedfunds: pd.Series | None = None
    etf_close: pd.Series | None = None
    etf_shares: pd.Series | None = None
    symbol: str = "RUT"
    benchmark_symbol: str = "GSPC"


@dataclass(frozen=True)
class MarketAnalysis:
    symbol: str
    benchmark: str
    as_of: date
    close: float
    returns: ReturnsResult
    volatility: VolatilityResult
    drawdown: DrawdownResult
    record_drought: RecordDrought
    relative: RelativeResult | None
    levels: LevelsResult
    flows: FlowsResult
    events: dict[str, EventStudy]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        lines = [self.returns.summary(), self.drawdown.summary(), self.record_drought.summary(), self.volatility.summary()]
        if self.relative is not None:
            lines.append(self.relative.summary())
        lines += [self.levels.summary(), self.flows.summary()]
        for ev in self.events.values():
            if not ev.available:
                lines.append(ev.summary())
                continue
            r20 = next((r for r in ev.results if r.horizon == 20), ev.results[-1] if ev.results else None)
            if r20 is not None and r20.n_events == 0:
                lines.append(f"{ev.kind} ({len(ev.event_dates)} events): none with {r20.horizon} days of closes after it")
            elif r20 is not None:
                lines.append(f"{ev.kind} ({len(ev.event_dates)} events): {r20.horizon}d forward {r20.mean_event:+.2%} vs "
                             f"{r20.mean_control:+.2%}; {r20.welch.verdict()}")
        lines += list(self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict:
        vol = self.volatility.to_dict()
        garch = {"garch": vol.pop("garch"), "gjr": vol.pop("gjr")}
        return {
            "symbol": self.symbol, "benchmark": self.benchmark, "as_of": self.as_of, "close": self.close,
            "returns": self.returns.to_dict()["periods"], "performance": self.returns.to_dict(),
            "volatility": vol, "garch": garch, "drawdown": self.drawdown.to_dict(),
            "record_drought": self.record_drought.to_dict(),
            "relative": None if self.relative is None else self.relative.to_dict(),
            "levels": self.levels.to_dict(), "flows": self.flows.to_dict(),
            "events": {k: v.to_dict() for k, v in self.events.items()}, "notes": list(self.notes),
        }


def analyze(inputs: MarketInputs, as_of: date | None = None, horizons: Sequence[int] = HORIZONS,
            event_kinds: Sequence[str] = ANALYZE_EVENTS, with_channels: bool = True) -> MarketAnalysis:
    """Every market measure of ``inputs.close`` using only data up to ``as_of`` (default: its last date)."""
    sym = inputs.symbol
    c = upto(inputs.close, as_of, sym)
    end = c.index[-1]
    notes = []
    rel = None
    if inputs.benchmark is not None and not inputs.benchmark.dropna().empty:
        rel = relative(c, inputs.benchmark, end, inputs.vix, sym, inputs.benchmark_symbol)
    else:
        notes.append(f"relative measures unavailable: no {inputs.benchmark_symbol} series")
    if inputs.etf_close is not None and not inputs.etf_close.dropna().empty:
        flows = etf_flows(inputs.etf_shares, inputs.etf_close, end)
    else:
        flows = etf_flows(None, c, end)
    events = {k: run_event_study(k, c, end, horizons, sym, inputs.vix, inputs.fedfunds, inputs.etf_shares, inputs.etf_close)
              for k in event_kinds}
    return MarketAnalysis(
        sym, inputs.benchmark_symbol, end.date(), float(c.iloc[-1]),
        returns_summary(c, end, inputs.fedfunds, sym), volatility(c, end, sym), drawdowns(c, end, symbol=sym),
        record_drought(c, end, sym), rel, levels(c, end, sym, with_channels=with_channels), flows, events, tuple(notes))
