"""Scorers by name (``finetuned``, ``embedding``, ``lm``, ``vader``), built once per process because loading is
slow, and the rule that picks the best one available."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from r2k.sentiment.base import Scorer, ScorerUnavailable
from r2k.sentiment.embedding import EmbeddingScorer
from r2k.sentiment.lexicon import LMScorer
from r2k.sentiment.trained import FineTunedScorer, weights_dir
from r2k.sentiment.vader import VaderScorer

SCORERS: dict[str, type[Scorer]] = {"lm": LMScorer, "vader": VaderScorer, "embedding": EmbeddingScorer,
                                    "finetuned": FineTunedScorer}
# best first, as measured on Financial PhraseBank all-agree and finance tweets (docs/sentiment.md)
PREFERENCE: tuple[str, ...] = ("finetuned", "embedding", "lm")
BEST = "best"


def scorer_names(only_available: bool = False, model_dir: Path | None = None) -> list[str]:
    return [n for n in SCORERS if not only_available or _available(n, model_dir)]


def _available(name: str, model_dir: Path | None) -> bool:
    cls = SCORERS[name]
    return FineTunedScorer.available(model_dir or weights_dir(None)) if cls is FineTunedScorer else cls.available()


@cache
def get_scorer(name: str, model_dir: Path | None = None) -> Scorer:
    """The scorer called ``name`` (``model_dir``: where the fine-tuned weights are, default the user cache);
    ScorerUnavailable when unknown, when its optional extra is missing or when it has no weights."""
    cls = SCORERS.get(name.lower())
    if cls is None:
        raise ScorerUnavailable(f"unknown scorer {name!r} (choose from {', '.join(SCORERS)})")
    if cls is FineTunedScorer:
        return FineTunedScorer(model_dir or weights_dir(None))
    if not cls.available():
        raise ScorerUnavailable(
            f"scorer {name!r} needs the optional extra '{cls.capabilities.optional_extra}': "
            "pip install torch==2.13.0, then pip install -e '.[embeddings]'")
    return cls()


@dataclass(frozen=True)
class Choice:
    """The scorer picked by :func:`best_scorer` and why the better ones were passed over."""

    name: str
    passed_over: tuple[tuple[str, str], ...]  # (scorer, reason) of each better scorer not available

    def note(self) -> str:
        """"" when the first choice was taken, else a sentence naming the fallback."""
        if not self.passed_over:
            return ""
        reasons = "; ".join(f"{n}: {why}" for n, why in self.passed_over)
        return f"fell back to {self.name} ({reasons})"


def best_scorer(model_dir: Path | None = None) -> Choice:
    """The first available scorer of PREFERENCE: the fine-tuned classifier when its weights exist, else the
    embedding-anchor scorer when its packages are installed, else Loughran–McDonald."""
    passed: list[tuple[str, str]] = []
    for name in PREFERENCE:
        if _available(name, model_dir):
            return Choice(name, tuple(passed))
        passed.append((name, "no trained weights (run 'r2k sentiment train')" if name == "finetuned"
                       else "optional extra 'embeddings' not installed"))
    raise ScorerUnavailable("no sentiment scorer available")  # lm is part of the core install: not reached


def resolve(name: str, model_dir: Path | None = None) -> tuple[str, str]:
    """(scorer name, fallback note) for a requested name, where ``best`` picks with :func:`best_scorer`."""
    if name.lower() != BEST:
        return name.lower(), ""
    choice = best_scorer(model_dir)
    return choice.name, choice.note()
