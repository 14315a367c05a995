"""Index forward returns and volatility by cycle phase, with tests on non-overlapping samples.

The phase is read at each month-end close (known then); the forward log return over h months runs
from that close to the month-end h months later. Overlapping h-month windows would make the samples
dependent, so for h months only every h-th month-end is used (1m: all, 3m: every 3rd, 12m: every 12th).
Volatility is the annualised standard deviation of daily log returns over the following month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from r2k.analytics.testresult import TestResult
from r2k.macro.cycle import PHASES

HORIZONS: tuple[int, ...] = (1, 3, 12)


@dataclass(frozen=True)
class PhaseReturns:
    """Per phase and horizon: n, mean, median and sd of forward log returns; next-month vol; tests."""

    symbol: str
    table: pd.DataFrame  # rows: (phase, measure) ; columns: n, mean, median, sd
    tests: tuple[TestResult, ...]
    horizons: tuple[int, ...]

    def summary(self) -> str:
        lines = [f"{self.symbol} forward log returns and next-month volatility by phase (non-overlapping samples)"]
        for (phase, measure), r in self.table.iterrows():
            lines.append(f"  {phase:<9} {measure:<7} n={int(r['n']):3d} mean={r['mean']:+.4f} "
                         f"median={r['median']:+.4f}")
        lines += [f"  {t.summary()}" for t in self.tests]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        rows = [{"phase": p, "measure": m, **{k: float(v) for k, v in r.items()}}
                for (p, m), r in self.table.iterrows()]
        return {"symbol": self.symbol, "horizons": list(self.horizons), "table": rows,
                "tests": [t.to_dict() for t in self.tests]}


def _samples(phase: pd.Series, closes: pd.Series, horizons: tuple[int, ...]) -> dict[str, pd.DataFrame]:
    """Per measure: a frame (phase, value) of non-overlapping samples."""
    px = closes.dropna().sort_index()
    dates = phase.index[(phase.index >= px.index[0]) & (phase.index <= px.index[-1])]
    level = px.reindex(dates, method="ffill")
    logp = np.log(level.to_numpy())
    out: dict[str, pd.DataFrame] = {}
    for h in horizons:
        fwd = pd.Series(logp, index=dates).shift(-h) - logp  # NaN where h months are not yet known
        keep = np.arange(len(dates)) % h == 0
        out[f"ret_{h}m"] = pd.DataFrame({"phase": phase.loc[dates][keep], "value": fwd[keep]}).dropna()
    daily = np.log(px).diff().dropna()
    # bucket k holds the daily returns after month-end k up to and including month-end k+1
    bucket = np.searchsorted(dates.to_numpy(), daily.index.to_numpy(), side="left") - 1
    inside = (bucket >= 0) & (bucket < len(dates) - 1)
    grouped = daily[inside].groupby(bucket[inside])
    vol = (grouped.std(ddof=1) * np.sqrt(252)).where(grouped.count() > 5)
    vols = vol.reindex(range(len(dates) - 1)).to_numpy()
    out["vol_1m"] = pd.DataFrame({"phase": phase.loc[dates[:-1]], "value": vols}).dropna()
    return out


def returns_by_phase(phase: pd.Series, closes: pd.Series, symbol: str = "RUT",
                     horizons: tuple[int, ...] = HORIZONS) -> PhaseReturns:
    """Forward returns/volatility by phase; Kruskal-Wallis across phases and Welch t of each phase vs the rest."""
    samples = _samples(phase, closes, horizons)
    rows, tests = {}, []
    for measure, frame in samples.items():
        groups = {p: frame.loc[frame["phase"] == p, "value"].to_numpy() for p in PHASES}
        for p, g in groups.items():
            rows[(p, measure)] = {"n": len(g), "mean": g.mean() if len(g) else np.nan,
                                  "median": np.median(g) if len(g) else np.nan,
                                  "sd": g.std(ddof=1) if len(g) > 1 else np.nan}
        present = [g for g in groups.values() if len(g) >= 3]
        if len(present) >= 2:
            h, p = stats.kruskal(*present)
            tests.append(TestResult(f"Kruskal-Wallis {measure} across phases", float(h), float(p),
                                    f"{symbol} {measure} has the same distribution in every phase",
                                    "at least one phase differs", df=len(present) - 1, n=len(frame),
                                    details={"phases": [p for p, g in groups.items() if len(g) >= 3]}))
        for p, g in groups.items():
            rest = frame.loc[frame["phase"] != p, "value"].to_numpy()
            if measure == "ret_1m" or measure == "vol_1m":
                if len(g) >= 3 and len(rest) >= 3:
                    t = stats.ttest_ind(g, rest, equal_var=False)
                    tests.append(TestResult(f"Welch t {measure}: {p} vs other phases", float(t.statistic),
                                            float(t.pvalue), f"mean {measure} in {p} equals the mean elsewhere",
                                            f"mean {measure} in {p} differs", df=float(t.df), n=len(g) + len(rest),
                                            details={"mean_phase": float(g.mean()), "mean_rest": float(rest.mean())}))
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["phase", "measure"])
    return PhaseReturns(symbol, table, tuple(tests), tuple(horizons))
