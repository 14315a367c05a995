"""The outlook on ../shared/data with the shipped rating map (skipped when the data is absent): calm and
crisis dates get the ratings a risk rating should give them, and the numbers agree with the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from r2k.config import Settings
from r2k.outlook import build_outlook
from r2k.outlook.scale import notch_index
from r2k.snapshot import Snapshot
from r2k.store import Store


@pytest.fixture(scope="module")
def outlooks(shared_store: Path, session_cache: Path) -> dict:
    with Store(shared_store, read_only=True) as s:
        cfg = Settings(store_path=shared_store, cache_dir=session_cache)
        return {d: build_outlook(Snapshot(s, d, settings=cfg), track=None) for d in (date(2017, 6, 30), date(2020, 3, 20))}


def test_a_crash_rates_worse_than_a_calm_market(outlooks: dict) -> None:
    calm, crash = outlooks[date(2017, 6, 30)], outlooks[date(2020, 3, 20)]
    assert crash.short.group == "Caa or below"  # March 2020: 20-day volatility at its historical extreme
    assert calm.short.notch < notch_index("Ba3") < crash.short.notch
    assert crash.facts["volatility"]["regime"] == "very high" and crash.short.p_loss10 > calm.short.p_loss10
    # the caveat travels with the 52-week P(up)
    assert "volatility model" in crash.caveats["p_up_long"]


def test_outlook_numbers_agree_with_the_store(outlooks: dict, shared_store: Path) -> None:
    o = outlooks[date(2020, 3, 20)]
    with Store(shared_store, read_only=True) as s:
        close = s.series("RUT", as_of=date(2020, 3, 20)).dropna()
    assert o.facts["close"] == pytest.approx(float(close.iloc[-1]))
    assert o.origin == close.index[-1].date()
    assert {s.key for s in o.scenarios} >= {"rally_5", "fall_5", "fall_10", "above_resistance", "below_primary",
                                             "new_record", "vix_top_decile", "credit_widening"}
    assert all(0 <= s.likelihood <= 1 and 0 <= s.technical_share <= 1 for s in o.scenarios)
    assert 4 <= len(o.key_points) <= 8
    areas = {r.area for r in o.financial}
    assert {"Rates and the Fed", "Inflation", "Consumer", "Credit"} <= areas
