"""Key points: 4–8 short sentences built only from measured facts, each linking to the report section
that holds its evidence. No sentence is written without its number."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from r2k.outlook.financial import FinancialRow
from r2k.outlook.ratings import Rating
from r2k.outlook.scenarios import Scenario
from r2k.words import pct


@dataclass(frozen=True)
class KeyPoint:
    text: str
    section: str  # the report section (anchor) holding the evidence

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "section": self.section}


_pct = partial(pct, sign=True)


def key_points(symbol: str, short: Rating, long: Rating, facts: dict[str, Any], scenarios: tuple[Scenario, ...],
               financial: tuple[FinancialRow, ...]) -> tuple[KeyPoint, ...]:
    """The key points from the outlook's facts (``facts`` holds the key numbers of :mod:`r2k.outlook.build`)."""
    out = [KeyPoint(f"{symbol} is rated {short.label} short-term (4 weeks) and {long.label} long-term (52 weeks): "
                    f"notch groups {short.group} and {long.group} of the 21-notch scale; the 4-week forecast puts the 5% worst case at "
                    f"{_pct(short.q05)} and the chance of a loss beyond 10% at {100 * short.p_loss10:.0f}%.", "outlook")]
    ch = facts.get("channel")
    if ch:
        where = "inside" if ch["position"] == "inside" else ch["position"]
        out.append(KeyPoint(f"The close {facts['close']:,.2f} is {where} the primary trend channel, which grows "
                            f"{_pct(ch['annual_growth'])} a year; its top ({ch['top']:,.0f}) is {_pct(ch['top'] / facts['close'] - 1)} and its "
                            f"bottom ({ch['bottom']:,.0f}) {_pct(ch['bottom'] / facts['close'] - 1)} from the close.", "channels"))
    dd = facts.get("drawdown")
    if dd is not None:
        text = (f"The index is at a record close." if dd["current"] >= 0 else
                f"The index is {100 * -dd['current']:.1f}% below its record close of {dd['record_close']:,.2f}; "
                f"{dd['days_since_record']} trading days have passed without a new record.")
        out.append(KeyPoint(text, "market"))
    vol = facts.get("volatility")
    if vol is not None:
        out.append(KeyPoint(f"20-day realised volatility is {100 * vol['realized_20d']:.1f}% a year, at the "
                            f"{100 * vol['percentile']:.0f}th percentile of its history ({vol['regime']} regime).", "market"))
    cyc = facts.get("cycle")
    extremes = sorted([r for r in financial if r.z == r.z], key=lambda r: -abs(r.z))[:2]
    if cyc is not None:
        ext = "; ".join(f"{r.measure} {r.text_value()} (z {r.z:+.1f}, {r.direction})" for r in extremes)
        out.append(KeyPoint(f"Cycle phase: {cyc['phase']} (recession signals {cyc['recession_score']}/4)"
                            + (f"; the most extreme macro readings: {ext}." if ext else "."), "financial"))
    rng = facts.get("range")
    if rng:
        s, l = rng["20"], rng["260"]
        out.append(KeyPoint(f"The model's 5–95% range for the close is {s['q05']:,.0f}–{s['q95']:,.0f} in 4 weeks "
                            f"(P(up) {s['p_up']:.2f}) and {l['q05']:,.0f}–{l['q95']:,.0f} in 52 weeks.", "forecast"))
    ranked = sorted((s for s in scenarios if s.likelihood == s.likelihood and s.impact == s.impact), key=lambda s: -s.weight)
    if ranked:
        top = ranked[0]
        out.append(KeyPoint(f"The scenario with the largest likelihood × impact is “{top.name}”: likelihood "
                            f"{100 * top.likelihood:.0f}% ({'model' if top.basis == 'model' else 'historical frequency'}), "
                            f"impact {_pct(top.impact)} if it happens.", "scenarios"))
    return tuple(out[:8])
