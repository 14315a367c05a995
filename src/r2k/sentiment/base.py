"""The scorer interface every sentiment method implements.

A scorer maps texts to scores in [-1, 1] (negative .. positive). Labels come from one documented rule,
shared by the unsupervised scorers: ``score >= +threshold`` is positive, ``score <= -threshold`` is negative,
anything in between is neutral. Each scorer carries its own ``threshold`` because the score scales
differ (a lexicon count ratio, VADER's compound, an embedding probability difference). A trained classifier
labels a text with its most probable class instead (``predict``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from r2k.errors import R2KError

LABELS: tuple[str, ...] = ("negative", "neutral", "positive")


class ScorerUnavailable(R2KError):
    """A scorer needs an optional package that is not installed (or an unknown scorer was asked for)."""


@dataclass(frozen=True)
class Capabilities:
    """What a scorer can do, so callers (and the docs) need not guess."""

    negation: bool
    intensity: bool
    optional_extra: str | None  # pip extra that installs it, None when part of the core install
    description: str

    def to_dict(self) -> dict[str, object]:
        return {"negation": self.negation, "intensity": self.intensity,
                "optional_extra": self.optional_extra, "description": self.description}


def labels_from_scores(scores: np.ndarray, threshold: float) -> list[str]:
    """Map scores to negative/neutral/positive with a symmetric neutral band of half-width ``threshold``."""
    arr = np.asarray(scores, dtype="float64")
    out = np.where(arr >= threshold, "positive", np.where(arr <= -threshold, "negative", "neutral"))
    return [str(v) for v in out]


class Scorer(ABC):
    """Texts in, scores in [-1, 1] out. Subclasses set ``name``, ``threshold`` and ``capabilities``."""

    name: str = "scorer"
    threshold: float = 0.05
    capabilities: Capabilities

    @classmethod
    def available(cls) -> bool:
        """True when every package the scorer needs is importable."""
        return True

    @abstractmethod
    def score(self, texts: Sequence[str]) -> np.ndarray:
        """One float64 score in [-1, 1] per text (0.0 for empty text)."""

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """(scores, labels) of ``texts``: by default labels from the neutral band; a classifier overrides this
        with its most probable class."""
        scores = self.score(texts)
        return scores, self.labels(scores)

    def label(self, texts: Sequence[str]) -> list[str]:
        """negative / neutral / positive per text."""
        return self.predict(texts)[1]

    def labels(self, scores: np.ndarray) -> list[str]:
        """Labels of scores already computed (avoids scoring twice)."""
        return labels_from_scores(scores, self.threshold)
