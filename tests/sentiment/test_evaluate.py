"""Evaluation arithmetic (known answers) and the PhraseBank measurement on the real files."""

from __future__ import annotations

import numpy as np
import pytest

from r2k.errors import DataError
from r2k.sentiment import get_scorer
from r2k.sentiment.embedding import available as embedding_available
from r2k.sentiment.evaluate import evaluate_directory, evaluate_labels, phrasebank_files, read_phrasebank


def test_metrics_known_answer():
    truth = ["negative", "negative", "neutral", "neutral", "neutral", "positive"]
    pred = ["negative", "neutral", "neutral", "neutral", "positive", "positive"]
    e = evaluate_labels("x", "all", truth, pred)
    assert e.confusion == ((1, 1, 0), (0, 2, 1), (0, 0, 1))
    assert e.accuracy == pytest.approx(4 / 6)
    # F1: negative P=1 R=1/2 -> 2/3 ; neutral P=2/3 R=2/3 -> 2/3 ; positive P=1/2 R=1 -> 2/3
    assert e.f1 == pytest.approx({"negative": 2 / 3, "neutral": 2 / 3, "positive": 2 / 3})
    assert e.macro_f1 == pytest.approx(2 / 3)
    assert e.majority_rate == pytest.approx(0.5)
    assert e.to_dict()["labels"] == ["negative", "neutral", "positive"]


def test_class_never_predicted_has_zero_f1():
    e = evaluate_labels("x", "all", ["positive", "negative"], ["positive", "positive"])
    assert e.f1["negative"] == 0.0 and e.f1["neutral"] == 0.0
    assert e.macro_f1 == pytest.approx((2 / 3) / 3)


def test_read_phrasebank_errors(tmp_path):
    bad = tmp_path / "financial_phrasebank_allagree.csv"
    bad.write_text("sentence,label\nok,positive\nhmm,happy\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 3") as err:
        read_phrasebank(bad)
    assert str(bad) in str(err.value)
    hdr = tmp_path / "h.csv"
    hdr.write_text("text,sentiment\na,positive\n", encoding="utf-8")
    with pytest.raises(DataError, match="expected header 'sentence,label'"):
        read_phrasebank(hdr)
    with pytest.raises(DataError, match="no financial_phrasebank"):
        evaluate_directory(tmp_path / "nowhere", [get_scorer("lm")])


def test_small_directory_end_to_end(tmp_path):
    (tmp_path / "financial_phrasebank_allagree.csv").write_text(
        "sentence,label\nProfits were excellent.,positive\nThe firm reported a loss.,negative\n"
        "The meeting is on Monday.,neutral\n", encoding="utf-8")
    (tmp_path / "financial_phrasebank_50agree.csv").write_text(
        "sentence,label\nProfits were excellent.,positive\nThe meeting is on Monday.,positive\n", encoding="utf-8")
    assert list(phrasebank_files(tmp_path)) == ["all", "50"]
    report = evaluate_directory(tmp_path, [get_scorer("lm")])
    by_level = {r.level: r for r in report.results}
    assert by_level["all"].accuracy == 1.0 and by_level["50"].accuracy == 0.5
    assert "allagree" in report.summary()


def test_phrasebank_real_files_lexicon_scorers(shared_data):
    report = evaluate_directory(shared_data / "text", [get_scorer("lm"), get_scorer("vader")])
    assert len(report.results) == 8
    n = {r.level: r.n for r in report.results if r.scorer == "lm"}
    assert n == {"all": 2258, "75": 3448, "66": 4211, "50": 4840}
    for r in report.results:
        # measured (see bench/bench_sentiment.py): lm ~0.62-0.66 accuracy, vader ~0.54-0.57; both near or
        # below the majority-class rate (~0.6, neutral): the lexicons are not PhraseBank's notion of sentiment
        assert 0.4 < r.accuracy < 0.8 and 0.35 < r.macro_f1 < 0.7
        assert sum(map(sum, r.confusion)) == r.n


@pytest.mark.skipif(not embedding_available(), reason="embedding extra not installed")
def test_phrasebank_embedding_sample(shared_data):
    from r2k.sentiment.evaluate import evaluate_labels

    sentences, labels = read_phrasebank(shared_data / "text" / "financial_phrasebank_allagree.csv")
    emb = get_scorer("embedding")
    sample = slice(0, 300)
    pred = emb.labels(emb.score(sentences[sample]))
    e = evaluate_labels("embedding", "all", labels[sample], pred)
    assert 0.4 < e.accuracy < 0.95 and 0.35 < e.macro_f1 < 0.95


def test_intervals_bracket_the_estimates_and_match_the_point_metrics():
    from r2k.sentiment.evaluate import evaluate_with_intervals, macro_f1_of

    rng = np.random.default_rng(1)
    truth = rng.integers(0, 3, 400)
    predicted = np.where(rng.random(400) < 0.7, truth, rng.integers(0, 3, 400))
    names = ["negative", "neutral", "positive"]
    e = evaluate_with_intervals("x", "set", [names[i] for i in truth], [names[i] for i in predicted], reps=300)
    assert macro_f1_of(truth, predicted) == pytest.approx(e.evaluation.macro_f1)
    assert e.accuracy.estimate == pytest.approx(e.evaluation.accuracy)
    assert e.accuracy.ci_low < e.evaluation.accuracy < e.accuracy.ci_high
    assert e.macro_f1.ci_low < e.evaluation.macro_f1 < e.macro_f1.ci_high
    assert 0.05 < e.accuracy.ci_high - e.accuracy.ci_low < 0.12  # about 4 standard errors of a 0.8 rate on 400
    perfect = evaluate_with_intervals("x", "set", names * 5, names * 5, reps=100)
    assert (perfect.accuracy.ci_low, perfect.macro_f1.ci_high) == (1.0, 1.0)
    assert perfect.to_dict()["accuracy_interval"] == [1.0, 1.0]
