"""The 21-notch rating scale (Aaa .. C), shared by every rating r2k publishes.

A notch has a number: 1 = Aaa (best) .. 21 = C (worst), as in rating agencies' numeric mappings.
Scores are continuous notch numbers (1.0 .. 21.0) so averages by index weight stay exact until the
final rounding to a notch.
"""

from __future__ import annotations

import math

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
