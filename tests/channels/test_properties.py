"""Invariants of positions and fits for arbitrary closes and parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
from channel_synth import known_closes
from hypothesis import given, settings
from hypothesis import strategies as st

from r2k.analytics.channels import fit_channel

FIT = fit_channel(known_closes(7.0, -0.0002, 0.04, n=800))


@settings(max_examples=200, deadline=None)
@given(st.floats(0.5, 2.0), st.integers(0, 4000))
def test_position_invariants(factor: float, day: int) -> None:
    d = FIT.start + pd.Timedelta(days=day)
    close = float(FIT.center(d)) * factor
    p = FIT.position(d, close)
    assert (p.position == "inside") == (p.bottom <= close <= p.top)
    assert (p.position == "above") == (close > p.top) and (p.position == "below") == (close < p.bottom)
    ref = p.top if p.border == "top" else p.bottom
    assert np.isclose(p.distance_points, close - ref) and np.isclose(p.distance_pct, close / ref - 1)
    if p.position == "inside":  # the nearer border, in log terms
        assert abs(np.log(close / ref)) <= min(abs(np.log(close / p.top)), abs(np.log(close / p.bottom))) + 1e-12
    assert np.isclose(p.z, np.log(close / p.center) / FIT.s)


@settings(max_examples=30, deadline=None)
@given(st.floats(2.0, 9.0), st.floats(-0.002, 0.002), st.floats(0.001, 0.3), st.integers(0, 10_000))
def test_known_answer_for_any_parameters(a: float, b: float, s: float, seed: int) -> None:
    fit = fit_channel(known_closes(a, b, s, n=300, seed=seed))
    assert np.isclose(fit.a, a, atol=1e-9) and np.isclose(fit.b, b, atol=1e-12) and np.isclose(fit.s, s, rtol=1e-8)
    if abs(b) > 1e-12:  # an exactly zero slope comes back as ±1e-20
        assert fit.direction == ("increasing" if b > 0 else "decreasing")
