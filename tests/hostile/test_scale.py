"""Scale: chunked CSV reading gives the same frame and the same line numbers; detection is bounded in weeks.
(The figures for a 200 MB file and a 400-year series are in bench/bench_scale.py.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from r2k.analytics.trend_detect import DetectionParams, detect_segments
from r2k.errors import DataError
from r2k.providers import csvdir


def test_chunks_read_the_same_frame_and_name_the_right_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    days = pd.bdate_range("2020-01-01", periods=50).strftime("%Y-%m-%d")
    text = "date,close\n" + "".join(f"{d},{i + 1}\n" for i, d in enumerate(days)) + f"{days[3]},4\n"  # a repeat
    p = tmp_path / "X.csv"
    p.write_text(text)
    whole = csvdir.read_series_csv(p).frame
    monkeypatch.setattr(csvdir, "CHUNK_ROWS", 7)
    pd.testing.assert_frame_equal(csvdir.read_series_csv(p).frame, whole)
    p.write_text(text + f"{days[10]},99\n")  # line 53 repeats the date of line 12 with another value
    with pytest.raises(DataError, match="line 53: duplicate date"):
        csvdir.read_series_csv(p)
    p.write_text(text.replace(f"{days[20]},21", f"{days[20]},x"))
    with pytest.raises(DataError, match="line 22: column 'close' has non-numeric value 'x'"):
        csvdir.read_series_csv(p)


def test_detection_segments_at_most_max_weeks() -> None:
    days = pd.bdate_range("1990-01-01", periods=1500)
    close = pd.Series(100 * np.exp(np.cumsum(np.random.default_rng(3).normal(0.0003, 0.01, len(days)))), index=days)
    det = detect_segments(close, DetectionParams(max_weeks=200))
    assert det.weekly_n == 200
    assert det.coarse_segments[0].start > days[0]
