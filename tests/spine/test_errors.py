"""Errors raised in worker processes come back whole (joblib pickles them)."""

from __future__ import annotations

import pickle

from r2k.errors import DataError, StoreError


def test_errors_survive_pickling() -> None:
    err = pickle.loads(pickle.dumps(DataError("RUT", "only 2 closes", row="2024-01-03")))
    assert isinstance(err, DataError) and str(err) == "RUT, 2024-01-03: only 2 closes"
    assert (err.source, err.problem, err.row) == ("RUT", "only 2 closes", "2024-01-03")
    assert str(pickle.loads(pickle.dumps(StoreError("no RUT")))) == "no RUT"
