"""Settings read once at the edge (CLI) and passed explicitly; library code never reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date

from pathlib import Path

import platformdirs

STORE_ENV = "R2K_STORE"
DATA_DIR_ENV = "R2K_DATA_DIR"
CACHE_ENV = "R2K_CACHE_DIR"  # empty: no cache
SEC_USER_AGENT_ENV = "R2K_SEC_USER_AGENT"
DASK_SCHEDULER_ENV = "R2K_DASK_SCHEDULER"
DEFAULT_REPORT = Path("reports/r2k-report.html")  # where r2k report and r2k update write the report; r2k serve links it


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("r2k", appauthor=False))


def default_store_path() -> Path:
    return Path(platformdirs.user_data_dir("r2k", appauthor=False)) / "r2k.duckdb"


@dataclass(frozen=True)
class Settings:
    store_path: Path
    data_dir: Path | None = None  # default directory for `r2k data import`
    seed: int = 20260101
    # the last date any choice may be tuned on (rating cut points, hyper-parameters); later data is for evaluation only
    tuning_cutoff: date = date(2015, 12, 31)
    cache_dir: Path | None = None  # derived frames keyed by their inputs (None: no cache)
    sec_user_agent: str | None = None  # "Name email" for SEC EDGAR (R2K_SEC_USER_AGENT)
    dask_scheduler: str | None = None  # tcp://host:8786 (R2K_DASK_SCHEDULER); None = local processes

    def with_store(self, path: Path | str | None) -> "Settings":
        return self if path is None else replace(self, store_path=Path(path).expanduser())


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the environment (R2K_STORE, R2K_DATA_DIR, R2K_CACHE_DIR, R2K_SEC_USER_AGENT, R2K_DASK_SCHEDULER),
    else the defaults."""
    env = os.environ if environ is None else environ
    # "~" is expanded here: a shell does not expand it inside quotes or after "=" in every context
    store = Path(env[STORE_ENV]).expanduser() if env.get(STORE_ENV) else default_store_path()
    data_dir = Path(env[DATA_DIR_ENV]).expanduser() if env.get(DATA_DIR_ENV) else None
    cache = default_cache_dir() if CACHE_ENV not in env else (Path(env[CACHE_ENV]).expanduser() if env[CACHE_ENV] else None)
    return Settings(store_path=store, data_dir=data_dir, cache_dir=cache, sec_user_agent=env.get(SEC_USER_AGENT_ENV) or None,
                    dask_scheduler=env.get(DASK_SCHEDULER_ENV) or None)
