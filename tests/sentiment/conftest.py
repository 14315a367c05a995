"""Helpers for the sentiment tests: a scorer with known answers and a tiny headline CSV writer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from r2k.sentiment.base import Capabilities, Scorer


class TableScorer(Scorer):
    """Scores looked up in a table: lets index tests use known scores."""

    name = "table"
    threshold = 0.1
    capabilities = Capabilities(negation=False, intensity=False, optional_extra=None, description="test table")

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.table[t] for t in texts], dtype="float64")


@pytest.fixture
def write_csv(tmp_path: Path):
    def _write(text: str, name: str = "news.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
