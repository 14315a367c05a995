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


@pytest.fixture(autouse=True)
def no_trained_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees an empty r2k cache: weights a developer trained must not change what a test measures."""
    monkeypatch.setenv("R2K_CACHE_DIR", str(tmp_path / "empty-cache"))


@pytest.fixture
def write_csv(tmp_path: Path):
    def _write(text: str, name: str = "news.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
