"""Economic-cycle phase (early expansion, mid, late, recession) from point-in-time inputs: a transparent rule.

Inputs (each read from the point-in-time feature matrix, so only values released by t are used):

========================  ==========================================================================
input                     definition
========================  ==========================================================================
sahm_gap                  3-month mean unemployment rate minus its low of the prior 12 months
cfnai_ma3                 CFNAI 3-month mean; ``cfnai_ma3_chg3`` its change over 63 trading days
indpro_yoy                industrial production, % over 12 months
nfci                      Chicago Fed NFCI (above 0 = tighter than average)
baa10y_rise               BAA10Y spread minus its low over the past 252 trading days (pp)
curve                     10y-2y Treasury spread; ``curve_min_12m`` its low over 252 trading days
unrate_gap_36m            unemployment rate minus its low over 756 trading days (pp)
fedfunds_chg12            fed funds rate change over 12 months (pp)
========================  ==========================================================================

Rule (thresholds are the published ones where one exists, not tuned on NBER dates):

* recession signals: Sahm gap >= 0.5 (Sahm 2019); CFNAI-MA3 <= -0.7 (Chicago Fed guideline);
  INDPRO YoY < 0; financial stress = NFCI > 0 or BAA10Y >= 1.0 pp above its 12-month low.
  **Recession** when at least 2 of these 4 fire.
* early signals: a recession call in the previous 24 months; slack (unemployment >= 1.0 pp above
  its 3-year low); a steep curve (10y-2y >= 1.5); improving growth (CFNAI-MA3 up >= 0.2 in 3 months).
* late signals: the curve was flat or inverted in the past year (min 10y-2y <= 0.25); tight labour
  (unemployment within 0.3 pp of its 3-year low); policy tightening (fed funds up >= 1.0 pp in 12
  months); credit widening (BAA10Y >= 0.5 pp above its 12-month low).
* **Early** when early >= 2 and early >= late; else **late** when late >= 2; else **mid**.

A missing input never fires. USREC (NBER) is used only to validate, never as an input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from r2k.macro.units import JSON_UNITS, display, to_json

PHASES: tuple[str, ...] = ("early", "mid", "late", "recession")
CYCLE_FACTORS: tuple[str, ...] = ("sahm_gap", "cfnai_ma3", "indpro_yoy", "nfci", "baa10y", "curve_10y2y", "unrate",
                                  "fedfunds_chg12")
YEAR, QUARTER = 252, 63


@dataclass(frozen=True)
class Rule:
    """One signal: ``input op threshold`` and the group (recession/early/late) it counts for."""

    name: str
    group: str
    input: str
    op: str
    threshold: float
    text: str

    def fires(self, value: float) -> bool:
        if value is None or value != value:
            return False
        return bool(value >= self.threshold if self.op == ">=" else value <= self.threshold if self.op == "<=" else
                    value > self.threshold if self.op == ">" else value < self.threshold)


RULES: tuple[Rule, ...] = (
    Rule("sahm", "recession", "sahm_gap", ">=", 0.5, "Sahm gap >= 0.5 pp"),
    Rule("cfnai", "recession", "cfnai_ma3", "<=", -0.7, "Chicago Fed activity index (CFNAI), 3-month mean <= -0.7"),
    Rule("ip_contraction", "recession", "indpro_yoy", "<", 0.0, "industrial production below a year ago"),
    Rule("nfci_stress", "recession", "nfci", ">", 0.0, "NFCI > 0 (tighter than average)"),
    Rule("credit_stress", "recession", "baa10y_rise", ">=", 1.0, "Baa corporate spread >= 1.0 pp above its 12-month low"),
    Rule("slack", "early", "unrate_gap_36m", ">=", 1.0, "unemployment >= 1.0 pp above its 3-year low"),
    Rule("steep_curve", "early", "curve", ">=", 1.5, "10-year minus 2-year Treasury spread >= 1.5 pp"),
    Rule("improving", "early", "cfnai_ma3_chg3", ">=", 0.2, "CFNAI 3-month mean up >= 0.2 over 3 months"),
    Rule("flat_curve", "late", "curve_min_12m", "<=", 0.25, "10-year minus 2-year spread <= 0.25 pp at some point in 12 months"),
    Rule("tight_labour", "late", "unrate_gap_36m", "<=", 0.3, "unemployment within 0.3 pp of its 3-year low"),
    Rule("tightening", "late", "fedfunds_chg12", ">=", 1.0, "fed funds up >= 1.0 pp over 12 months"),
    Rule("credit_widening", "late", "baa10y_rise", ">=", 0.5, "Baa corporate spread >= 0.5 pp above its 12-month low"),
)
RECOVERY_MONTHS = 24
# the fourth early signal: computed in :func:`classify` (it needs the past calls), listed with the others
RECOVERING = Rule("recovering", "early", "months_since_recession", "<=", RECOVERY_MONTHS,
                  f"a recession call in the previous {RECOVERY_MONTHS} months (and none now)")
INPUTS: tuple[str, ...] = ("sahm_gap", "cfnai_ma3", "cfnai_ma3_chg3", "indpro_yoy", "nfci", "baa10y_rise", "curve",
                           "curve_min_12m", "unrate_gap_36m", "fedfunds_chg12")
# the unit each input is in (percent and percentage points become fractions in JSON: r2k.macro.units)
INPUT_UNITS: dict[str, str] = {"sahm_gap": "pp", "cfnai_ma3": "index", "cfnai_ma3_chg3": "index", "indpro_yoy": "percent",
                               "nfci": "index", "baa10y_rise": "pp", "curve": "pp", "curve_min_12m": "pp",
                               "unrate_gap_36m": "pp", "fedfunds_chg12": "pp", "months_since_recession": "months"}


def cycle_inputs(values: pd.DataFrame) -> pd.DataFrame:
    """Daily cycle inputs from point-in-time factor values (columns named as in the catalog)."""
    v = values.reindex(columns=list(CYCLE_FACTORS))
    return pd.DataFrame({
        "sahm_gap": v["sahm_gap"],
        "cfnai_ma3": v["cfnai_ma3"],
        "cfnai_ma3_chg3": v["cfnai_ma3"] - v["cfnai_ma3"].shift(QUARTER),
        "indpro_yoy": v["indpro_yoy"],
        "nfci": v["nfci"],
        "baa10y_rise": v["baa10y"] - v["baa10y"].rolling(YEAR, min_periods=YEAR // 2).min(),
        "curve": v["curve_10y2y"],
        "curve_min_12m": v["curve_10y2y"].rolling(YEAR, min_periods=YEAR // 2).min(),
        "unrate_gap_36m": v["unrate"] - v["unrate"].rolling(3 * YEAR, min_periods=YEAR).min(),
        "fedfunds_chg12": v["fedfunds_chg12"],
    }, index=values.index)


def month_ends(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The last date of each month present in ``index`` (the final, possibly partial month included)."""
    s = pd.Series(index, index=index)
    return pd.DatetimeIndex(s.groupby(index.to_period("M")).max().to_numpy())


def classify(inputs: pd.DataFrame) -> pd.DataFrame:
    """Signals, group counts and the phase for every row of monthly ``inputs`` (in date order)."""
    out = inputs.copy()
    for r in RULES:
        out[r.name] = [r.fires(x) for x in inputs[r.input].to_numpy()]
    rec = out[["sahm", "cfnai", "ip_contraction"]].sum(axis=1) + (out["nfci_stress"] | out["credit_stress"])
    out["recession_score"] = rec.astype(int)
    is_rec = (rec >= 2).to_numpy()
    recovering, since, last_rec = [], [], None
    for d, r in zip(out.index, is_rec):
        recovering.append(bool(last_rec is not None and _months(last_rec, d) <= RECOVERY_MONTHS and not r))
        since.append(float("nan") if last_rec is None else float(_months(last_rec, d)))  # before this month's call
        if r:
            last_rec = d
    out["recovering"] = recovering
    out["months_since_recession"] = since
    out["early_score"] = out[["recovering", "slack", "steep_curve", "improving"]].sum(axis=1).astype(int)
    out["late_score"] = out[["flat_curve", "tight_labour", "tightening", "credit_widening"]].sum(axis=1).astype(int)
    phase = np.where(is_rec, "recession", np.where(
        (out["early_score"] >= 2) & (out["early_score"] >= out["late_score"]), "early",
        np.where(out["late_score"] >= 2, "late", "mid")))
    out["phase"] = pd.Series(phase, index=out.index, dtype="str")
    return out


def _months(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@dataclass(frozen=True)
class Evidence:
    """One rule at one date: the input's value and whether the rule fired. ``value`` and ``threshold_value``
    are in the input's ``unit`` (percent/pp as FRED quotes them); ``to_dict`` gives fractions."""

    rule: str
    group: str
    input: str
    value: float
    threshold: str
    fired: bool
    text: str = ""
    unit: str = "index"
    op: str = ""
    threshold_value: float = float("nan")

    def display(self) -> str:
        return display(self.value, self.unit)

    def to_dict(self) -> dict:
        return {"rule": self.rule, "group": self.group, "input": self.input, "text": self.text,
                "value": to_json(self.value, self.unit), "unit": JSON_UNITS.get(self.unit, self.unit), "op": self.op,
                "threshold": to_json(self.threshold_value, self.unit), "threshold_text": self.threshold,
                "fired": self.fired, "display": self.display()}


@dataclass(frozen=True)
class CyclePhase:
    """The phase at ``date`` with every rule's evidence and the group scores."""

    date: date
    phase: str
    recession_score: int
    early_score: int
    late_score: int
    recovering: bool
    evidence: tuple[Evidence, ...]

    def summary(self) -> str:
        fired = [e.text for e in self.evidence if e.fired]
        return (f"{self.date}: {self.phase} (recession {self.recession_score}/4, early {self.early_score}/4, "
                f"late {self.late_score}/4); signals: {'; '.join(fired) or 'none'}")

    def to_dict(self) -> dict:
        return {"date": self.date, "phase": self.phase, "recession_score": self.recession_score,
                "early_score": self.early_score, "late_score": self.late_score, "recovering": self.recovering,
                "evidence": [e.to_dict() for e in self.evidence]}


def phase_at(classified: pd.DataFrame, day: pd.Timestamp | None = None) -> CyclePhase:
    """The evidence behind the phase on ``day`` (default: the last row) of a :func:`classify` frame."""
    t = classified.index[-1] if day is None else pd.Timestamp(day)
    row = classified.loc[t]
    rules = RULES[:5] + (RECOVERING,) + RULES[5:]  # the four early signals together
    since = row["months_since_recession"] if "months_since_recession" in row.index else float("nan")
    ev = tuple(Evidence(r.name, r.group, r.input, float(since if r is RECOVERING else row[r.input]),
                        _threshold_words(r), bool(row[r.name]), r.text, INPUT_UNITS[r.input], r.op, float(r.threshold))
               for r in rules)
    return CyclePhase(t.date(), str(row["phase"]), int(row["recession_score"]), int(row["early_score"]),
                      int(row["late_score"]), bool(row["recovering"]), ev)


def _threshold_words(r: Rule) -> str:
    unit = INPUT_UNITS[r.input]
    tail = {"pp": " pp", "percent": "%", "months": " months"}.get(unit, "")
    return f"{r.op} {r.threshold:g}{tail}"


# ------------------------------------------------------------------ validation against NBER (USREC)
@dataclass(frozen=True)
class RecessionCall:
    """One NBER recession and when the classifier first called it (months relative to its start)."""

    start: date
    end: date
    first_call: date | None
    lead_months: int | None  # negative: called before the NBER start
    sustained_call: date | None  # first month of the first run of >= 2 consecutive calls
    sustained_lead_months: int | None

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass(frozen=True)
class NberValidation:
    """Per-recession timing of the first call, and the false alarms outside recession +/- ``tolerance``."""

    recessions: tuple[RecessionCall, ...]
    false_alarms: tuple[tuple[date, date, int], ...]  # (first month, last month, months) of each episode
    window: int
    tolerance: int
    months_evaluated: int

    @property
    def false_alarm_months(self) -> int:
        return sum(n for *_, n in self.false_alarms)

    def summary(self) -> str:
        lines = [f"NBER validation ({self.months_evaluated} months; call searched from {self.window} months before "
                 f"the start to its last month; false alarm = recession call outside recession +/- "
                 f"{self.tolerance} months)"]
        for r in self.recessions:
            lead = "not called" if r.lead_months is None else f"{r.lead_months:+d} months (first call {r.first_call})"
            if r.sustained_lead_months is not None and r.sustained_call != r.first_call:
                lead += f"; first call held 2+ months: {r.sustained_lead_months:+d} ({r.sustained_call})"
            lines.append(f"  {r.start} .. {r.end}: {lead}")
        lines.append(f"  false alarms: {len(self.false_alarms)} episodes, {self.false_alarm_months} months: "
                     + "; ".join(f"{a}..{b} ({n})" for a, b, n in self.false_alarms))
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"recessions": [r.to_dict() for r in self.recessions],
                "false_alarms": [{"first": a, "last": b, "months": n} for a, b, n in self.false_alarms],
                "false_alarm_months": self.false_alarm_months, "window": self.window, "tolerance": self.tolerance,
                "months_evaluated": self.months_evaluated}


def _runs(flags: pd.Series) -> list[tuple[pd.Period, pd.Period]]:
    """(first, last) period of each run of True in a monthly-period-indexed boolean series."""
    runs, start, prev = [], None, None
    for p, f in flags.items():
        if f and start is None:
            start = p
        if not f and start is not None:
            runs.append((start, prev))
            start = None
        prev = p
    if start is not None:
        runs.append((start, prev))
    return runs


def validate_nber(phase: pd.Series, usrec: pd.Series, window: int = 12, tolerance: int = 6) -> NberValidation:
    """Timing of recession calls against NBER recession months (``usrec`` 0/1 by month, validation only).

    A recession counts as called when a recession call falls between ``window`` months before its first
    NBER month and its last NBER month; a call outside every recession +/- ``tolerance`` months is a
    false alarm.
    """
    calls = (phase == "recession").groupby(phase.index.to_period("M")).last()
    rec = usrec.groupby(pd.DatetimeIndex(usrec.index).to_period("M")).last().astype(bool)
    rec = rec[rec.index >= calls.index[0]]
    recs = _runs(rec)
    out, near = [], pd.Series(False, index=calls.index)
    for a, b in recs:
        inside = (calls.index >= a - window) & (calls.index <= b)
        hits = calls[inside & calls]
        twice = calls[inside & calls & calls.shift(-1, fill_value=False)]
        first = hits.index[0] if len(hits) else None
        held = twice.index[0] if len(twice) else None
        out.append(RecessionCall(a.to_timestamp().date(), b.to_timestamp().date(),
                                 first.to_timestamp().date() if first is not None else None,
                                 None if first is None else (first - a).n,
                                 held.to_timestamp().date() if held is not None else None,
                                 None if held is None else (held - a).n))
        near |= (calls.index >= a - tolerance) & (calls.index <= b + tolerance)
    covered = calls.index <= rec.index[-1] if len(rec) else np.ones(len(calls), bool)
    false = calls & ~near & covered
    alarms = tuple((a.to_timestamp().date(), b.to_timestamp().date(), (b - a).n + 1) for a, b in _runs(false))
    return NberValidation(tuple(out), alarms, window, tolerance, int(covered.sum()))
