"""VADER (Hutto & Gilbert 2014) through the vaderSentiment package, which ships its lexicon offline.

VADER handles negation ("not good"), intensifiers ("very", "extremely"), capitals, exclamation marks
and "but" natively. Its lexicon is general-purpose (social media), not financial: "loss" and "rose"
carry little or no weight. The score is VADER's ``compound`` in [-1, 1]; the label band is the one
its authors recommend: compound >= 0.05 positive, <= -0.05 negative.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from r2k.sentiment.base import Capabilities, Scorer


class VaderScorer(Scorer):
    """VADER compound score."""

    name = "vader"
    threshold = 0.05
    capabilities = Capabilities(
        negation=True, intensity=True, optional_extra=None,
        description="VADER compound score (general-purpose lexicon with negation, boosters, caps, punctuation)",
    )

    def __init__(self) -> None:
        self.analyzer = SentimentIntensityAnalyzer()

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.analyzer.polarity_scores(t or "")["compound"] for t in texts], dtype="float64")
