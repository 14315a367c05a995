"""The 21-notch rating scale (Moody's-like letters), its stated frequencies and the notch groups.

Notch 0 (Aaa) is the best outlook, notch 20 (C) the worst. The target frequency of each notch is a
discretised bell: the cumulative share of scores at or below the j-th cut point (j = 1..20, from the
bottom) is Φ((j − 10.5) / 4), so the middle notches are common (about 10% each) and Aaa and C rare
(about 0.9% each). The cut points are the pre-cutoff score quantiles at these shares (rating_map.py).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

NOTCHES: tuple[str, ...] = ("Aaa", "Aa1", "Aa2", "Aa3", "A1", "A2", "A3", "Baa1", "Baa2", "Baa3", "Ba1", "Ba2", "Ba3",
                            "B1", "B2", "B3", "Caa1", "Caa2", "Caa3", "Ca", "C")
SPREAD = 4.0  # notches per standard deviation of the bell

# notch groups for the reliability table, best first: (name, first notch index, last notch index)
GROUPS: tuple[tuple[str, int, int], ...] = (("A or better", 0, 6), ("Baa", 7, 9), ("Ba", 10, 12), ("B", 13, 15),
                                            ("Caa or below", 16, 20))

MEANING = {"A or better": "a favourable risk-adjusted outlook with a mild downside tail",
           "Baa": "an above-middle outlook", "Ba": "a middle outlook (the most common notches)",
           "B": "a below-middle outlook: lower risk-adjusted return or a fatter downside tail",
           "Caa or below": "a poor outlook: a heavy downside tail and a high chance of a loss beyond 10%"}


def cumulative_shares() -> np.ndarray:
    """The 20 cumulative shares (ascending, from the worst notch) at which the cut points sit."""
    return stats.norm.cdf((np.arange(1, 21) - 10.5) / SPREAD)


def frequencies() -> tuple[float, ...]:
    """The stated frequency of each notch, best (Aaa) first; they sum to 1."""
    edges = np.concatenate([[0.0], cumulative_shares(), [1.0]])  # from the bottom (C) up
    return tuple(float(x) for x in np.diff(edges)[::-1])


def notch_index(label: str) -> int:
    return NOTCHES.index(label)


def group_of(index: int) -> str:
    return next(name for name, lo, hi in GROUPS if lo <= index <= hi)


def is_better_half(index: int) -> bool:
    """Ba1 (the middle notch) and better."""
    return index <= 10
