"""Text sentiment: scorers (Loughran–McDonald, VADER, sentence embeddings), the daily headline index,
and the Financial PhraseBank evaluation. See docs/sentiment.md."""

from r2k.sentiment.registry import SCORERS, get_scorer, scorer_names

__all__ = ["SCORERS", "get_scorer", "scorer_names"]
