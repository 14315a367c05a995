"""The training corpus: normalised duplicates, near-duplicates, tweet folds and the disjoint training set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from r2k.errors import DataError
from r2k.sentiment.corpus import (LabelledTexts, disjoint_from, near_duplicates, normalise, read_tweets, training_set,
                                  tweet_folds, validation_split)
from sentiment_support import write_text_dir


def test_normalise_drops_case_links_and_punctuation():
    assert normalise("$AAPL -  Apple UP 5%!  https://t.co/xYz") == "$aapl apple up 5%"
    assert normalise("Sales rose , the company said .") == normalise("sales rose the company said")


def test_near_duplicates_catch_respellings_not_different_sentences():
    reference = ["Operating profit rose to EUR 13.1 mn from EUR 8.7 mn in the corresponding period in 2007 "
                 "representing 7.7 % of net sales ."]
    candidates = [reference[0].upper(),  # the same sentence in other case: exact after normalising
                  reference[0].replace("13.1", "13.2"),  # one figure changed: 3-gram Jaccard 0.84
                  "Operating profit fell to EUR 2.0 mn from EUR 3.1 mn .",  # another sentence
                  ""]
    assert near_duplicates(candidates, reference).tolist() == [True, True, False, False]


def test_disjoint_from_removes_evaluation_texts_and_repeats():
    train = LabelledTexts(("Profit rose.", "profit rose", "Sales fell.", "The meeting is on Monday."),
                          ("positive", "positive", "negative", "neutral"), "t")
    kept = disjoint_from(train, ["SALES FELL"])
    assert kept.texts == ("Profit rose.", "The meeting is on Monday.") and kept.labels == ("positive", "neutral")


def test_tweet_folds_keep_repeats_together_and_do_not_depend_on_order():
    texts = [f"$X{i} - shares rise {i}" for i in range(200)] + ["$X0 - SHARES RISE 0 https://t.co/a"]
    tweets = LabelledTexts(tuple(texts), ("positive",) * len(texts), "t")
    folds = tweet_folds(tweets, 5)
    assert folds[0] == folds[-1]  # the same normalised text
    assert set(folds.tolist()) == set(range(5)) and np.bincount(folds).min() > 20
    reversed_folds = tweet_folds(LabelledTexts(tuple(reversed(texts)), tweets.labels, "t"), 5)
    assert reversed_folds.tolist() == folds[::-1].tolist()


def test_read_tweets_maps_labels_and_names_bad_rows(tmp_path: Path):
    path = tmp_path / "tweets.csv"
    path.write_text('text,label\n"$A - up, strongly",1\n$B - down,0\n$C - flat,2\n', encoding="utf-8")
    assert read_tweets(path).labels == ("positive", "negative", "neutral")
    path.write_text("text,label\n$A - up,1\n$B - down,bearish\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"tweets.csv, line 3: bad row"):
        read_tweets(path)
    path.write_bytes(b"text,label\n\xff\xfe,1\n")
    with pytest.raises(DataError, match="not UTF-8"):
        read_tweets(path)


def test_training_set_is_disjoint_from_both_evaluation_sets(tmp_path: Path):
    data = training_set(write_text_dir(tmp_path))
    train = {normalise(t) for t in data.train.texts}
    assert not train & {normalise(t) for t in data.phrasebank_evaluation.texts}
    assert not train & {normalise(t) for t in data.tweet_evaluation.texts}
    assert len(data.phrasebank_evaluation) == 6 and data.dropped == 6  # every all-agree sentence is in 50% too
    assert data.phrasebank_train == 6 and data.tweets + len(data.tweet_evaluation) == 30
    everything = training_set(write_text_dir(tmp_path), holdout=False)
    assert len(everything.tweet_evaluation) == 0 and everything.tweets == 30



def test_validation_split_carves_a_fifth_of_the_training_tweets_only(tmp_path: Path):
    data = training_set(write_text_dir(tmp_path))
    train, tweets = validation_split(data)
    held_out = {normalise(t) for t in (*data.tweet_evaluation.texts, *data.phrasebank_evaluation.texts)}
    assert len(train) + len(tweets) == len(data.train) and 0 < len(tweets) < data.tweets
    assert not {normalise(t) for t in train.texts} & {normalise(t) for t in tweets.texts}
    assert not held_out & {normalise(t) for t in (*train.texts, *tweets.texts)}
    assert set(tweets.texts) <= set(data.train.texts[:data.tweets])  # only tweets; every PhraseBank sentence trains
    assert train.texts[-data.phrasebank_train:] == data.train.texts[data.tweets:]
