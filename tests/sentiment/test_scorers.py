"""Known answers of the scorers on hand-written sentences, negation, thresholds and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from r2k.sentiment import get_scorer
from r2k.sentiment.base import ScorerUnavailable, labels_from_scores
from r2k.sentiment.embedding import available as embedding_available
from r2k.sentiment.lexicon import LMScorer, count_hits, tokenize, word_lists

POSITIVE = "The company achieved excellent results and strong gains this year."
NEGATIVE = "The bank reported heavy losses and warned of further declines."
NEUTRAL = "The annual meeting will be held in Boston on May 3."


def test_lm_word_lists_are_the_shipped_edition():
    pos, neg = word_lists()
    assert (len(pos), len(neg)) == (354, 2355)
    assert {"excellent", "strong", "gains"} <= pos and {"losses", "declines", "bankruptcy"} <= neg


def test_lm_known_scores():
    lm = LMScorer()
    # POSITIVE: achieved, excellent, strong, gains -> (4 - 0) / (4 + 0 + 1)
    # NEGATIVE: losses, warned, declines -> -3 / 4 ; NEUTRAL: no hits -> 0
    assert lm.score([POSITIVE, NEGATIVE, NEUTRAL, ""]) == pytest.approx([0.8, -0.75, 0.0, 0.0])
    assert lm.label([POSITIVE, NEGATIVE, NEUTRAL]) == ["positive", "negative", "neutral"]


def test_lm_negation_flips_positive_within_three_tokens():
    pos, neg = word_lists()
    assert count_hits(tokenize("results were not good"), pos, neg) == (0, 1)
    assert count_hits(tokenize("no one expected strong sales"), pos, neg) == (0, 1)  # 3 tokens before 'strong'
    assert count_hits(tokenize("not that anyone expected strong sales"), pos, neg) == (1, 0)  # 4 tokens before
    assert count_hits(tokenize("We didn\u2019t achieve the target"), pos, neg) == (0, 1)  # n't contraction
    assert count_hits(tokenize("there were no losses"), pos, neg) == (0, 1)  # negative words are not flipped
    lm = LMScorer()
    assert lm.score(["Earnings were good."])[0] == pytest.approx(0.5)
    assert lm.score(["Earnings were not good."])[0] == pytest.approx(-0.5)


def test_vader_negation_and_intensity():
    vader = get_scorer("vader")
    plain, boosted, negated = vader.score(["The results were good.", "The results were extremely good!",
                                           "The results were not good."])
    # VADER's published lexicon: good = 1.9; "extremely" boosts, "!" adds emphasis, "not" scales by -0.74
    assert (plain, boosted, negated) == pytest.approx((0.4404, 0.54, -0.3412), abs=1e-4)
    assert vader.label([POSITIVE, NEUTRAL]) == ["positive", "neutral"]
    assert vader.score(["Shares fell after a terrible loss."])[0] == pytest.approx(-0.4939, abs=1e-4)


def test_labels_from_scores_thresholds_are_inclusive():
    scores = np.array([-0.2, -0.05, -0.0499, 0.0, 0.0499, 0.05, 1.0])
    assert labels_from_scores(scores, 0.05) == ["negative", "negative", "neutral", "neutral", "neutral",
                                                "positive", "positive"]


def test_scores_stay_in_range():
    texts = [POSITIVE, NEGATIVE, NEUTRAL, "good " * 50, "loss " * 50, "not good " * 20]
    for name in ("lm", "vader"):
        s = get_scorer(name).score(texts)
        assert s.dtype == np.float64 and np.all((s >= -1) & (s <= 1))


def test_registry_rejects_unknown_scorer():
    with pytest.raises(ScorerUnavailable, match="unknown scorer 'nope'"):
        get_scorer("nope")


def test_capabilities_are_declared():
    assert get_scorer("lm").capabilities.negation and not get_scorer("lm").capabilities.intensity
    assert get_scorer("vader").capabilities.intensity
    assert "2012" in get_scorer("lm").capabilities.description


@pytest.mark.skipif(not embedding_available(), reason="embedding extra (torch, sentence-transformers) not installed")
def test_embedding_known_directions():
    emb = get_scorer("embedding")
    texts = [POSITIVE, NEGATIVE, NEUTRAL, "Quarterly sales dropped 20 percent and the company swung to a loss."]
    scores = emb.score(texts)
    assert np.all((scores >= -1) & (scores <= 1))
    assert scores[0] > 0.5 and scores[1] < -0.5 and abs(scores[2]) < 0.15 and scores[3] < -0.5
    assert emb.labels(scores) == ["positive", "negative", "neutral", "negative"]
    p = emb.probabilities(texts)
    assert p.shape == (4, 3) and np.allclose(p.sum(axis=1), 1.0)
    assert emb.score([""])[0] == 0.0


def test_embedding_unavailable_is_a_clear_error(monkeypatch):
    from r2k.sentiment import embedding, registry

    monkeypatch.setattr(embedding.EmbeddingScorer, "available", classmethod(lambda cls: False))
    registry.get_scorer.cache_clear()
    try:
        with pytest.raises(ScorerUnavailable, match="optional extra 'embeddings'"):
            registry.get_scorer("embedding")
    finally:
        registry.get_scorer.cache_clear()
