"""Event studies: do forward returns after event days differ from those after other days?

One engine (``event_study``) serves every event kind. For each horizon h (trading days):

* forward log return r_{t,h} = log(C_{t+h} / C_t), only where t+h is on or before as_of;
* an event dated d sits on the first trading day on or after d (its close is the first one at
  which the event is known);
* overlap: the t-test and Mann–Whitney test use NON-OVERLAPPING samples — events are kept greedily
  when at least h days after the previous kept one, and the control sample is the grid of windows
  t = 0, h, 2h, … that do not overlap any event window (|t − e| < h). In addition a HAC test uses
  ALL days: OLS of r_{t,h} on an event dummy with Newey–West errors (h lags), which accounts for the
  overlap of h-day windows; its p-value is for the mean difference.
* reported per horizon: mean, median, hit rate (share > 0) of events and controls, the difference
  of means, Welch's t-test, Mann–Whitney U (two-sided), and the HAC test, each a TestResult.

Event kinds and their rules:
* reconstitution — Russell reconstitution effective dates (``r2k.calendar.reconstitution``).
* rank-day — Russell rank days (the run-up into the reconstitution: 20-40 day horizons reach recon day).
* vix-spike — VIX close > 30, or ≥ 1.5 × the mean of the previous 20 closes; only the first spike
  day of a cluster (no spike in the previous 20 trading days) is an event.
* rate-cut — the first FEDFUNDS cut of a cycle: a month whose value is ≥ 25 bp below the previous
  month's after ≥ 6 months without such a cut. Dated when known: the monthly average of month M is
  known on the first day of M+1, so the event sits on the first trading day of M+1.
* flows — first days of IWM "outflows beyond threshold" runs (``r2k.analytics.flows``); unavailable
  without a shares-outstanding history.
* channel-break — first close outside the primary channel, re-detected at each year-end with the
  closes up to then (``channel_breaks``); needs the channels layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from scipy import stats

from r2k.analytics.flows import etf_flows
from r2k.analytics.hac import newey_west  # the one HAC implementation (statsmodels); re-exported
from r2k.analytics.returns import upto
from r2k.analytics.testresult import TestResult
from r2k.analytics.trend_detect import detect_trends
from r2k.calendar.reconstitution import reconstitution_dates, reconstitutions
from r2k.errors import DataError
from r2k.names import EVENT_HORIZONS, EVENT_KINDS

HORIZONS = EVENT_HORIZONS
ALPHA = 0.05
PATH_BEFORE, PATH_AFTER = 5, 60
KINDS = EVENT_KINDS
VIX_LEVEL = 30.0
VIX_JUMP = 0.5
VIX_MEAN_DAYS = 20
CLUSTER_DAYS = 20
CUT_BP = 0.25
QUIET_MONTHS = 6
METHOD = ("Welch t and Mann-Whitney on non-overlapping samples (events >= h days apart; control = grid of "
          "h-day windows not overlapping any event window); HAC (Newey-West, h lags) OLS on all days for the mean difference")


@dataclass(frozen=True)
class HorizonStats:
    horizon: int
    n_events: int
    n_control: int
    mean_event: float
    mean_control: float
    median_event: float
    median_control: float
    hit_event: float
    hit_control: float
    difference: float
    welch: TestResult
    mann_whitney: TestResult
    hac: TestResult
    # 95% confidence interval of the difference of means (events − controls), from the same Welch test
    difference_ci_low: float = np.nan
    difference_ci_high: float = np.nan

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("horizon", "n_events", "n_control", "mean_event", "mean_control",
                                           "median_event", "median_control", "hit_event", "hit_control", "difference",
                                           "difference_ci_low", "difference_ci_high")}
        d["difference_p"] = self.welch.p_value
        d.update(welch=self.welch.to_dict(), mann_whitney=self.mann_whitney.to_dict(), hac=self.hac.to_dict())
        return d


@dataclass(frozen=True)
class EventStudy:
    kind: str
    symbol: str
    as_of: date | None
    rule: str
    available: bool
    message: str
    event_dates: tuple[date, ...] = ()
    horizons: tuple[int, ...] = HORIZONS
    results: tuple[HorizonStats, ...] = ()
    method: str = METHOD
    notes: tuple[str, ...] = field(default_factory=tuple)

    def table(self) -> list[dict]:
        """One row per horizon with the p-values in words."""
        return [{"horizon": r.horizon, "n_events": r.n_events, "mean_event": r.mean_event, "mean_control": r.mean_control,
                 "difference": r.difference, "difference_ci_low": r.difference_ci_low,
                 "difference_ci_high": r.difference_ci_high,
                 "hit_event": r.hit_event, "hit_control": r.hit_control, "welch_p": r.welch.p_value,
                 "mann_whitney_p": r.mann_whitney.p_value, "hac_p": r.hac.p_value, "verdict": r.welch.verdict()}
                for r in self.results]

    def verdict(self) -> str:
        """One sentence for the whole kind: at which horizons (if any) the Welch test finds a difference."""
        if not self.available:
            return self.message
        tested = [r for r in self.results if r.welch.p_value == r.welch.p_value]
        if not tested:
            return "Not testable: too few events with enough closes after them."
        hits = [r for r in tested if r.welch.p_value < ALPHA]
        chance = 1 - (1 - ALPHA) ** len(tested)
        if not hits:
            best = min(tested, key=lambda r: r.welch.p_value)
            return (f"No horizon shows a difference at the {ALPHA:.0%} level (Welch t-test; smallest p = "
                    f"{best.welch.p_value:.2g} at {_days(best.horizon)}).")
        parts = ", ".join(f"{_days(r.horizon)} ({'higher' if r.difference > 0 else 'lower'} by {abs(r.difference):.2%}, "
                          f"p = {r.welch.p_value:.2g})" for r in hits)
        return (f"Returns after events differ at the {ALPHA:.0%} level at {parts}; with {len(tested)} horizons tested, "
                f"at least one such p-value arises by chance about {chance:.0%} of the time.")

    def summary(self) -> str:
        if not self.available:
            return f"{self.kind} event study: {self.message}"
        lines = [f"{self.kind} event study on {self.symbol} as of {self.as_of}: {len(self.event_dates)} events ({self.rule})"]
        for r in self.results:
            lines.append(f"  {r.horizon:>3}d: events {r.mean_event:+.2%} (n={r.n_events}, hit {r.hit_event:.0%}) vs others "
                         f"{r.mean_control:+.2%} (n={r.n_control}, hit {r.hit_control:.0%}); difference {r.difference:+.2%} "
                         f"(95% interval {r.difference_ci_low:+.2%} to {r.difference_ci_high:+.2%}), Welch p = "
                         f"{r.welch.p_value:.3g}; Mann-Whitney p = {r.mann_whitney.p_value:.3g}; HAC p = {r.hac.p_value:.3g}")
        lines += [f"verdict: {self.verdict()}", f"method: {self.method}"] + [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "symbol": self.symbol, "as_of": self.as_of, "rule": self.rule,
                "available": self.available, "message": self.message, "method": self.method, "verdict": self.verdict(),
                "n_events": len(self.event_dates), "event_dates": list(self.event_dates),
                "horizons": list(self.horizons), "results": [r.to_dict() for r in self.results],
                "notes": list(self.notes)}


def _days(h: int) -> str:
    return f"{h} day" if h == 1 else f"{h} days"


def event_positions(index: pd.DatetimeIndex, events: Iterable[date | pd.Timestamp]) -> np.ndarray:
    """Row of the first trading day on or after each event date (events outside the rows' span are dropped)."""
    ts = pd.DatetimeIndex(sorted({pd.Timestamp(e) for e in events}))
    ts = ts[ts >= index[0]] if len(index) else ts
    pos = index.searchsorted(ts, side="left")
    return np.unique(pos[pos < len(index)])


def _keep_apart(positions: np.ndarray, h: int) -> np.ndarray:
    kept: list[int] = []
    for p in positions:
        if not kept or p - kept[-1] >= h:
            kept.append(int(p))
    return np.asarray(kept, dtype=int)


def _nan_test(name: str, null: str, alt: str, n: int, why: str) -> TestResult:
    return TestResult(name, np.nan, np.nan, null, alt, n=n, details={"why": why})


def _hac(y: np.ndarray, dummy: np.ndarray, h: int) -> TestResult:
    null, alt = "mean forward return on event days equals that on other days", "the means differ"
    name = "HAC (Newey-West) mean difference"
    if dummy.sum() < 2 or (~dummy).sum() < 2:
        return _nan_test(name, null, alt, len(y), "fewer than 2 events or controls")
    x = np.column_stack([np.ones(len(y)), dummy.astype(float)])
    beta, se = newey_west(y, x, h)
    t = float(beta[1] / se[1])
    return TestResult(name, t, float(2 * stats.norm.sf(abs(t))), null, alt, n=len(y),
                      details={"difference": float(beta[1]), "lags": h, "se": float(se[1])})


def horizon_stats(close: pd.Series, positions: np.ndarray, h: int) -> HorizonStats:
    """Event vs other-day statistics of h-day forward log returns."""
    logc = np.log(close.to_numpy())
    n_valid = len(logc) - h
    fwd = logc[h:] - logc[:-h] if h < len(logc) else np.array([])
    pos = positions[positions < n_valid]
    ev_idx = _keep_apart(pos, h)
    grid = np.arange(0, max(n_valid, 0), h)
    if len(pos):
        near = np.abs(grid[:, None] - pos[None, :]).min(axis=1) < h
        grid = grid[~near]
    ev, ctrl = fwd[ev_idx] if len(ev_idx) else np.array([]), fwd[grid] if len(grid) else np.array([])
    null_t = "equal mean forward return after event days and after other days"
    null_u = "forward returns after event days and other days come from the same distribution"
    ci = (np.nan, np.nan)
    if len(ev) >= 2 and len(ctrl) >= 2:
        t = stats.ttest_ind(ev, ctrl, equal_var=False)
        interval = t.confidence_interval(confidence_level=1 - ALPHA)
        ci = (float(interval.low), float(interval.high))
        welch = TestResult("Welch t-test", float(t.statistic), float(t.pvalue), null_t, "the means differ",
                           df=float(t.df), n=len(ev) + len(ctrl), details={"n_events": len(ev), "n_control": len(ctrl)})
        u = stats.mannwhitneyu(ev, ctrl, alternative="two-sided")
        mw = TestResult("Mann-Whitney U", float(u.statistic), float(u.pvalue), null_u,
                        "one distribution tends to give larger returns", n=len(ev) + len(ctrl),
                        details={"n_events": len(ev), "n_control": len(ctrl)})
    else:
        why = f"need >= 2 non-overlapping events and controls (have {len(ev)} and {len(ctrl)})"
        welch = _nan_test("Welch t-test", null_t, "the means differ", len(ev) + len(ctrl), why)
        mw = _nan_test("Mann-Whitney U", null_u, "one distribution tends to give larger returns", len(ev) + len(ctrl), why)
    dummy = np.zeros(max(n_valid, 0), dtype=bool)
    dummy[pos] = True
    hac = _hac(fwd, dummy, h)

    def m(a: np.ndarray, f) -> float:  # noqa: ANN001
        return float(f(a)) if len(a) else np.nan

    return HorizonStats(h, len(ev), len(ctrl), m(ev, np.mean), m(ctrl, np.mean), m(ev, np.median), m(ctrl, np.median),
                        m(ev > 0, np.mean), m(ctrl > 0, np.mean), m(ev, np.mean) - m(ctrl, np.mean), welch, mw, hac, *ci)


def event_study(close: pd.Series, events: Iterable[date | pd.Timestamp], horizons: Sequence[int] = HORIZONS,
                kind: str = "custom", rule: str = "", symbol: str = "RUT", as_of: date | None = None,
                notes: Sequence[str] = ()) -> EventStudy:
    """The engine: forward-return statistics of ``events`` against all other days, per horizon."""
    c = upto(close, as_of, symbol)
    pos = event_positions(c.index, [e for e in events if pd.Timestamp(e) <= c.index[-1]])
    dates = tuple(c.index[p].date() for p in pos)
    results = tuple(horizon_stats(c, pos, int(h)) for h in horizons)
    msg = "ok" if len(pos) else "no events on or before the as-of date"
    return EventStudy(kind, symbol, c.index[-1].date(), rule, True, msg, dates, tuple(int(h) for h in horizons), results,
                      notes=tuple(notes))


def vix_spikes(vix: pd.Series, level: float = VIX_LEVEL, jump: float = VIX_JUMP, mean_days: int = VIX_MEAN_DAYS,
               cluster_days: int = CLUSTER_DAYS) -> list[date]:
    """First days of VIX spike clusters (close > level, or ≥ (1+jump) × mean of the previous ``mean_days`` closes)."""
    v = vix.dropna().sort_index()
    prior_mean = v.rolling(mean_days).mean().shift(1)
    spike = ((v > level) | (v >= (1 + jump) * prior_mean)).to_numpy()
    out, last = [], -(10**9)
    for i in np.flatnonzero(spike):
        if i - last > cluster_days:
            out.append(v.index[i].date())
        last = i
    return out


def first_rate_cuts(fedfunds: pd.Series, cut: float = CUT_BP, quiet_months: int = QUIET_MONTHS) -> list[date]:
    """Dates on which the first cut of each easing cycle became known (first day of the month after the cut month)."""
    ff = fedfunds.dropna().sort_index()
    is_cut = (ff.diff() <= -cut + 1e-9).to_numpy()
    out: list[date] = []
    last_cut: pd.Timestamp | None = None
    for when, c in zip(ff.index, is_cut):
        if not c:
            continue
        if last_cut is None or when >= last_cut + pd.DateOffset(months=quiet_months + 1):
            out.append((when + pd.offsets.MonthBegin(1)).date())
        last_cut = when
    return out


def channel_breaks(close: pd.Series, as_of: pd.Timestamp, refit: str = "YE", first_year: int = 1995) -> list[date]:
    """First closes outside the primary channel, point-in-time.

    The primary channel is re-detected at each period end (``refit``, default year-end) with closes up
    to that date only, and its extrapolated borders are used during the following period; an event is
    the first close outside them after a close inside (or the period's first close, if outside).
    """
    c = close[close.index <= as_of]
    ends = [e for e in pd.date_range(pd.Timestamp(first_year - 1, 12, 31), as_of, freq=refit) if e >= c.index[0]]
    out: list[date] = []
    for k, e in enumerate(ends):
        nxt = ends[k + 1] if k + 1 < len(ends) else as_of + pd.Timedelta(days=1)
        period = c[(c.index > e) & (c.index <= nxt)]
        if period.empty:
            continue
        try:
            fit = detect_trends(c[c.index <= e], e).primary.fit
        except DataError:  # too few closes before this period end to detect a channel: no borders to break
            continue
        top, bottom = np.asarray(fit.top(period.index)), np.asarray(fit.bottom(period.index))
        outside = (period.to_numpy() > top) | (period.to_numpy() < bottom)
        first = outside & ~np.concatenate(([False], outside[:-1]))
        out += [d.date() for d in period.index[first]]
    return out


def _known_fedfunds(fedfunds: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    ff = fedfunds.dropna().sort_index()
    return ff[ff.index + pd.offsets.MonthBegin(1) <= as_of]


NOTES = {
    "reconstitution": "returns are measured from the recon-day close; for the run-up into it use kind rank-day",
    "rate-cut": "FEDFUNDS monthly averages lag the decision by up to two months; revised values, not vintages",
    "channel-break": "channels are re-detected once a year, so a break is judged against borders up to a year old",
}

RULES = {
    "reconstitution": "Russell reconstitution effective dates, measured from the close of the reconstitution day",
    "rank-day": "Russell rank days, measured from their close (December reconstitutions have no documented rank day)",
    "vix-spike": f"VIX close above {VIX_LEVEL:g}, or at least {1 + VIX_JUMP:g} times its mean of the previous {VIX_MEAN_DAYS} "
                 f"closes; only the first day of a cluster ({CLUSTER_DAYS} trading days)",
    "rate-cut": f"the first monthly fall of the Fed funds rate by {CUT_BP * 100:.0f} bp or more after {QUIET_MONTHS} months or "
                f"more without one, dated the first trading day of the next month (when the monthly average is known)",
    "flows": "first day of each run of IWM 65-day fund-flow z-scores at or below -2",
    "channel-break": "first close outside the primary trend channel, re-detected at each year-end with the closes up to then",
}


def run_event_study(kind: str, close: pd.Series, as_of: date | None = None, horizons: Sequence[int] = HORIZONS,
                    symbol: str = "RUT", vix: pd.Series | None = None, fedfunds: pd.Series | None = None,
                    shares: pd.Series | None = None, etf_close: pd.Series | None = None) -> EventStudy:
    """Build the events of ``kind`` from the inputs (up to ``as_of``) and run the engine."""
    if kind not in KINDS:
        raise DataError("events", f"unknown event kind {kind!r}; choose one of {', '.join(KINDS)}")
    c = upto(close, as_of, symbol)
    end = c.index[-1]
    rule = RULES[kind]

    def unavailable(msg: str) -> EventStudy:
        return EventStudy(kind, symbol, end.date(), rule, False, msg, horizons=tuple(horizons))

    if kind == "reconstitution":
        events = reconstitution_dates(c.index[0].date(), end.date())
    elif kind == "rank-day":
        events = [r.rank_day for r in reconstitutions(c.index[0].year, end.year) if r.rank_day is not None]
    elif kind == "vix-spike":
        if vix is None or not (vix.dropna().index <= end).any():
            return unavailable(f"unavailable: no VIX closes on or before {end.date()}")
        events = vix_spikes(upto(vix, end, "VIX"))
    elif kind == "rate-cut":
        if fedfunds is None or fedfunds.dropna().empty:
            return unavailable(f"unavailable: no FEDFUNDS values on or before {end.date()}")
        events = first_rate_cuts(_known_fedfunds(fedfunds, end))
    elif kind == "flows":
        if etf_close is None or not (etf_close.dropna().index <= end).any():
            return unavailable(f"unavailable: no IWM closes on or before {end.date()}")
        fl = etf_flows(shares, etf_close, end)
        if not fl.available:
            return unavailable(fl.message)
        events = list(fl.signal_days)
    else:
        events = channel_breaks(c, end)
    return event_study(c, events, horizons, kind, rule, symbol, end.date(), [NOTES[kind]] if kind in NOTES else [])


@dataclass(frozen=True)
class EventPath:
    """Average cumulative log return from the event-day close, days −before..+after (0 at the event day)."""

    kind: str
    days: tuple[int, ...]
    event_mean: tuple[float, ...]
    unconditional_mean: tuple[float, ...]
    n_events: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def average_path(close: pd.Series, event_dates: Iterable[date | pd.Timestamp], kind: str = "custom",
                 before: int = PATH_BEFORE, after: int = PATH_AFTER, as_of: date | None = None) -> EventPath:
    """Mean path log(C_{e+k}/C_e), k = −before..after, over events with the whole window on or before
    ``as_of`` (overlapping windows allowed: a description, not a test), against the same mean over every day."""
    c = upto(close, as_of, kind)
    logc = np.log(c.to_numpy())
    n = len(logc)
    pos = event_positions(c.index, [e for e in event_dates if pd.Timestamp(e) <= c.index[-1]])
    pos = pos[(pos >= before) & (pos + after < n)]
    days = np.arange(-before, after + 1)
    every = np.arange(before, n - after)
    if not len(every):
        return EventPath(kind, tuple(int(d) for d in days), (), (), 0)
    base = logc[every]
    uncond = tuple(float(np.mean(logc[every + k] - base)) for k in days)
    ev = tuple(float(np.mean(logc[pos + k] - logc[pos])) for k in days) if len(pos) else ()
    return EventPath(kind, tuple(int(d) for d in days), ev, uncond, len(pos))
