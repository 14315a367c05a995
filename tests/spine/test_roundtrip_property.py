"""Property: any valid price or macro frame survives store -> read unchanged, and re-writing it changes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
from hypothesis import given, settings
from hypothesis import strategies as st

from r2k.providers.base import SeriesData
from r2k.schemas import validate
from r2k.store import Store
from tests_support import NOW

values = st.one_of(st.none(), st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))


@settings(max_examples=25, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=20000), min_size=1, max_size=40, unique=True),
    data=st.data(),
)
def test_price_round_trip(offsets: list[int], data: st.DataObject) -> None:
    n = len(offsets)
    close = data.draw(st.lists(st.floats(min_value=1e-3, max_value=1e6, allow_nan=False), min_size=n, max_size=n))
    volume = data.draw(st.lists(values, min_size=n, max_size=n))
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("1990-01-01") + pd.to_timedelta(offsets, unit="D"),
            "close": close,
            "volume": [np.nan if v is None else v for v in volume],
        }
    )
    item = SeriesData("X", "price", validate(frame, "price", "prop"), "prop")
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "p.duckdb") as s:
            s.write([item], "prop", NOW)
            pdt.assert_frame_equal(s.read("X"), item.frame)
            again = s.write([item], "prop", NOW)
            assert again.rows_new == 0 and again.rows_changed == 0
