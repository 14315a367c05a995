"""The 21-notch rating scale (Aaa .. C), shared by every rating r2k publishes.

A notch has a number: 1 = Aaa (best) .. 21 = C (worst), as in rating agencies' numeric mappings.
Scores are continuous notch numbers (1.0 .. 21.0) so averages by index weight stay exact until the
final rounding to a notch.

The outlook's risk grades (r2k.outlook.ratings) use 0-based notch indices (0 = Aaa .. 20 = C) and give
each notch a stated frequency: a discretised bell. The cumulative share of scores at or below the j-th cut
point (j = 1..20, from the bottom) is Φ((j − 10.5) / 4), so the middle notches are common (about 10% each)
and Aaa and C rare (about 0.9% each). The cut points are the pre-cutoff score quantiles at these shares
(rating_map.py).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

NOTCHES: tuple[str, ...] = (
    "Aaa", "Aa1", "Aa2", "Aa3", "A1", "A2", "A3", "Baa1", "Baa2", "Baa3",
    "Ba1", "Ba2", "Ba3", "B1", "B2", "B3", "Caa1", "Caa2", "Caa3", "Ca", "C",
)
BEST, WORST = 1.0, float(len(NOTCHES))
# the broad letter grades and the notch number of their middle notch (Aa2, A2, ...): scorecard anchors
GRADE_MID: dict[str, float] = {"Aaa": 1, "Aa": 3, "A": 6, "Baa": 9, "Ba": 12, "B": 15, "Caa": 18, "Ca": 20, "C": 21}
INVESTMENT_GRADE_WORST = 10  # Baa3


def clamp(score: float) -> float:
    """A score kept on the scale (1.0 .. 21.0)."""
    return min(WORST, max(BEST, float(score)))


def notch(score: float | None) -> str | None:
    """The notch of a continuous score (rounded half towards the better notch); None for a missing score."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return NOTCHES[int(math.ceil(clamp(score) - 0.5)) - 1]


def number(notch_name: str) -> int:
    """The notch number of ``notch_name`` (1 = Aaa .. 21 = C)."""
    try:
        return NOTCHES.index(notch_name) + 1
    except ValueError:
        raise ValueError(f"unknown notch {notch_name!r}; the scale is {', '.join(NOTCHES)}") from None


def grade(notch_name: str) -> str:
    """The broad letter grade of a notch (Aa2 -> Aa, Baa1 -> Baa, Ca -> Ca)."""
    return notch_name.rstrip("123")


# --- the outlook's index ratings: stated notch frequencies and notch groups (0-based indices) ---

SPREAD = 4.0  # notches per standard deviation of the bell

# notch groups for the reliability table, best first: (name, first notch index, last notch index)
GROUPS: tuple[tuple[str, int, int], ...] = (("A or better", 0, 6), ("Baa", 7, 9), ("Ba", 10, 12), ("B", 13, 15),
                                            ("Caa or below", 16, 20))

MEANING = {"A or better": "a calm outlook: a shallow downside tail",
           "Baa": "a calmer-than-usual downside tail", "Ba": "a usual downside tail (the most common notches)",
           "B": "a heavier-than-usual downside tail",
           "Caa or below": "a dangerous outlook: one of the heaviest downside tails of the calibration weeks"}


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
