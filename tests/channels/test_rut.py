"""Integration on the real RUT history from ../shared/data (skipped when it is absent)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from r2k import __version__
from r2k.analytics.channels import fit_channel
from r2k.analytics.trend_detect import detect_trends
from r2k.cli.app import app
from r2k.config import load_settings
from r2k.report.context import ReportContext
from r2k.report.sections import channels as section
from r2k.serialize import dumps, to_jsonable
from r2k.store import Store

pytestmark = pytest.mark.shared_data
AS_OF = "2026-08-27"


@pytest.fixture(scope="module")
def rut(shared_store: Path) -> pd.Series:
    with Store(shared_store, read_only=True) as s:
        return s.series("RUT")


def test_record_close_and_detected_trends(rut: pd.Series) -> None:
    assert rut.loc["2021-11-08"] == pytest.approx(2442.74)
    result = detect_trends(rut, as_of=AS_OF)
    p, s = result.primary, result.secondary
    assert result.as_of == pd.Timestamp(AS_OF) and p.as_of_close == pytest.approx(rut.loc[AS_OF])
    assert (p.fit.end - p.fit.start).days >= 2 * 365 and s.fit.end == pd.Timestamp(AS_OF)
    assert s.fit.start > p.fit.start and (s.fit.end - s.fit.start).days >= 13 * 7 - 7
    assert -0.5 < p.fit.annual_growth < 1.0 and p.fit.r2 >= 0.5
    assert 0.85 < p.in_sample_inside_share <= 1.0
    assert p.durbin_watson < 0.2 and p.rho1 > 0.9  # the reason ±2s is not a 95% band
    close, top, bottom = p.as_of_close, p.position.top, p.position.bottom
    assert p.position.position == ("above" if close > top else "below" if close < bottom else "inside")


def test_record_window_channel(rut: pd.Series) -> None:
    fit = fit_channel(rut, "2020-03-18", "2021-11-08")
    pos = fit.position("2021-11-08", 2442.74)
    assert fit.direction == "increasing" and fit.annual_growth > 0.3
    assert fit.trail()[-1].close == pytest.approx(2442.74) and fit.trail()[-1].i == fit.n - 1
    assert pos.distance_pct == pytest.approx(2442.74 / (fit.top("2021-11-08") if pos.border == "top" else fit.bottom("2021-11-08")) - 1)


def test_as_of_hides_the_future(rut: pd.Series) -> None:
    t = "2022-06-30"
    early = detect_trends(rut, as_of=t)
    scrambled = rut.copy()
    scrambled.loc[scrambled.index > t] = np.linspace(1, 99999, int((scrambled.index > t).sum()))
    assert dumps(early.to_dict()) == dumps(detect_trends(scrambled, as_of=t).to_dict())


def test_cli_matches_library(shared_store: Path, rut: pd.Series) -> None:
    result = CliRunner().invoke(app, ["channels", "--store", str(shared_store), "--as-of", AS_OF, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc.pop("version") == __version__  # the CLI contract adds r2k's version to the library's payload
    assert doc == json.loads(dumps(detect_trends(rut, as_of=AS_OF).to_dict()))


def test_report_section(shared_store: Path) -> None:
    with Store(shared_store, read_only=True) as store:
        ctx = ReportContext(store=store, as_of=date(2026, 8, 27), settings=load_settings().with_store(shared_store))
        sec = section.build(ctx)
        close = ctx.series("RUT")
    assert sec is not None and sec.key == "channels" and "<svg" in sec.html
    facts = to_jsonable(sec.facts)
    expected = to_jsonable(detect_trends(close, as_of="2026-08-27").to_dict())
    assert facts["primary"] == expected["primary"] and facts["secondary"] == expected["secondary"]
    assert "Durbin" in sec.markdown and "Break of the primary channel" in sec.markdown
    assert "primary_break" not in sec.html + sec.markdown  # signals by name, never by id (in the JSON facts only)
    assert sec.html.count("<svg") == 2 and [lv["role"] for lv in facts["nearest_levels"]] == ["resistance", "support"]
