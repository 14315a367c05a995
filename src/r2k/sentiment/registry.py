"""Scorers by name (``lm``, ``vader``, ``embedding``); built once per process because loading is slow."""

from __future__ import annotations

from functools import cache

from r2k.sentiment.base import Scorer, ScorerUnavailable
from r2k.sentiment.embedding import EmbeddingScorer
from r2k.sentiment.lexicon import LMScorer
from r2k.sentiment.vader import VaderScorer

SCORERS: dict[str, type[Scorer]] = {"lm": LMScorer, "vader": VaderScorer, "embedding": EmbeddingScorer}


def scorer_names(only_available: bool = False) -> list[str]:
    return [n for n, cls in SCORERS.items() if not only_available or cls.available()]


@cache
def get_scorer(name: str) -> Scorer:
    """The scorer called ``name``; ScorerUnavailable when unknown or its optional extra is missing."""
    cls = SCORERS.get(name.lower())
    if cls is None:
        raise ScorerUnavailable(f"unknown scorer {name!r} (choose from {', '.join(SCORERS)})")
    if not cls.available():
        raise ScorerUnavailable(
            f"scorer {name!r} needs the optional extra '{cls.capabilities.optional_extra}': "
            "pip install torch==2.13.0, then pip install -e '.[embeddings]'")
    return cls()
