"""The report's forecast section on the session's synthetic market with the light ensemble: the fan is the outlook's own
distributions and the record is the outlook's walk-forward scores against climatology (the same section on 39 years
of real data is tests/forecasting/test_cli_and_real_data.py::test_report_section, a slow test)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from r2k.config import Settings
from r2k.report.context import ReportContext
from r2k.report.sections.forecast import build
from r2k.store import Store

from outlook_support import light_ensemble, synthetic_map

AS_OF = date(2021, 12, 31)


def test_the_fan_is_the_outlooks_and_the_record_is_against_climatology(outlook_market: Path, session_cache: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import r2k.outlook.build as outlook_build

    monkeypatch.setattr(outlook_build, "load_map", synthetic_map)
    light_ensemble(monkeypatch)
    with Store(outlook_market, read_only=True) as s:
        sec = build(ReportContext(store=s, as_of=AS_OF, settings=Settings(store_path=outlook_market, cache_dir=session_cache)))
    assert sec is not None and sec.key == "forecast" and "<svg" in sec.html
    # the fan is the ensemble's (the outlook's own distributions): the last close, then 4 and 52 weeks
    assert sec.facts["origin"] == pd.Timestamp(AS_OF) and sec.facts["model"] == "ensemble"
    assert len(sec.facts["fan"]["0.5"]) == 3 and sec.facts["fan"]["dates"][0] == AS_OF
    assert np.all(np.diff(sec.facts["fan"]["0.95"]) > 0)  # the upper band widens with the horizon
    record = sec.facts["record"]
    assert set(record["model"]) == {"ensemble", "climatology"} and "same origins as climatology" in sec.markdown
