"""Benchmark: every available scorer on Financial PhraseBank (accuracy, macro-F1, confusion, throughput)
and the daily index over the CNBC headline file.

Measurement only: nothing is fitted to PhraseBank. The four agreement files are nested, so each scorer
scores the union of sentences (4,840) once; throughput = sentences / wall seconds of that call
(model loading timed separately).
Run: .venv/bin/python bench/bench_sentiment.py [TEXT_DIR]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from r2k.providers.headlines import read_headlines
from r2k.sentiment.base import LABELS
from r2k.sentiment.evaluate import evaluate_labels, phrasebank_files, read_phrasebank
from r2k.sentiment.index import sentiment_index
from r2k.sentiment.registry import SCORERS, get_scorer


def main() -> None:
    text_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data" / "text"
    files = phrasebank_files(text_dir)
    if not files:
        sys.exit(f"no PhraseBank files in {text_dir}")
    sets = {lvl: read_phrasebank(p) for lvl, p in files.items()}
    unique = sorted({s for sentences, _ in sets.values() for s in sentences})
    headlines = read_headlines(text_dir / "news_headlines.csv")
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (throughput is shared-CPU)")
    print(f"PhraseBank: {len(unique):,} unique sentences; levels " +
          ", ".join(f"{lvl}agree n={len(s):,}" for lvl, (s, _) in sets.items()))
    print(f"{'scorer':<10} {'level':>8} {'n':>6} {'accuracy':>9} {'macro-F1':>9} {'majority':>9}   "
          "F1 neg/neu/pos")
    details = []
    for name, cls in SCORERS.items():
        if not cls.available():
            print(f"{name:<10} skipped: optional extra '{cls.capabilities.optional_extra}' not installed")
            continue
        t0 = time.perf_counter()
        scorer = get_scorer(name)
        load = time.perf_counter() - t0
        scorer.score(unique[:32])  # warm-up
        t0 = time.perf_counter()
        scores = scorer.score(unique)
        secs = time.perf_counter() - t0
        pred = dict(zip(unique, scorer.labels(scores)))
        for lvl, (sentences, labels) in sets.items():
            e = evaluate_labels(name, lvl, labels, [pred[s] for s in sentences], scorer.threshold)
            f1 = "/".join(f"{e.f1[c]:.2f}" for c in LABELS)
            print(f"{name:<10} {lvl + 'agree':>8} {e.n:>6} {e.accuracy:>9.3f} {e.macro_f1:>9.3f} {e.majority_rate:>9.3f}   {f1}")
            if lvl in ("all", "50"):
                details.append(e)
        t0 = time.perf_counter()
        ix = sentiment_index(headlines, scorer, "news_headlines.csv")
        isecs = time.perf_counter() - t0
        print(f"{name:<10} load {load:.2f} s; PhraseBank {len(unique) / secs:,.0f} sentences/s ({secs:.2f} s); "
              f"index of {len(headlines):,} headlines {isecs:.2f} s -> {len(ix.frame)} days, "
              f"mean of daily index {ix.frame['mean'].mean():+.3f}")
    print("\nConfusion matrices (rows: true negative/neutral/positive; columns: predicted, same order)")
    for e in details:
        rows = "  ".join("[" + " ".join(f"{v:>5}" for v in r) + "]" for r in e.confusion)
        print(f"{e.scorer:<10} {e.level + 'agree':>8}  {rows}")


if __name__ == "__main__":
    main()
