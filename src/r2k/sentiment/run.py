"""Entry points the CLI calls: score one text with several scorers; build an index from a file or feed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from r2k.providers.headlines import load_headlines
from r2k.sentiment.index import SentimentIndex, sentiment_index
from r2k.sentiment.registry import get_scorer


@dataclass(frozen=True)
class ScoredText:
    """One scorer's verdict on one text."""

    scorer: str
    score: float
    label: str
    threshold: float

    def to_dict(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "score": self.score, "label": self.label, "threshold": self.threshold}


@dataclass(frozen=True)
class TextScores:
    text: str
    results: tuple[ScoredText, ...]

    def summary(self) -> str:
        return "\n".join(f"{r.scorer:<10} {r.score:+.3f}  {r.label:<8} (neutral band +-{r.threshold:g})"
                         for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "results": [r.to_dict() for r in self.results]}


def score_text(text: str, scorers: Sequence[str]) -> TextScores:
    """Score and label ``text`` with each named scorer."""
    out = []
    for name in scorers:
        scorer = get_scorer(name)
        value = float(scorer.score([text])[0])
        out.append(ScoredText(scorer.name, value, scorer.labels([value])[0], scorer.threshold))
    return TextScores(text, tuple(out))


def index_from(location: str | Path, scorer: str = "lm", half_life: float = 5.0, prior_weight: float = 1.0,
               text_column: str | None = None, include_description: bool = False,
               end: date | None = None) -> SentimentIndex:
    """Read headlines from a CSV path or feed URL and build the daily index with one scorer."""
    headlines = load_headlines(location, text_column=text_column, include_description=include_description)
    return sentiment_index(headlines, get_scorer(scorer), str(location), half_life=half_life,
                           prior_weight=prior_weight, end=end)
