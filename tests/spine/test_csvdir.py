"""The CSV directory provider: which files are series, their ids and kinds, and errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from r2k.errors import DataError
from r2k.providers.csvdir import read_series_csv, series_files


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_series_files_ids_and_skips(tmp_path: Path) -> None:
    write(tmp_path / "rut.csv", "date,close\n2024-01-02,10\n")
    write(tmp_path / "fred" / "DGS10.csv", "date,value\n2024-01-02,4.1\n")
    write(tmp_path / "text" / "news.csv", "date,headline\n")
    write(tmp_path / "IWM_dividends.csv", "date,dividend,note\n")
    write(tmp_path / "notes.txt", "not a csv")
    files, skipped = series_files(tmp_path)
    assert sorted(f.series_id for f in files) == ["DGS10", "RUT"]
    assert sorted(p.name for p in skipped) == ["IWM_dividends.csv", "news.csv"]


def test_duplicate_ids_across_folders_are_an_error(tmp_path: Path) -> None:
    write(tmp_path / "a" / "X.csv", "date,value\n2024-01-02,1\n")
    write(tmp_path / "b" / "x.csv", "date,value\n2024-01-02,1\n")
    with pytest.raises(DataError, match="series id X is also given by"):
        series_files(tmp_path)


def test_read_price_and_macro(tmp_path: Path) -> None:
    p = write(tmp_path / "iwm.csv", "date,open,high,low,close,adj_close,volume\n2024-01-03,2,3,1,2.5,2.4,100\n2024-01-02,1,2,1,1.5,1.4,\n")
    item = read_series_csv(p)
    assert (item.id, item.kind) == ("IWM", "price")
    assert item.frame["close"].tolist() == [1.5, 2.5]
    assert item.source.startswith("csv:") and item.source.endswith("iwm.csv")
    m = read_series_csv(write(tmp_path / "DGS2.csv", "date,value\n2024-01-02,\n2024-01-03,4.5\n"))
    assert m.kind == "macro" and m.frame["value"].tolist() == [4.5]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    item = read_series_csv(write(tmp_path / "X.csv", b"\xef\xbb\xbfdate,value\n2024-01-02,1\n"))
    assert item.frame["value"].tolist() == [1.0]


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty file"),
        ("\n\n", "empty file"),
        ("date,close\n", "no data rows"),
        (b"date,value\n2024-01-02,\xff\xfe\n", "not UTF-8"),
        ("date,close\n2024-01-02,1\n02/01/2024,2\n", "line 3: unparseable date"),
        ("date,close\n2024-01-02,1\n2024-01-03,1,2\n", "malformed CSV"),
        ("when,close\n2024-01-02,1\n", "line 1: no 'date' column"),
        ("date,close\n2024-01-02,1\n\n2024-01-03,x\n", "line 4: column 'close' has non-numeric value 'x'"),
        ("date,close\n2024-01-02,1,3\n2024-01-03,2,4\n", "line 2: malformed CSV: 3 fields, the header has 2"),
        ("date,open,close\n2024-01-02,1\n", "line 2: malformed CSV: 2 fields, the header has 3"),
        ("date,close,close\n2024-01-02,1,2\n", "line 1: column(s) close given twice"),
        ("date,close\n2024-01-02,1\n2024-01-03,inf\n", "line 3: column 'close' has non-numeric value 'inf'"),
        ("date,value\n2024-01-02,1e400\n", "line 2: column 'value' has non-numeric value '1e400'"),
        ("date,value\n2024-01-02,1\n2024,2\n", "line 3: unparseable date '2024'"),
        ("date,value\n2024-01,1\n", "line 2: unparseable date '2024-01'"),
        ("date,value\r\n2024-01-02,1\r\n2024-01-03,x\r\n", "line 3: column 'value' has non-numeric"),
        ("date,value\n2024-01-02,1\n".encode("utf-16"), "line 1: not UTF-8"),
        ("date,value\n2024-01-02,1\n2024-01-03,caf\u00e9\n".encode("latin-1"), "line 3: not UTF-8 text (byte 38)"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, content: str | bytes, message: str) -> None:
    p = write(tmp_path / "BAD.csv", content)
    with pytest.raises(DataError) as err:
        read_series_csv(p)
    assert str(err.value).startswith(str(p))
    assert message in str(err.value)


def test_timestamps_keep_their_written_date(tmp_path: Path) -> None:
    text = "date,close\n2024-01-02T20:00:00-05:00,1\n2024-01-03 15:30,2\n2024-01-04T00:00:00Z,3\n"
    item = read_series_csv(write(tmp_path / "X.csv", text))
    assert item.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-03", "2024-01-04"]
    assert item.frame["close"].tolist() == [1.0, 2.0, 3.0]
