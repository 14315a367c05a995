"""The outlook's record published in the store by the update job: read back under its key only, it gives the outlook
exactly as computed, without the forecast cache; one record per symbol, replaced whole."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from outlook_support import light_ensemble, synthetic_map
from r2k.config import Settings
from r2k.outlook import build_outlook
from r2k.outlook.record import RECORD_PARTS, publish_record
from r2k.serialize import dumps
from r2k.snapshot import Snapshot
from r2k.store import Store

AS_OF = date(2021, 12, 31)
NOW = datetime(2022, 1, 3, 23, 30)


@pytest.fixture(autouse=True)
def _light(monkeypatch: pytest.MonkeyPatch) -> None:
    light_ensemble(monkeypatch)


def _outlook(path: Path, cache: Path | None) -> dict:
    with Store(path, read_only=True) as s:
        o = build_outlook(Snapshot(s, AS_OF, settings=Settings(store_path=path, cache_dir=cache)), rating_map=synthetic_map())
    return json.loads(dumps(o.to_dict()))


def test_a_published_record_gives_the_same_outlook_with_no_cache_at_all(outlook_market: Path, session_cache: Path,
                                                                        tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    shutil.copy(outlook_market, path)
    computed = _outlook(path, session_cache)
    with Store(path) as s:
        published = publish_record(Snapshot(s, AS_OF, settings=Settings(store_path=path, cache_dir=session_cache)), NOW,
                                   source="test")
        assert published is not None
        assert (published.symbol, published.name, published.as_of, published.source) == ("RUT", "outlook", AS_OF, "test")
    empty = tmp_path / "empty-cache"
    assert _outlook(path, empty) == computed  # the grades, record, scores and weights, from the store alone
    assert not list(empty.rglob("*.entry"))  # nothing was forecast, nothing cached
    assert _outlook(path, None) == computed


def test_a_record_is_read_only_under_its_own_key_and_replaced_whole(tmp_path: Path) -> None:
    parts = {"frame": pd.DataFrame({"origin": pd.to_datetime(["2021-12-31"]), "mean": [0.01]}),
             "weights": pd.DataFrame(), "left_out": pd.DataFrame({"note": pd.Series([], dtype=object)})}
    with Store(tmp_path / "s.duckdb") as s:
        assert s.published_record("RUT", "outlook") is None and s.read_record("RUT", "outlook", "k1", RECORD_PARTS) is None
        assert s.write_record("rut", "outlook", "k1", AS_OF, parts, "test", NOW)
        assert not s.write_record("RUT", "outlook", "k1", AS_OF, parts, "again", datetime(2022, 2, 1))  # the same: kept
        assert (s.published_record("RUT", "outlook").source, s.published_record("RUT", "outlook").written_at) == ("test", NOW)
        s.write_record("RUT", "monitor", "k9", AS_OF, {"frame": parts["frame"]}, "test", NOW)
        back = s.read_record("RUT", "outlook", "k1", RECORD_PARTS)
        assert back is not None
        pd.testing.assert_frame_equal(back["frame"], parts["frame"])
        assert back["weights"].empty and back["left_out"].empty
        assert s.read_record("RUT", "outlook", "k2", RECORD_PARTS) is None  # other inputs or code: not this record
        assert s.read_record("GSPC", "outlook", "k1", RECORD_PARTS) is None
        assert s.read_record("RUT", "monitor", "k1", ("frame",)) is None  # another record's key
        assert s.read_record("RUT", "outlook", "k1", (*RECORD_PARTS, "more")) is None  # a part missing: not used
        s.write_record("RUT", "outlook", "k2", date(2022, 1, 3), {"frame": parts["frame"]}, "test", NOW)
        assert s.read_record("RUT", "outlook", "k1", ("frame",)) is None  # replaced whole: one per symbol and name
        assert s.con.execute("SELECT name, count(*) FROM published_records GROUP BY name ORDER BY name").fetchall() == [
            ("monitor", 1), ("outlook", 1)]
        assert s.published_record("RUT", "outlook").key == "k2" and s.published_record("RUT", "monitor").key == "k9"
        s.con.execute("UPDATE published_records SET data = 'not parquet'::BLOB WHERE name = 'monitor'")
        assert s.read_record("RUT", "monitor", "k9", ("frame",)) is None  # unreadable bytes: a miss, recomputed
