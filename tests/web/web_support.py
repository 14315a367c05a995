"""A small synthetic market store for the dashboard tests (about 3.5 years of business days) and a fake
outlook module standing in for r2k.outlook (built by another part of the project)."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np

from r2k.store import Store
from tests_support import price_series

NOW = datetime(2026, 1, 2, 12, 0)
START, N = "2019-01-01", 900


def build_store(path: Path) -> Path:
    rng = np.random.default_rng(7)
    rut = 1500 * np.exp(np.cumsum(rng.normal(0.0003, 0.013, N)))
    spx = 2500 * np.exp(np.cumsum(rng.normal(0.0004, 0.010, N)))
    with Store(path) as s:
        s.write([price_series("RUT", rut, START), price_series("GSPC", spx, START)], "csv:/somewhere/private", NOW)
    return path


@dataclass(frozen=True)
class FakeOutlook:
    as_of: date
    symbol: str

    def to_dict(self) -> dict:
        tone = "positive" if self.as_of.month % 2 else "negative"
        return {"as_of": self.as_of, "symbol": self.symbol, "short_term": {"rating": f"short {tone}", "score": 0.25},
                "long_term": {"rating": "long neutral", "score": 0.0},
                "key_points": [f"Key point for {self.as_of}", "<script>alert('x')</script> & <b>bold</b>"],
                "scenarios": [{"scenario": "soft landing", "probability": 0.5}, {"scenario": "recession", "probability": 0.2}]}


def install_fake_outlook(monkeypatch) -> list:  # noqa: ANN001
    """Put a module r2k.outlook with build_outlook into sys.modules; returns the list of calls."""
    calls: list = []

    def build_outlook(snap):  # noqa: ANN001, ANN202
        calls.append((snap.day, snap.symbol))
        return FakeOutlook(snap.day, snap.symbol)

    module = types.ModuleType("r2k.outlook")
    module.build_outlook = build_outlook  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "r2k.outlook", module)
    return calls
