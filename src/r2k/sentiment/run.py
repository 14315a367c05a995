"""Entry points the CLI calls: score one text with several scorers, or a file with one; build an index from a file
or feed."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from r2k.providers.headlines import load_headlines, read_text_column
from r2k.sentiment.base import Scorer
from r2k.sentiment.index import SentimentIndex, sentiment_index
from r2k.sentiment.registry import get_scorer
from r2k.sentiment.trained import FineTunedScorer


@dataclass(frozen=True)
class ScoredText:
    """One scorer's verdict on one text, with the rule that labelled it and where its weights came from."""

    scorer: str
    score: float
    label: str
    threshold: float
    rule: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "score": self.score, "label": self.label, "threshold": self.threshold,
                "rule": self.rule, "source": self.source}


@dataclass(frozen=True)
class TextScores:
    text: str
    results: tuple[ScoredText, ...]

    def summary(self) -> str:
        return "\n".join(f"{r.scorer:<10} {r.score:+.3f}  {r.label:<8} ({r.rule})" for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "results": [r.to_dict() for r in self.results]}


def label_rule(scorer: Scorer) -> str:
    """How the scorer turns a text into a label, in words."""
    if isinstance(scorer, FineTunedScorer):
        return "most probable class"
    return f"neutral band ±{scorer.threshold:g}"


def provenance(scorer: Scorer) -> str:
    """What the scorer is and where its weights or word lists came from, in words."""
    if isinstance(scorer, FineTunedScorer):
        return scorer.provenance()
    return scorer.capabilities.description


def score_text(text: str, scorers: Sequence[str], model_dir: Path | None = None) -> TextScores:
    """Score and label ``text`` with each named scorer."""
    out = []
    for name in scorers:
        scorer = get_scorer(name, model_dir)
        scores, labels = scorer.predict([text])
        out.append(ScoredText(scorer.name, float(scores[0]), labels[0], scorer.threshold, label_rule(scorer),
                              provenance(scorer)))
    return TextScores(text, tuple(out))


@dataclass(frozen=True)
class ScoredFile:
    """Every row of a text file scored by one scorer (loaded once)."""

    source: str
    scorer: str
    rule: str
    provenance: str
    texts: tuple[str, ...]
    scores: tuple[float, ...]
    labels: tuple[str, ...]

    def rows(self) -> list[dict[str, Any]]:
        return [{"text": t, "scorer": self.scorer, "score": s, "label": lab}
                for t, s, lab in zip(self.texts, self.scores, self.labels)]

    def to_dict(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "file": self.source, "label_rule": self.rule,
                "source": self.provenance, "rows": self.rows()}

    def to_csv(self) -> str:
        """The rows as CSV text (text, scorer, score, label), scores to 4 decimals."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["text", "scorer", "score", "label"])
        writer.writerows([t, self.scorer, f"{s:.4f}", lab] for t, s, lab in zip(self.texts, self.scores, self.labels))
        return buffer.getvalue()


def score_file(path: Path, column: str, scorer: str, model_dir: Path | None = None) -> ScoredFile:
    """Score every value of ``column`` in the CSV file ``path`` with one scorer, in one call."""
    texts = read_text_column(path, column)
    model = get_scorer(scorer, model_dir)
    scores, labels = model.predict(texts)
    return ScoredFile(path.name, model.name, label_rule(model), provenance(model), tuple(texts),
                      tuple(float(v) for v in scores), tuple(labels))


def index_from(location: str | Path, scorer: str = "lm", half_life: float = 5.0, prior_weight: float = 1.0,
               text_column: str | None = None, include_description: bool = False,
               end: date | None = None, model_dir: Path | None = None) -> SentimentIndex:
    """Read headlines from a CSV path or feed URL and build the daily index with one scorer."""
    headlines = load_headlines(location, text_column=text_column, include_description=include_description)
    return sentiment_index(headlines, get_scorer(scorer, model_dir), str(location), half_life=half_life,
                           prior_weight=prior_weight, end=end)
