"""Synthetic closes with known channel parameters (shared by the channel tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def exact_noise(x: np.ndarray, s: float, seed: int = 7) -> np.ndarray:
    """A noise vector orthogonal to [1, X] whose sd with n − 2 dof is exactly ``s``: OLS returns a, b, s exactly."""
    r = np.random.default_rng(seed).standard_normal(len(x))
    design = np.column_stack([np.ones_like(x), x])
    e = r - design @ np.linalg.lstsq(design, r, rcond=None)[0]
    return e * s / np.sqrt(e @ e / (len(x) - 2))


def known_closes(a: float, b: float, s: float, start: str = "2015-01-01", n: int = 1500, seed: int = 7) -> pd.Series:
    """close = exp(a + b·X + e) on business days, X = calendar days from the first date."""
    dates = pd.bdate_range(start, periods=n)
    x = np.asarray((dates - dates[0]).days, dtype="float64")
    return pd.Series(np.exp(a + b * x + exact_noise(x, s, seed)), index=dates, name="SYN")


def piecewise_closes(break_date: str, slopes: tuple[float, float], start: str, end: str, sd: float = 0.015, seed: int = 3) -> pd.Series:
    """ln close = two joined straight lines (annual log slopes) plus white noise."""
    dates = pd.bdate_range(start, end)
    years = np.asarray((dates - dates[0]).days, dtype="float64") / 365.25
    tb = (pd.Timestamp(break_date) - dates[0]).days / 365.25
    line = 7.0 + slopes[0] * np.minimum(years, tb) + slopes[1] * np.maximum(years - tb, 0.0)
    noise = np.random.default_rng(seed).normal(0.0, sd, len(dates))
    return pd.Series(np.exp(line + noise), index=dates, name="PW")


def random_walk(n: int = 2500, start: str = "2010-01-04", seed: int = 11) -> pd.Series:
    dates = pd.bdate_range(start, periods=n)
    steps = np.random.default_rng(seed).normal(0.0003, 0.012, n)
    return pd.Series(1000 * np.exp(np.cumsum(steps)), index=dates, name="RW")
