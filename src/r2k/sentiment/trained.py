"""The fine-tuned MiniLM classifier as a scorer, with the weights ``r2k sentiment train`` left in the user cache.

The weights are not shipped: a fine-tuned encoder is 90 MB, and one half of its training data (Financial
PhraseBank) is licensed CC BY-NC-SA 3.0, which an MIT package cannot carry. ``r2k sentiment train`` builds them
from the local text files (seeded; :mod:`r2k.sentiment.training`) into ``<cache>/sentiment/finetuned-minilm``
with a ``manifest.json`` saying what they were trained on, with which recipe and when. Without them the
scorer is unavailable and callers fall back (:func:`r2k.sentiment.registry.best_scorer`).

Score: P(positive) - P(negative) in [-1, 1]. Label: the most probable class (what the classifier was
trained and measured for), so the neutral band below is only used by callers that re-label bare scores.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from r2k.config import default_cache_dir
from r2k.sentiment.base import LABELS, Capabilities, Scorer, ScorerUnavailable
from r2k.sentiment.embedding import available as packages_available
from r2k.sentiment.finetune import HEAD_FILE

MODEL_SUBDIR = ("sentiment", "finetuned-minilm")
MANIFEST = "manifest.json"


def weights_dir(cache_dir: Path | None) -> Path:
    """Where ``r2k sentiment train`` writes the weights: the r2k cache (the user cache when it is switched off)."""
    return (cache_dir or default_cache_dir()).joinpath(*MODEL_SUBDIR)


def has_weights(directory: Path) -> bool:
    return all((directory / f).is_file() for f in (MANIFEST, HEAD_FILE, "config.json"))


def read_manifest(directory: Path) -> dict[str, Any]:
    """The training record next to the weights (data files and checksums, recipe, seed, date, counts)."""
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


class FineTunedScorer(Scorer):
    """MiniLM fine-tuned on finance tweets and Financial PhraseBank; P(positive) - P(negative), argmax label."""

    name = "finetuned"
    threshold = 0.5  # only for bare scores: the label of a scored text is its most probable class
    capabilities = Capabilities(
        negation=True, intensity=False, optional_extra="embeddings",
        description="all-MiniLM-L6-v2 fine-tuned with a linear head on finance tweets and Financial PhraseBank "
                    "(weights built locally by 'r2k sentiment train')",
    )

    def __init__(self, directory: Path | None = None, batch_size: int = 64) -> None:
        self.directory = directory or weights_dir(None)
        if not packages_available():
            raise ScorerUnavailable("the fine-tuned scorer needs the embeddings extra: pip install torch==2.13.0, "
                                    "then pip install -e '.[embeddings]'")
        if not has_weights(self.directory):
            raise ScorerUnavailable(f"no fine-tuned sentiment weights in {self.directory}: run 'r2k sentiment train'")
        from r2k.sentiment.finetune import Classifier

        self.manifest = read_manifest(self.directory)
        self.model = Classifier.load(self.directory)
        self.batch_size = batch_size

    @classmethod
    def available(cls, directory: Path | None = None) -> bool:
        return packages_available() and has_weights(directory or weights_dir(None))

    def provenance(self) -> str:
        """Where the weights came from, in words."""
        m = self.manifest
        counts = m.get("counts", {})
        return (f"weights trained {m.get('trained', '?')[:10]} by 'r2k sentiment train' (seed "
                f"{m.get('config', {}).get('seed')}) on {counts.get('tweets', 0):,} finance tweets and "
                f"{counts.get('phrasebank_train', 0):,} Financial PhraseBank sentences")

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.probabilities(list(texts), self.batch_size)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return self.predict(texts)[0]

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        p = self.probabilities(texts)
        scores = p[:, 2] - p[:, 0]
        labels = [LABELS[i] for i in p.argmax(axis=1)]
        for i, t in enumerate(texts):
            if not (t or "").strip():
                scores[i], labels[i] = 0.0, "neutral"
        return scores, labels
