"""The financial outlook in the seed's spirit, as facts with numbers and arrows: rates and the Fed,
inflation, the consumer, credit, sectors (each sector ETF's 3-month return relative to the index) and
valuation (stated as unavailable: the store holds no earnings or book values).

Values and arrows come from the point-in-time factor dashboard (arrow: the factor's z-score moved by more
than 0.25 over 63 trading days, up or down); nothing here is written around the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from r2k.analytics.sectors import SECTOR_NAMES
from r2k.macro.factors import FactorDashboard

AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Rates and the Fed", ("fedfunds", "fedfunds_chg12", "dgs2", "dgs10", "curve_10y2y")),
    ("Inflation", ("cpi_yoy", "core_cpi_yoy", "pce_yoy", "breakeven_10y")),
    ("Consumer", ("consumer_sentiment", "retail_yoy", "unrate")),
    ("Credit", ("hy_oas", "ig_oas", "nfci")),
)
ARROWS = {"rising": "↑", "falling": "↓", "flat": "→", "n/a": ""}
SECTOR_DAYS = 63


@dataclass(frozen=True)
class FinancialRow:
    area: str
    measure: str
    value: float
    unit: str  # "%", "pp", "index", "return"
    z: float
    direction: str  # rising | falling | flat | n/a (n/a when stale: a series that stopped is not "flat")
    released: Any
    stale_since: Any = None  # the first day the value was stale (its next release was due), None when fresh
    key: str = ""  # the factor's name (cpi_yoy), or the sector fund's id
    label: str = ""  # the short human name for prose ("CPI inflation, 12 months")
    obs_date: Any = None  # the period the value describes (a month for monthly series)

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")

    def text_value(self) -> str:
        if self.value != self.value:
            return "n/a"
        if self.unit == "return":
            return f"{100 * self.value:+.1f}% vs index"
        return f"{self.value:,.2f}" + {"%": "%", "pp": " pp"}.get(self.unit, "")

    def trend(self) -> str:
        """The 3-month direction with its arrow, or "stale since …" for a value whose next release was due (a value
        carried past its release is not "flat")."""
        if self.stale_since is not None:
            return f"stale since {self.stale_since}"
        return f"{self.arrow} {self.direction}".strip()

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _unit(name: str) -> str:
    return "index" if name in ("consumer_sentiment", "nfci") else ("pp" if name.endswith("chg12") or name.startswith("curve") else "%")


def financial_rows(dash: FactorDashboard | None, close: pd.Series, sectors: dict[str, pd.Series]) -> tuple[FinancialRow, ...]:
    """Rows per area from the dashboard, then one per sector ETF: its 63-day return minus the index's."""
    rows: list[FinancialRow] = []
    if dash is not None:
        by = {r.name: r for r in dash.readings}
        for area, names in AREAS:
            rows += [FinancialRow(area, by[n].description, by[n].value, _unit(n), by[n].z, by[n].direction, by[n].released,
                                  by[n].stale_since, n, by[n].label or by[n].description, by[n].obs_date)
                     for n in names if n in by and by[n].value == by[n].value]
    if len(close) > SECTOR_DAYS:
        idx = float(close.iloc[-1] / close.iloc[-1 - SECTOR_DAYS] - 1)
        rel = []
        for sid, s in sectors.items():
            s = s.dropna().loc[: close.index[-1]]
            if len(s) > SECTOR_DAYS and (close.index[-1] - s.index[-1]).days <= 7:
                r = float(s.iloc[-1] / s.iloc[-1 - SECTOR_DAYS] - 1) - idx
                rel.append(FinancialRow("Sectors (3 months, relative to the index)", SECTOR_NAMES.get(sid, sid), r, "return",
                                        float("nan"), "rising" if r > 0 else "falling", s.index[-1].date(),
                                        key=sid, label=SECTOR_NAMES.get(sid, sid), obs_date=s.index[-1].date()))
        rows += sorted(rel, key=lambda r: -r.value)
    return tuple(rows)


VALUATION_NOTE = "Valuation: not available — the store holds no index earnings, book values or dividend yields."
