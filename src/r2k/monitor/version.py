"""The model version stamped on every logged forecast: the package version plus a short hash of the tuned
parameters, so a change of tuning starts a new record instead of mixing into the old one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import r2k

TUNED_PATH = Path(__file__).resolve().parents[1] / "models" / "tuned.json"


def model_version(tuned: Path | None = None) -> str:
    """``<package version>+<first 8 hex digits of sha256(tuned.json)>``, or ``+untuned`` without the file."""
    path = TUNED_PATH if tuned is None else tuned
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    except FileNotFoundError:
        digest = "untuned"
    return f"{r2k.__version__}+{digest}"
