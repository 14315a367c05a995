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


def write_block(path: Path, name: str, text: str) -> None:
    """Replace the text between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` in ``path`` (both markers must
    be there): the numbers a document quotes are written by the script that measured them, never by hand."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    doc = path.read_text()
    if doc.count(start) != 1 or doc.count(end) != 1 or doc.index(start) > doc.index(end):
        sys.exit(f"{path}: expected one {start} ... {end} pair")
    head, rest = doc.split(start)
    _, tail = rest.split(end)
    path.write_text(f"{head}{start}\n{wrap_paragraphs(text.strip())}\n{end}{tail}")


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
