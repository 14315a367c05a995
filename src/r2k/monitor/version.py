"""The frozen model version stamped on every logged forecast: the package version plus a short hash of everything
that decides a forecast or its rating — the source of the packages a forecast runs through and their parameter
files (``models/tuned.json`` included: the forecast cache's code fingerprint) and the rating map. Any change of
code, tuning or rating map starts a new record instead of mixing into the old one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import r2k

RATING_MAP = Path(__file__).resolve().parents[1] / "outlook" / "rating_map.json"
DIGITS = 10


def model_version(fingerprint: str | None = None, rating_map: Path = RATING_MAP) -> str:
    """``<package version>+<first 10 hex digits of sha256(code fingerprint, rating map)>``."""
    if fingerprint is None:
        from r2k.store.forecast_cache import code_fingerprint

        fingerprint = code_fingerprint()
    h = hashlib.sha256(fingerprint.encode())
    h.update(rating_map.read_bytes() if rating_map.exists() else b"no rating map")
    return f"{r2k.__version__}+{h.hexdigest()[:DIGITS]}"
