"""The risk grade's score: one downside measure of a forecast distribution of the h-day return.

**The 5% expected shortfall of the h-day simple return** R = e^y − 1: the mean of R over the worst 5% of the
distribution, from its quantiles of the log return y at 1%, 2%, … 5% (R linear between them, the worst 1% taken at
the 1% quantile):

    ES = (1.5 R(1%) + R(2%) + R(3%) + R(4%) + 0.5 R(5%)) / 5

A negative fraction (−0.10: in the worst 5% of cases the index loses 10% on average). Nothing else enters it: no
expected return, no second tail measure, no volatility term counted again. The lower (more negative) the score, the
more dangerous the next h days look.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from r2k.models.base import QUANTILE_COLUMNS

LEVEL = 0.05
DEFINITION = ("5% expected shortfall of the {h}-day simple return: the average outcome of the worst 5% of the "
              "forecast distribution")


def expected_shortfall(quantiles: np.ndarray) -> np.ndarray:
    """The 5% expected shortfall of the simple return for each row of ``quantiles`` (n × 99 log-return quantiles,
    or one row of 99)."""
    r = np.expm1(np.atleast_2d(np.asarray(quantiles, dtype=float))[:, :5])
    # term by term (not a matrix product, whose summation order may depend on the number of rows): a grade computed
    # alone and the same grade in a frame of thousands are equal to the last bit
    return (1.5 * r[:, 0] + r[:, 1] + r[:, 2] + r[:, 3] + 0.5 * r[:, 4]) / 5


def frame_scores(frame: pd.DataFrame) -> np.ndarray:
    """The score of every row of a forecast frame (columns q01..q99)."""
    return expected_shortfall(frame[list(QUANTILE_COLUMNS)].to_numpy(dtype=float))


def definition(h: int) -> str:
    return DEFINITION.format(h=h)
