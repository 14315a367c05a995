"""The whole report on ../shared/data at a historical date: every section agrees on the as-of close,
and nothing after the as-of date leaks into it (skipped when the data is absent)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from r2k.config import Settings
from r2k.report import build_report
from r2k.snapshot import Snapshot
from r2k.store import Store

GENERATED = datetime(2026, 1, 1)


ALL = ["outlook", "scenarios", "model", "financial", "prices", "channels", "market", "tearsheet", "sectors", "events", "forecast",
       "monitor", "macro", "coverage"]
# six months of RUT history: too short for market analytics and a backtest, which are left out
EARLY = ["prices", "channels", "macro", "coverage"]


# 2008 is slow: the ensemble's eight years of member forecasts before that origin, which no other test shares (37 s quiet)
@pytest.mark.parametrize("as_of, close, sections", [pytest.param(date(2008, 10, 10), 522.48, ALL, marks=pytest.mark.slow),
                                                    (date(1988, 3, 1), None, EARLY)])
def test_report_sections_agree_as_of(shared_store: Path, session_cache: Path, as_of: date, close: float | None,
                                    sections: list[str]) -> None:
    with Store(shared_store, read_only=True) as store:
        cfg = Settings(store_path=shared_store, cache_dir=session_cache)
        report = build_report(Snapshot(store, as_of, settings=cfg), GENERATED)
    facts = {s.key: s.facts for s in report.sections}
    assert list(facts) == sections
    last = facts["prices"]["last_close"]
    if close is not None:
        assert last == close
    assert facts["prices"]["last_date"] <= as_of
    assert facts["channels"]["primary"]["as_of_close"] == last
    if "outlook" in facts:
        assert facts["outlook"]["facts"]["close"] == last and facts["outlook"]["origin"] <= as_of
        assert facts["model"]["track_record"] is None  # as of 2008 no rating has an out-of-sample outcome yet
    if "market" in facts:
        assert facts["market"]["close"] == last
        assert facts["forecast"]["last_close"] == last
        assert str(facts["forecast"]["origin"])[:10] <= as_of.isoformat()
        assert facts["monitor"]["as_of"] == as_of and facts["monitor"]["walk_forward"]["window_end"] == as_of
    for row in facts["coverage"]["series"]:
        assert row["days_behind"] is None or row["days_behind"] >= 0
