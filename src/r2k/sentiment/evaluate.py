"""Measure scorers on Financial PhraseBank (Malo et al. 2014): accuracy, macro-F1, confusion matrix.

Measurement only: nothing here fits anything to PhraseBank (its licence, CC BY-NC-SA 3.0, rules out
shipping a model trained on it). The four files (``financial_phrasebank_{50,66,75,all}agree.csv``,
``sentence,label``) are nested: a sentence with 100% annotator agreement is also in the 75% file, so
each scorer scores the union of sentences once and every level is read from that.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from r2k.analytics.robust import BootstrapInterval, block_bootstrap
from r2k.errors import DataError
from r2k.sentiment.base import LABELS, Scorer

FILE_PATTERN = re.compile(r"^financial_phrasebank_(\w+?)agree\.csv$")
LEVEL_ORDER = ("all", "75", "66", "50")


def read_phrasebank(path: Path | str) -> tuple[list[str], list[str]]:
    """(sentences, labels) of one PhraseBank CSV; DataError naming file and line on a bad row."""
    path = Path(path)
    source = str(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = [h.strip().lower() for h in next(reader, [])]
            if header[:2] != ["sentence", "label"]:
                raise DataError(source, f"expected header 'sentence,label', got {','.join(header)!r}", row=1)
            sentences, labels = [], []
            for rec in reader:
                if len(rec) != 2 or rec[1].strip() not in LABELS:
                    raise DataError(source, f"bad row {rec!r} (expected sentence,label with label in {LABELS})",
                                    row=reader.line_num)
                sentences.append(rec[0])
                labels.append(rec[1].strip())
    except FileNotFoundError:
        raise DataError(source, "file not found") from None
    if not sentences:
        raise DataError(source, "no sentences")
    return sentences, labels


def phrasebank_files(directory: Path | str) -> dict[str, Path]:
    """Agreement level ('all', '75', '66', '50') -> file, for the files present in ``directory``."""
    found = {m.group(1): p for p in Path(directory).glob("financial_phrasebank_*agree.csv")
             if (m := FILE_PATTERN.match(p.name))}
    return {lvl: found[lvl] for lvl in LEVEL_ORDER if lvl in found}


@dataclass(frozen=True)
class Evaluation:
    """One scorer on one labelled set. ``confusion[i][j]`` counts true LABELS[i] predicted LABELS[j]."""

    scorer: str
    level: str
    n: int
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    confusion: tuple[tuple[int, ...], ...]
    majority_rate: float
    threshold: float

    def summary(self) -> str:
        return (f"{self.scorer} on PhraseBank {self.level}agree (n={self.n}): accuracy {self.accuracy:.3f}, "
                f"macro-F1 {self.macro_f1:.3f} (majority class {self.majority_rate:.3f})")

    def to_dict(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "level": self.level, "n": self.n, "accuracy": self.accuracy,
                "macro_f1": self.macro_f1, "f1": dict(self.f1), "labels": list(LABELS),
                "confusion": [list(r) for r in self.confusion], "majority_rate": self.majority_rate,
                "threshold": self.threshold}


def evaluate_labels(scorer: str, level: str, truth: Sequence[str], predicted: Sequence[str],
                    threshold: float = float("nan")) -> Evaluation:
    """Accuracy, per-class F1, macro-F1 (unweighted mean over the three classes) and the confusion matrix."""
    if len(truth) != len(predicted) or not truth:
        raise ValueError("truth and predicted must be non-empty and of equal length")
    idx = {lab: i for i, lab in enumerate(LABELS)}
    conf = np.zeros((3, 3), dtype=int)
    np.add.at(conf, ([idx[t] for t in truth], [idx[p] for p in predicted]), 1)
    tp = np.diag(conf).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(conf.sum(axis=0) > 0, tp / conf.sum(axis=0), 0.0)
        recall = np.where(conf.sum(axis=1) > 0, tp / conf.sum(axis=1), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    n = int(conf.sum())
    return Evaluation(scorer, level, n, float(tp.sum() / n), float(f1.mean()),
                      {lab: float(f1[i]) for i, lab in enumerate(LABELS)},
                      tuple(tuple(int(v) for v in row) for row in conf),
                      float(conf.sum(axis=1).max() / n), threshold)


@dataclass(frozen=True)
class EvaluationReport:
    """Every scorer on every agreement level found in one directory."""

    directory: str
    results: tuple[Evaluation, ...]

    def summary(self) -> str:
        lines = [f"Financial PhraseBank evaluation ({self.directory})",
                 f"{'scorer':<10} {'level':>8} {'n':>6} {'accuracy':>9} {'macro-F1':>9} {'majority':>9}"]
        lines += [f"{r.scorer:<10} {r.level + 'agree':>8} {r.n:>6} {r.accuracy:>9.3f} {r.macro_f1:>9.3f} "
                  f"{r.majority_rate:>9.3f}" for r in self.results]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"directory": self.directory, "results": [r.to_dict() for r in self.results]}


def evaluate_directory(directory: Path | str, scorers: Sequence[Scorer]) -> EvaluationReport:
    """Score the union of PhraseBank sentences once per scorer and evaluate each agreement level."""
    files = phrasebank_files(directory)
    if not files:
        raise DataError(str(directory), "no financial_phrasebank_*agree.csv files")
    sets = {lvl: read_phrasebank(p) for lvl, p in files.items()}
    unique = sorted({s for sentences, _ in sets.values() for s in sentences})
    results = []
    for scorer in scorers:
        pred = dict(zip(unique, scorer.predict(unique)[1]))
        for lvl, (sentences, labels) in sets.items():
            results.append(evaluate_labels(scorer.name, lvl, labels, [pred[s] for s in sentences], scorer.threshold))
    return EvaluationReport(str(directory), tuple(results))


def _confusion(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    k = len(LABELS)
    return np.bincount(truth.astype(int) * k + predicted.astype(int), minlength=k * k).reshape(k, k)


def accuracy_of(truth: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.mean(truth == predicted))


def macro_f1_of(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Unweighted mean of the three classes' F1 from label indices (a class never seen nor predicted scores 0)."""
    conf = _confusion(truth, predicted)
    tp = np.diag(conf).astype(float)
    denominator = conf.sum(axis=0) + conf.sum(axis=1)
    return float(np.mean(np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)))


@dataclass(frozen=True)
class IntervalEvaluation:
    """An evaluation with bootstrap intervals of accuracy and macro-F1 (iid over texts: each sentence is
    labelled on its own, so resampling sentences independently is the right bootstrap here)."""

    evaluation: Evaluation
    accuracy: BootstrapInterval
    macro_f1: BootstrapInterval

    def summary(self) -> str:
        e, a, f = self.evaluation, self.accuracy, self.macro_f1
        return (f"{e.scorer} on {e.level} (n={e.n}): accuracy {e.accuracy:.3f} [{a.ci_low:.3f}, {a.ci_high:.3f}], "
                f"macro-F1 {e.macro_f1:.3f} [{f.ci_low:.3f}, {f.ci_high:.3f}]")

    def to_dict(self) -> dict[str, Any]:
        return {**self.evaluation.to_dict(), "accuracy_interval": [self.accuracy.ci_low, self.accuracy.ci_high],
                "macro_f1_interval": [self.macro_f1.ci_low, self.macro_f1.ci_high], "level_of_intervals": self.accuracy.level}


def evaluate_with_intervals(scorer: str, level: str, truth: Sequence[str], predicted: Sequence[str],
                            reps: int = 2000, seed: int = 0) -> IntervalEvaluation:
    """:func:`evaluate_labels` plus 95% percentile intervals from an iid bootstrap over the texts (the project's
    stationary bootstrap with mean block 1)."""
    index = {lab: i for i, lab in enumerate(LABELS)}
    t = np.array([index[x] for x in truth])
    p = np.array([index[x] for x in predicted])
    return IntervalEvaluation(evaluate_labels(scorer, level, truth, predicted),
                              block_bootstrap(accuracy_of, t, p, block=1, reps=reps, seed=seed),
                              block_bootstrap(macro_f1_of, t, p, block=1, reps=reps, seed=seed))
