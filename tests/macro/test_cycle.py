"""The cycle rule on inputs built to trigger each phase; NBER validation and phase returns on known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from r2k.macro.cycle import INPUTS, classify, cycle_inputs, month_ends, phase_at, validate_nber
from r2k.macro.phase_returns import returns_by_phase

NEUTRAL = {"sahm_gap": 0.1, "cfnai_ma3": 0.0, "cfnai_ma3_chg3": 0.0, "indpro_yoy": 2.0, "nfci": -0.5,
           "baa10y_rise": 0.1, "curve": 1.0, "curve_min_12m": 0.8, "unrate_gap_36m": 0.5, "fedfunds_chg12": 0.0}


def frame(rows: list[dict], start: str = "2000-01-31") -> pd.DataFrame:
    idx = pd.date_range(start, periods=len(rows), freq="ME")
    return pd.DataFrame([{**NEUTRAL, **r} for r in rows], index=idx)[list(INPUTS)]


def test_each_phase_from_its_signals() -> None:
    rows = [
        {},                                                                   # mid: nothing fires
        {"curve_min_12m": -0.2, "unrate_gap_36m": 0.1, "fedfunds_chg12": 1.5},  # late: 3 late signals
        {"sahm_gap": 0.6, "cfnai_ma3": -1.0},                                   # recession: 2 of 4
        {"sahm_gap": 0.6, "nfci": 0.5, "baa10y_rise": 1.5},                     # stress counts once: 2
        {"unrate_gap_36m": 2.0, "curve": 2.0},                                  # early: recovering + slack + steep
        {"sahm_gap": 0.6},                                                      # one recession signal is not enough
    ]
    c = classify(frame(rows))
    assert c["phase"].to_list() == ["mid", "late", "recession", "recession", "early", "mid"]  # recovering alone: 1
    assert c["recession_score"].to_list() == [0, 0, 2, 2, 0, 1]
    assert c["recovering"].to_list() == [False, False, False, False, True, True]


def test_recovery_flag_expires_after_24_months_and_ties_go_to_early() -> None:
    rows = [{"sahm_gap": 0.6, "cfnai_ma3": -1.0}] + [{"unrate_gap_36m": 1.2}] * 26
    c = classify(frame(rows))
    assert c["phase"].iloc[1] == "early" and c["phase"].iloc[24] == "early"  # recovering + slack
    assert c["phase"].iloc[25] == "mid"  # 25 months later: only slack remains
    tie = classify(frame([{"unrate_gap_36m": 1.2, "curve": 1.6, "curve_min_12m": 0.1, "fedfunds_chg12": 1.2}]))
    assert tie["phase"].iloc[0] == "early"  # 2 early vs 2 late


def test_missing_inputs_never_fire_and_evidence_is_reported() -> None:
    c = classify(frame([{"sahm_gap": np.nan, "cfnai_ma3": np.nan, "curve": np.nan}]))
    p = phase_at(c)
    assert p.phase == "mid" and not any(e.fired for e in p.evidence)
    assert {e.rule for e in p.evidence} >= {"sahm", "cfnai", "flat_curve", "slack"}
    first = p.to_dict()["evidence"][0]
    assert (first["threshold"], first["threshold_text"], first["unit"]) == (0.005, ">= 0.5 pp", "fraction")


def test_all_four_early_signals_are_listed_with_recovering() -> None:
    rows = [{"sahm_gap": 0.6, "cfnai_ma3": -1.0}] + [{"sahm_gap": 0.0, "cfnai_ma3": 0.0}] * 5
    p = phase_at(classify(frame(rows)))
    early = [e for e in p.evidence if e.group == "early"]
    assert [e.rule for e in early] == ["recovering", "slack", "steep_curve", "improving"]
    rec = early[0]
    assert (rec.value, rec.fired, rec.unit, rec.threshold_value) == (5.0, True, "months", 24.0)
    assert p.early_score == sum(e.fired for e in early) == 1
    assert "recession call in the previous 24 months" in p.summary()


def test_json_values_are_fractions_and_agree_with_the_rules() -> None:
    p = phase_at(classify(frame([{"sahm_gap": 0.6, "indpro_yoy": -1.5, "curve": 1.6, "nfci": 0.2}])))
    for e in p.to_dict()["evidence"]:
        if e["value"] is None:
            assert not e["fired"]
            continue
        v, t = e["value"], e["threshold"]
        holds = {">=": v >= t, "<=": v <= t, ">": v > t, "<": v < t}[e["op"]]
        assert holds == e["fired"], e  # the fraction-scaled value and threshold give the same answer
    ev = {e["rule"]: e for e in p.to_dict()["evidence"]}
    assert ev["sahm"]["value"] == pytest.approx(0.006) and ev["ip_contraction"]["value"] == pytest.approx(-0.015)
    assert ev["nfci_stress"]["value"] == pytest.approx(0.2) and ev["nfci_stress"]["unit"] == "index points"


def test_cycle_inputs_from_daily_values() -> None:
    idx = pd.bdate_range("2000-01-03", periods=800)
    v = pd.DataFrame({"sahm_gap": 0.0, "cfnai_ma3": np.linspace(-1, 1, 800), "indpro_yoy": 1.0, "nfci": 0.0,
                      "baa10y": np.r_[np.full(600, 2.0), np.full(200, 3.0)], "curve_10y2y": np.linspace(2, -1, 800),
                      "unrate": np.r_[np.full(400, 4.0), np.full(400, 5.5)], "fedfunds_chg12": 0.0}, index=idx)
    inp = cycle_inputs(v)
    last = inp.iloc[-1]
    assert last["baa10y_rise"] == pytest.approx(1.0)
    assert last["unrate_gap_36m"] == pytest.approx(1.5)
    assert last["curve_min_12m"] == pytest.approx(-1.0)
    assert last["cfnai_ma3_chg3"] == pytest.approx(63 * 2 / 799)
    expected = ["2000-01-31", "2000-02-29", "2000-03-03"]  # the last, partial month ends on its last date
    assert list(month_ends(idx[:45])) == [pd.Timestamp(d) for d in expected]


def test_validate_nber_leads_lags_and_false_alarms() -> None:
    months = pd.date_range("2000-01-31", periods=60, freq="ME")
    usrec = pd.Series(0.0, index=pd.date_range("2000-01-01", periods=60, freq="MS"))
    usrec.iloc[20:26] = 1  # recession 2001-09 .. 2002-02
    usrec.iloc[45:48] = 1  # recession 2003-10 .. 2003-12
    phase = pd.Series("mid", index=months)
    phase.iloc[18:24] = "recession"  # called 2 months early
    phase.iloc[5] = "recession"      # a false alarm (2000-06)
    phase.iloc[30] = "recession"     # 2002-07: within +6 months of the end, tolerated
    v = validate_nber(phase, usrec)
    assert [r.lead_months for r in v.recessions] == [-2, None]
    assert v.recessions[0].sustained_lead_months == -2
    phase.iloc[14] = "recession"  # a one-month blip 6 months early: first call moves, the held call does not
    v = validate_nber(phase, usrec)
    assert (v.recessions[0].lead_months, v.recessions[0].sustained_lead_months) == (-6, -2)
    assert v.false_alarms == ((pd.Timestamp("2000-06-01").date(), pd.Timestamp("2000-06-01").date(), 1),)
    assert "not called" in v.summary()


def test_returns_by_phase_known_means_and_non_overlap() -> None:
    days = pd.bdate_range("2000-01-03", "2009-12-31")
    ends = month_ends(days)
    phase = pd.Series(np.where(np.arange(len(ends)) % 2 == 0, "early", "late"), index=ends)
    # the index gains 2% in months that follow an "early" month-end and loses 1% after a "late" one
    step = pd.Series(np.where(phase.to_numpy() == "early", np.log(1.02), np.log(0.99)), index=ends)
    logp = np.r_[0.0, np.cumsum(step.to_numpy()[:-1])]
    closes = pd.Series(np.exp(logp), index=ends).reindex(days).interpolate()
    r = returns_by_phase(phase, closes, "TEST")
    t = r.table
    assert t.loc[("early", "ret_1m"), "mean"] == pytest.approx(np.log(1.02))
    assert t.loc[("late", "ret_1m"), "mean"] == pytest.approx(np.log(0.99))
    assert t.loc[("early", "ret_12m"), "n"] == 9 and t.loc[("late", "ret_12m"), "n"] == 0  # every 12th month only
    assert t.loc[("early", "ret_3m"), "n"] + t.loc[("late", "ret_3m"), "n"] == 39  # last window incomplete
    kw = [x for x in r.tests if x.name == "Kruskal-Wallis ret_1m across phases"][0]
    assert kw.p_value < 1e-10
