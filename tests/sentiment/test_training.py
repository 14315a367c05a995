"""Fine-tuning on a miniature corpus with a tiny encoder (two layers, width 32, the bundled tokenizer): the training
loop learns, the weights round-trip, `train` writes a manifest and replaces weights whole, the scorer and the CLI
use them, and without them `best` falls back and says so."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sentiment_support import write_text_dir
from typer.testing import CliRunner

from r2k.sentiment.embedding import available as embedding_available
from r2k.sentiment.finetune import FineTuneConfig, batch_order, class_weight_vector, model_text

pytestmark = pytest.mark.skipif(not embedding_available(), reason="embedding extra (torch, transformers) not installed")
TEXTS = ["Profit rose and sales grew", "Revenue jumped to a record", "Earnings beat forecasts",
         "The loss widened sharply", "Sales fell and margins shrank", "The firm cut its dividend",
         "The meeting is on Tuesday", "The report comes out in March", "The office is in Helsinki"]
TARGETS = np.array([2, 2, 2, 0, 0, 0, 1, 1, 1])
FAST = FineTuneConfig(epochs=6, batch_size=3, learning_rate=3e-3, warmup=0.0, train_layers=1, threads=1)


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised two-layer BERT with the bundled MiniLM tokenizer, saved like a real encoder."""
    import torch

    from r2k.sentiment.embedding import bundled_model_path, offline_hub

    offline_hub()
    from transformers import AutoTokenizer, BertConfig, BertModel

    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()), local_files_only=True)
    torch.manual_seed(0)
    model = BertModel(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                                 num_attention_heads=2, intermediate_size=64, max_position_embeddings=128))
    path = tmp_path_factory.mktemp("tiny-encoder")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_helpers_known_answers():
    assert model_text("$A - up https://t.co/abc  today") == "$A - up today"
    assert class_weight_vector(np.array([0, 1, 1, 1])) == pytest.approx([4 / 3, 4 / 9, 1.0])
    assert class_weight_vector(np.array([0, 1, 1, 1]), 0.5) == pytest.approx(np.sqrt([4 / 3, 4 / 9, 1.0]))
    batches = batch_order(np.array([5, 1, 9, 3, 7, 2, 8]), 3, np.random.default_rng(0), pool=2)
    assert sorted(np.concatenate(batches).tolist()) == list(range(7)) and max(map(len, batches)) == 3


def test_fine_tune_learns_and_round_trips(tiny_encoder: Path, tmp_path: Path):
    from r2k.sentiment.finetune import Classifier, fine_tune

    model = fine_tune(TEXTS, TARGETS, FAST, base=tiny_encoder)
    p = model.probabilities(TEXTS)
    assert p.shape == (9, 3) and np.allclose(p.sum(axis=1), 1.0)
    assert p.argmax(axis=1).tolist() == TARGETS.tolist()
    model.save(tmp_path / "w")
    assert np.allclose(Classifier.load(tmp_path / "w").probabilities(TEXTS), p, atol=1e-6)
    again = fine_tune(TEXTS, TARGETS, FAST, base=tiny_encoder)  # seeded: the same weights
    assert np.allclose(again.probabilities(TEXTS), p, atol=1e-6)
    every_layer = fine_tune(TEXTS, TARGETS, replace(FAST, train_layers=None), base=tiny_encoder)  # nothing kept
    assert every_layer.probabilities(TEXTS).argmax(axis=1).tolist() == TARGETS.tolist()


def test_train_scorer_then_score_with_the_cli(tiny_encoder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from r2k.cli.app import app
    from r2k.sentiment import registry
    from r2k.sentiment.trained import FineTunedScorer, weights_dir
    from r2k.sentiment.training import VALIDATION_RECORD, train_scorer

    cache = tmp_path / "cache"
    destination = weights_dir(cache)
    destination.mkdir(parents=True)
    (destination / "stale.txt").write_text("old weights")
    result = train_scorer(write_text_dir(tmp_path), destination, FAST, validation=True, base=tiny_encoder)
    assert not (destination / "stale.txt").exists() and not destination.with_name(destination.name + ".partial").exists()
    manifest = json.loads((destination / "manifest.json").read_text())
    assert manifest == result.manifest and manifest["config"]["epochs"] == 6
    assert set(manifest["files"]) == {"twitter_financial_news_train.csv", "financial_phrasebank_allagree.csv",
                                      "financial_phrasebank_50agree.csv"}
    assert manifest["counts"]["phrasebank_train"] == 6 and manifest["held_out"]["tweets"] > 0
    chosen = manifest["validation"]  # the epoch kept is the best of the six on the validation tweets
    assert [e["epoch"] for e in chosen["epochs"]] == list(range(1, 7)) and chosen["tweets"] > 0
    best = max(chosen["epochs"], key=lambda e: (e["accuracy"] + e["macro_f1"], -e["epoch"]))
    assert chosen["chosen_epoch"] == best["epoch"] and f"epoch {best['epoch']} of 6 kept" in manifest["summary"]
    assert json.loads((destination.parent / VALIDATION_RECORD).read_text()) == manifest  # kept beside the weights

    scorer = FineTunedScorer(destination)
    scores, labels = scorer.predict(["Profit rose and sales grew", ""])
    assert labels[1] == "neutral" and scores[1] == 0.0 and -1 <= scores[0] <= 1
    assert "r2k sentiment train" in scorer.provenance()

    monkeypatch.setenv("R2K_CACHE_DIR", str(cache))
    registry.get_scorer.cache_clear()
    assert registry.best_scorer(destination).name == "finetuned" and registry.best_scorer(destination).note() == ""
    rows = tmp_path / "rows.csv"
    rows.write_text("id,text\n1,Profit rose and sales grew\n2,\"The loss widened, sharply\"\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["sentiment", "score", "--file", str(rows), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["scorer"] == "finetuned" and [r["text"] for r in doc["rows"]] == ["Profit rose and sales grew",
                                                                                  "The loss widened, sharply"]
    assert all(r["scorer"] == "finetuned" and r["label"] in ("negative", "neutral", "positive") for r in doc["rows"])
    assert "r2k sentiment train" in doc["source"] and list(doc)[:2] == ["as_of", "version"]
    registry.get_scorer.cache_clear()


def test_best_falls_back_without_weights_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from r2k.sentiment.registry import best_scorer

    choice = best_scorer(tmp_path / "none")
    assert choice.name == "embedding" and "run 'r2k sentiment train'" in choice.note()


def test_without_validation_every_training_text_trains_and_the_last_epoch_is_kept(tiny_encoder: Path, tmp_path: Path):
    from r2k.sentiment.corpus import training_set
    from r2k.sentiment.finetune import Classifier, fine_tune
    from r2k.sentiment.training import train_scorer

    folder = write_text_dir(tmp_path)
    result = train_scorer(folder, tmp_path / "w", FAST, base=tiny_encoder)  # the default: no validation
    data = training_set(folder)
    direct = fine_tune(list(data.train.texts), data.train.targets(), FAST, base=tiny_encoder)
    assert result.manifest["validation"] is None and "kept out to choose" not in result.manifest["summary"]
    assert np.allclose(Classifier.load(tmp_path / "w").probabilities(TEXTS), direct.probabilities(TEXTS), atol=1e-6)
