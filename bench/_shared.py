"""What the benchmarks share: where ../shared/data is, and a temporary store holding all of it."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from r2k.store import Store
from r2k.store.ingest import import_directory

NOW = datetime(2026, 1, 1)
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def data_dir() -> Path:
    """The data directory: the first argument, else ../shared/data; exits when RUT.csv is not there."""
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    if not (data / "RUT.csv").exists():
        sys.exit(f"no data at {data}")
    return data


@contextmanager
def imported_store(data: Path) -> Iterator[Path]:
    """The path of a temporary store into which all of ``data`` was imported."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_directory(store, data, NOW)
        yield path


def write_doc_block(doc: Path, name: str, body: str, writer: str) -> None:
    """Replace the text between ``<!-- begin NAME -->`` and ``<!-- end NAME -->`` in ``doc`` with ``body`` (the
    markers stay; the begin marker names the script that writes the block). Exits when the markers are missing."""
    import re

    text = doc.read_text(encoding="utf-8")
    pattern = re.compile(rf"<!-- begin {re.escape(name)}(?: [^>]*)?-->\n.*?<!-- end {re.escape(name)} -->", re.S)
    if not pattern.search(text):
        sys.exit(f"{doc.name}: no block '{name}' (add '<!-- begin {name} -->' and '<!-- end {name} -->' lines)")
    block = f"<!-- begin {name} (written by {writer}) -->\n{body.strip()}\n<!-- end {name} -->"
    doc.write_text(pattern.sub(lambda _: block, text, count=1), encoding="utf-8")


def poisoned_copy(src: Path, dst: Path, after: "date", seed: int = 0) -> None:
    """A new store at ``dst`` holding every series of ``src`` with each row dated after ``after`` rewritten with
    nonsense (prices: one random level for open, high, low and close; macro values: random numbers)."""
    import numpy as np
    import pandas as pd

    from r2k.providers.base import SeriesData
    from r2k.schemas import validate

    rng = np.random.default_rng(seed)
    items = []
    with Store(src, read_only=True) as store:
        for info in store.status():
            frame = store.read(info.id)
            late = (frame["date"] > pd.Timestamp(after)).to_numpy()
            values = [c for c in frame.columns if c not in ("date", "volume")]
            noise = rng.uniform(1.0, 5_000.0, late.sum())
            for c in values:
                frame.loc[late, c] = np.where(frame.loc[late, c].notna(), noise, np.nan)
            items.append(SeriesData(info.id, info.kind, validate(frame, info.kind, "poison"), "poison"))
    with Store(dst) as store:
        store.write(items, "poison", NOW)


def wrap_paragraphs(text: str, width: int = 115) -> str:
    """Markdown with its prose paragraphs wrapped at ``width`` (tables and list items are left as they are)."""
    import textwrap

    out = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith(("|", "- ")):
            out.append(block)
        else:
            out.append(textwrap.fill(" ".join(block.split()), width, break_long_words=False, break_on_hyphens=False))
    return "\n\n".join(out)
