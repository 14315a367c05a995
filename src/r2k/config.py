"""Settings read once at the edge (CLI) and passed explicitly; library code never reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date

from pathlib import Path

import platformdirs

STORE_ENV = "R2K_STORE"
DATA_DIR_ENV = "R2K_DATA_DIR"


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("r2k", appauthor=False)) / "r2k.duckdb"


@dataclass(frozen=True)
class Settings:
    store_path: Path
    data_dir: Path | None = None  # default directory for `r2k data import`
    seed: int = 20260101
    tuning_cutoff: date = date(2015, 12, 31)  # hyperparameter searches read no data after this day

    def with_store(self, path: Path | str | None) -> "Settings":
        return self if path is None else replace(self, store_path=Path(path))


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the environment (R2K_STORE, R2K_DATA_DIR), else the defaults."""
    env = os.environ if environ is None else environ
    store = Path(env[STORE_ENV]) if env.get(STORE_ENV) else default_store_path()
    data_dir = Path(env[DATA_DIR_ENV]) if env.get(DATA_DIR_ENV) else None
    return Settings(store_path=store, data_dir=data_dir)
