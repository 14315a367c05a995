"""Volatility: realized, EWMA, GARCH(1,1) and GJR-GARCH(1,1) with Student-t errors, ARCH-LM, vol regime.

All volatilities are annualised (× √252) fractions. GARCH models are fitted with ``arch`` on daily
log returns × 100 (arch's optimiser is tuned for percent-scale data); parameters are reported on that
scale. Persistence is α+β (GARCH) or α+β+γ/2 (GJR, symmetric innovations); half-life is
ln(0.5)/ln(persistence) trading days; the long-run vol is √(ω/(1−persistence)).

GARCH is estimated on the last ``GARCH_YEARS`` (20) years: on the full RUT history since 1987 the
GARCH(1,1) optimum sits on the α+β = 1 boundary (integrated, no long-run vol) and the fit takes ~3 s
instead of ~0.02 s. The shorter window does not always avoid the boundary (the 20 years to 2008-10-10
still reach it), so a persistence above 0.999 is flagged in ``message`` and the long-run vol is then
reported as infinite.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from r2k.analytics.returns import TRADING_DAYS, upto
from r2k.analytics.testresult import TestResult
from r2k.errors import ConvergenceWarning, DataError

REALIZED_WINDOWS = (20, 60, 250)
EWMA_LAMBDA = 0.94
GARCH_YEARS = 20


def log_returns(close: pd.Series) -> pd.Series:
    return np.log(close).diff().dropna()


def realized_vol(returns: pd.Series, window: int) -> pd.Series:
    """Rolling std of daily log returns over ``window`` days, annualised."""
    return returns.rolling(window).std(ddof=1) * np.sqrt(TRADING_DAYS)


def ewma_vol(returns: pd.Series, lam: float = EWMA_LAMBDA) -> pd.Series:
    """RiskMetrics EWMA: s²_t = λ s²_{t−1} + (1−λ) r²_t, started at r²_0; annualised.

    The value at t includes r_t, so it is known at the close of t.
    """
    var = (returns**2).ewm(alpha=1 - lam, adjust=False).mean()
    return np.sqrt(var * TRADING_DAYS)


@dataclass(frozen=True)
class GarchFit:
    """One fitted GARCH-family model: parameters on the ×100 scale, derived quantities annualised."""

    model: str
    start: date
    params: dict[str, float]
    persistence: float
    half_life_days: float
    current_vol: float
    next_day_vol: float
    long_run_vol: float
    loglik: float
    aic: float
    nobs: int
    converged: bool
    message: str
    conditional_vol: pd.Series = field(repr=False, compare=False)

    def summary(self) -> str:
        flag = "" if self.converged else " (DID NOT CONVERGE)"
        return (f"{self.model}: persistence {self.persistence:.4f}, half-life {self.half_life_days:.0f} days, "
                f"current vol {self.current_vol:.1%}, long-run {self.long_run_vol:.1%}{flag}")

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("model", "start", "params", "persistence", "half_life_days", "current_vol",
                                              "next_day_vol", "long_run_vol", "loglik", "aic", "nobs", "converged", "message")}


def fit_garch(returns: pd.Series, kind: str = "garch", years: int | None = GARCH_YEARS) -> GarchFit:
    """GARCH(1,1) (``kind="garch"``) or GJR-GARCH(1,1) (``kind="gjr"``), Student-t errors, constant mean.

    Fitted on the last ``years`` years of ``returns`` (all of them when None).
    """
    from arch import arch_model

    if years is not None:
        returns = returns[returns.index > returns.index[-1] - pd.DateOffset(years=years)]
    y = returns * 100.0
    o = 1 if kind == "gjr" else 0
    am = arch_model(y, mean="Constant", vol="GARCH", p=1, o=o, q=1, dist="t", rescale=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = am.fit(disp="off", show_warning=False)
    p = {k: float(v) for k, v in res.params.items()}
    persistence = p["alpha[1]"] + p["beta[1]"] + (p.get("gamma[1]", 0.0) / 2.0)
    half_life = float(np.log(0.5) / np.log(persistence)) if 0 < persistence < 1 else np.inf
    long_run = float(np.sqrt(p["omega"] / (1 - persistence) * TRADING_DAYS) / 100) if persistence < 1 else np.inf
    cond = res.conditional_volatility * np.sqrt(TRADING_DAYS) / 100.0
    next_var = float(res.forecast(horizon=1, reindex=False).variance.iloc[-1, 0])
    converged = int(res.convergence_flag) == 0
    message = str(res.optimization_result.message)
    if persistence > 0.999:
        message += "; persistence at the stationarity boundary (integrated GARCH): no finite long-run vol"
    name = "GJR-GARCH(1,1)-t" if kind == "gjr" else "GARCH(1,1)-t"
    if not converged:
        warnings.warn(ConvergenceWarning(f"{name} on {returns.name or 'returns'} up to {returns.index[-1].date()}: {message}"),
                      stacklevel=2)
    return GarchFit(name, returns.index[0].date(), p, float(persistence), half_life, float(cond.iloc[-1]),
                    float(np.sqrt(next_var * TRADING_DAYS) / 100), long_run, float(res.loglikelihood), float(res.aic),
                    int(res.nobs), converged, message, cond)


def arch_lm(returns: pd.Series, lags: int = 10) -> TestResult:
    """Engle's ARCH-LM test on demeaned returns: is there volatility clustering?"""
    from statsmodels.stats.diagnostic import het_arch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels 0.15 announces a return-type change; degenerate inputs warn
        lm, lm_p, _, _ = het_arch((returns - returns.mean()).to_numpy(), nlags=lags)
    return TestResult("ARCH-LM", float(lm), float(lm_p), "no ARCH effects (squared returns are not autocorrelated)",
                      "volatility clusters (ARCH effects present)", df=lags, n=len(returns), details={"lags": lags})


@dataclass(frozen=True)
class VolatilityResult:
    symbol: str
    as_of: date
    realized: dict[str, float]
    ewma: float
    ewma_lambda: float
    regime_percentile: float
    regime: str
    arch_lm: TestResult
    garch: GarchFit
    gjr: GarchFit
    history: pd.DataFrame = field(repr=False, compare=False)

    def summary(self) -> str:
        rv = ", ".join(f"{k} {v:.1%}" for k, v in self.realized.items())
        return (f"{self.symbol} volatility on {self.as_of}: realized {rv}; EWMA {self.ewma:.1%}; "
                f"20d vol at the {self.regime_percentile:.0%} percentile of its history ({self.regime}). "
                f"{self.garch.summary()}. {self.gjr.summary()}. {self.arch_lm.verdict()}")

    def to_dict(self) -> dict:
        return {"symbol": self.symbol, "as_of": self.as_of, "realized": self.realized, "ewma": self.ewma,
                "ewma_lambda": self.ewma_lambda, "regime_percentile": self.regime_percentile, "regime": self.regime,
                "arch_lm": self.arch_lm.to_dict(), "garch": self.garch.to_dict(), "gjr": self.gjr.to_dict()}


def regime_label(pct: float) -> str:
    return "very high" if pct >= 0.9 else "high" if pct >= 2 / 3 else "normal" if pct >= 1 / 3 else "low"


def volatility(close: pd.Series, as_of: date | None = None, symbol: str = "RUT") -> VolatilityResult:
    """All volatility measures of ``close`` using data up to ``as_of``."""
    c = upto(close, as_of, symbol)
    r = log_returns(c)
    if len(r) < REALIZED_WINDOWS[0]:
        raise DataError(symbol, f"volatility needs at least {REALIZED_WINDOWS[0] + 1} closes (one {REALIZED_WINDOWS[0]}-day "
                                f"window of returns); {len(c)} on or before {c.index[-1].date()}")
    rv = {f"{w}d": float(realized_vol(r, w).iloc[-1]) for w in REALIZED_WINDOWS if len(r) >= w}
    rv20 = realized_vol(r, 20).dropna()
    pct = float((rv20 <= rv20.iloc[-1]).mean())
    ew = ewma_vol(r)
    garch, gjr = fit_garch(r, "garch"), fit_garch(r, "gjr")
    hist = pd.DataFrame({"realized_20d": realized_vol(r, 20), "ewma": ew, "garch": garch.conditional_vol,
                         "gjr": gjr.conditional_vol})
    return VolatilityResult(symbol, c.index[-1].date(), rv, float(ew.iloc[-1]), EWMA_LAMBDA, pct, regime_label(pct),
                            arch_lm(r), garch, gjr, hist)
