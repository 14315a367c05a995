"""The labelled texts a sentiment classifier learns from and is measured on, with disjoint splits.

Sources (``../shared/data/text``; SOURCES.md there has provenance and licences):

* ``twitter_financial_news_train.csv`` (``text,label``; 0 bearish, 1 bullish, 2 neutral; MIT licence);
* ``financial_phrasebank_{all,75,66,50}agree.csv`` (``sentence,label``; CC BY-NC-SA 3.0). The files are nested:
  every all-agree sentence is also in the 50%-agree file.

Evaluation on PhraseBank all-agree uses a model trained on the 50%-agree sentences *minus* the all-agree
ones. "Minus" is decided on normalised text (:func:`normalise`: lower case, links and punctuation dropped,
whitespace collapsed), and also removes near-duplicates (:func:`near_duplicates`: the same sentence with a
different figure or a few words changed), so no evaluation sentence is learnt in another spelling.
Tweets are grouped by normalised text before they are split into folds, so a repeated tweet never sits on
both sides of a fold.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from r2k.errors import DataError
from r2k.sentiment.base import LABELS
from r2k.sentiment.evaluate import phrasebank_files, read_phrasebank

TWEET_FILE = "twitter_financial_news_train.csv"
TWEET_LABELS = {"0": "negative", "1": "positive", "2": "neutral"}  # bearish, bullish, neutral
NEAR_DUPLICATE = 0.5  # Jaccard similarity of word 3-gram sets above which two sentences count as one
_LINK = re.compile(r"https?://\S+")
_NON_WORD = re.compile(r"[^a-z0-9$%]+")


def normalise(text: str) -> str:
    """The text reduced to what decides a duplicate: lower case, no links, words and figures only."""
    return " ".join(_NON_WORD.sub(" ", _LINK.sub(" ", text.lower())).split())


@dataclass(frozen=True)
class LabelledTexts:
    """Texts with labels from LABELS and the file they came from."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    source: str

    def __len__(self) -> int:
        return len(self.texts)

    def counts(self) -> dict[str, int]:
        return {lab: self.labels.count(lab) for lab in LABELS}

    def targets(self) -> np.ndarray:
        """Label indices into LABELS (0 negative, 1 neutral, 2 positive)."""
        index = {lab: i for i, lab in enumerate(LABELS)}
        return np.array([index[lab] for lab in self.labels], dtype=np.int64)

    def subset(self, rows: Sequence[int] | np.ndarray, source: str | None = None) -> LabelledTexts:
        return LabelledTexts(tuple(self.texts[i] for i in rows), tuple(self.labels[i] for i in rows),
                             source or self.source)

    def __add__(self, other: LabelledTexts) -> LabelledTexts:
        return LabelledTexts(self.texts + other.texts, self.labels + other.labels, f"{self.source} + {other.source}")


def read_tweets(path: Path | str) -> LabelledTexts:
    """The finance-tweet file (``text,label`` with 0/1/2); DataError naming the file and line of a bad row."""
    path = Path(path)
    texts, labels = [], []
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = [h.strip().lower() for h in next(reader, [])]
            if header[:2] != ["text", "label"]:
                raise DataError(str(path), f"expected header 'text,label', got {','.join(header)!r}", row=1)
            for rec in reader:
                if len(rec) != 2 or rec[1].strip() not in TWEET_LABELS:
                    raise DataError(str(path), f"bad row {rec!r} (expected text,label with label 0, 1 or 2)",
                                    row=reader.line_num)
                texts.append(rec[0])
                labels.append(TWEET_LABELS[rec[1].strip()])
    except FileNotFoundError:
        raise DataError(str(path), "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not texts:
        raise DataError(str(path), "no tweets")
    return LabelledTexts(tuple(texts), tuple(labels), path.name)


def read_phrasebank_level(directory: Path | str, level: str) -> LabelledTexts:
    """One PhraseBank agreement level ('all', '75', '66', '50') from ``directory``."""
    files = phrasebank_files(directory)
    if level not in files:
        raise DataError(str(directory), f"no financial_phrasebank_{level}agree.csv")
    sentences, labels = read_phrasebank(files[level])
    return LabelledTexts(tuple(sentences), tuple(labels), files[level].name)


def _shingles(text: str, n: int = 3) -> frozenset[str]:
    words = text.split()
    return frozenset(" ".join(words[i:i + n]) for i in range(max(len(words) - n + 1, 1)))


def near_duplicates(candidates: Sequence[str], reference: Sequence[str], threshold: float = NEAR_DUPLICATE) -> np.ndarray:
    """True for each candidate whose normalised text equals a reference text or shares more than ``threshold``
    of its word 3-grams with one (Jaccard similarity), via an inverted index of the reference's 3-grams."""
    ref = [_shingles(normalise(t)) for t in reference]
    exact = {normalise(t) for t in reference}
    postings: dict[str, list[int]] = {}
    for j, sh in enumerate(ref):
        for g in sh:
            postings.setdefault(g, []).append(j)
    out = np.zeros(len(candidates), dtype=bool)
    for i, text in enumerate(candidates):
        norm = normalise(text)
        if norm in exact:
            out[i] = True
            continue
        sh = _shingles(norm)
        shared: dict[int, int] = {}
        for g in sh:
            for j in postings.get(g, ()):
                shared[j] = shared.get(j, 0) + 1
        out[i] = any(k / (len(sh) + len(ref[j]) - k) > threshold for j, k in shared.items())
    return out


def disjoint_from(train: LabelledTexts, evaluation: Sequence[str]) -> LabelledTexts:
    """``train`` without the texts that duplicate or nearly duplicate an evaluation text, and without repeats
    of its own (first kept)."""
    drop = near_duplicates(train.texts, evaluation)
    seen: set[str] = set()
    keep = []
    for i, text in enumerate(train.texts):
        norm = normalise(text)
        if not drop[i] and norm not in seen:
            keep.append(i)
        seen.add(norm)
    return train.subset(keep)


def tweet_folds(tweets: LabelledTexts, k: int = 5, seed: int = 0) -> np.ndarray:
    """A fold number in 0..k-1 per tweet; tweets with the same normalised text share a fold (hash of the text
    and the seed, so a tweet's fold does not depend on the others or on their order)."""
    def fold(text: str) -> int:
        digest = hashlib.sha256(f"{seed}:{normalise(text)}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % k
    return np.array([fold(t) for t in tweets.texts], dtype=np.int64)


HOLDOUT_FOLD, FOLDS = 0, 5  # the fifth of the tweets that training leaves out, for the bench to measure on


@dataclass(frozen=True)
class TrainingSet:
    """What ``r2k sentiment train`` learns from, and the two sets kept out for evaluation: tweets outside the
    held-out fold plus PhraseBank 50%-agree sentences disjoint from all-agree."""

    train: LabelledTexts
    phrasebank_evaluation: LabelledTexts
    tweet_evaluation: LabelledTexts  # empty when every tweet is used for training
    tweets: int
    phrasebank_train: int
    dropped: int  # 50%-agree sentences left out as duplicates or near-duplicates of all-agree ones

    def summary(self) -> str:
        held = (f"; {len(self.tweet_evaluation):,} tweets (one fifth, by hashed text) and "
                if len(self.tweet_evaluation) else "; ")
        return (f"{len(self.train):,} training texts: {self.tweets:,} finance tweets and {self.phrasebank_train:,} "
                f"Financial PhraseBank sentences (the 50%-agreement set less {self.dropped:,} that are, or nearly are, "
                f"all-agree sentences){held}the {len(self.phrasebank_evaluation):,} all-agree sentences "
                "kept out for evaluation")


def training_set(directory: Path | str, holdout: bool = True) -> TrainingSet:
    """The training texts read from ``directory``; with ``holdout`` the tweets of fold HOLDOUT_FOLD of
    :func:`tweet_folds` are kept out of training (and out of the tweets' duplicate check, which runs on the rest)."""
    directory = Path(directory)
    tweets = read_tweets(directory / TWEET_FILE)
    evaluation = read_phrasebank_level(directory, "all")
    fifty = read_phrasebank_level(directory, "50")
    pb_train = disjoint_from(fifty, evaluation.texts)
    if holdout:
        folds = tweet_folds(tweets, FOLDS)
        held = tweets.subset(np.flatnonzero(folds == HOLDOUT_FOLD), f"{tweets.source} (held-out fifth)")
        tweets = tweets.subset(np.flatnonzero(folds != HOLDOUT_FOLD))
    else:
        held = LabelledTexts((), (), "none")
    tweets_clean = disjoint_from(tweets, (*evaluation.texts, *held.texts))
    return TrainingSet(tweets_clean + pb_train, evaluation, held, len(tweets_clean), len(pb_train),
                       len(fifty) - len(pb_train))



VALIDATION_SEED = 1  # folds inside the training tweets: another hash than the held-out fifth's (seed 0)


def validation_split(data: TrainingSet, fold: int = 0) -> tuple[LabelledTexts, LabelledTexts]:
    """(training texts, validation tweets): fold ``fold`` of :func:`tweet_folds` (seed VALIDATION_SEED) of the
    training tweets is kept out, so choices made while training (the number of epochs) never see the held-out
    tweets or all-agree. Every training PhraseBank sentence stays in training."""
    tweets = data.train.subset(range(data.tweets))
    folds = tweet_folds(tweets, FOLDS, VALIDATION_SEED)
    rest = tweets.subset(np.flatnonzero(folds != fold))
    return (rest + data.train.subset(range(data.tweets, len(data.train))),
            tweets.subset(np.flatnonzero(folds == fold), f"{tweets.source} (validation fifth)"))
