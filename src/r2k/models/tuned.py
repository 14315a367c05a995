"""Tuned hyperparameters shipped with the package (``tuned.json``, written by ``r2k tune``).

Models read their defaults from here, so a backtest uses what the last search chose on data up to the
tuning cutoff; the file's content hash goes into the model record so a forecast says which tuning it used.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

TUNED_PATH = Path(__file__).with_name("tuned.json")
FORMAT_VERSION = 1


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"format": FORMAT_VERSION, "models": {}}
    return json.loads(path.read_text(encoding="utf-8"))


INSTALLED = ("site-packages", "dist-packages")


def default_tuned_target(path: Path = TUNED_PATH) -> Path | None:
    """Where ``r2k tune`` writes by default: the package's file in a source checkout (it is committed from there);
    None for an installed package, whose files a search must never rewrite (give ``--out`` instead)."""
    return None if any(part in INSTALLED for part in path.parts) else path


def tuned_record(model: str, path: Path = TUNED_PATH) -> dict[str, Any] | None:
    """The whole record of one model (params, trials, cutoff, seed, best CRPS, date written, version), or None."""
    return _load(path).get("models", {}).get(model)


def tuned_params(model: str, path: Path = TUNED_PATH) -> dict[str, Any]:
    """The tuned parameters of ``model`` ({} when it was never tuned)."""
    rec = tuned_record(model, path)
    return dict(rec["params"]) if rec else {}


def tuned_params_hash(path: Path = TUNED_PATH) -> str:
    """First 12 hex digits of the SHA-256 of the file's bytes ("none" when there is no file)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "none"


def clear_cache() -> None:
    """Forget loaded files (after ``r2k tune`` rewrote one)."""
    _load.cache_clear()
