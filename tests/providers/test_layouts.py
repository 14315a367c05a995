"""Real download layouts (Yahoo Finance, FRED, Nasdaq, Stooq, date,<number>) import into canonical frames;
anything ambiguous or unknown is an error naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from r2k.cli.app import app
from r2k.errors import DataError
from r2k.providers.csvdir import read_series_csv, series_files
from r2k.store import Store

DOWNLOADS = Path(__file__).parent / "fixtures" / "downloads"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_yahoo_download_keeps_adjusted_close_and_maps_symbol_to_catalog_id() -> None:
    item = read_series_csv(DOWNLOADS / "^RUT.csv")
    assert (item.id, item.kind) == ("RUT", "price")
    f = item.frame
    assert f["close"].tolist() == [1992.969971, 1947.329956, 1952.619995]
    assert f["adj_close"].tolist() == f["close"].tolist()
    assert f["volume"].isna().tolist() == [False, True, False]  # "null" is missing


def test_fred_both_headers_dot_and_empty_are_missing() -> None:
    new = read_series_csv(DOWNLOADS / "DGS10.csv")
    assert (new.id, new.kind) == ("DGS10", "macro")
    assert new.frame["value"].tolist() == [3.95, 3.91]
    old = read_series_csv(DOWNLOADS / "UNRATE.csv")
    assert old.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-11-01", "2024-01-01"]


def test_nasdaq_us_dates_dollars_and_thousands() -> None:
    item = read_series_csv(DOWNLOADS / "QQQ.csv")
    f = item.frame
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-29", "2024-01-03", "2024-01-04"]
    assert f["close"].tolist() == [201.20, 193.76, 193.25]
    assert f["high"].tolist() == [202.24, 196.31, 195.17]
    assert f["volume"].tolist()[1:] == [28742800.0, 31234100.0] and f["volume"].isna().iloc[0]


def test_stooq_and_one_numeric_column() -> None:
    assert read_series_csv(DOWNLOADS / "SPX.csv").frame["close"].tolist() == [4742.83, 4704.81]
    sp = read_series_csv(DOWNLOADS / "SP500.csv")
    assert sp.kind == "macro" and sp.frame["value"].tolist() == [4742.83, 4704.81]


def test_money_signs_are_only_parsed_where_the_layout_uses_them(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"line 2: column 'close' has non-numeric value '\$10'"):
        read_series_csv(write(tmp_path / "X.csv", "Date,Open,High,Low,Close,Volume\n2024-01-02,9,11,8,$10,5\n"))

def test_fred_dot_is_missing_in_date_value_files_too(tmp_path: Path) -> None:
    item = read_series_csv(write(tmp_path / "Y.csv", "date,value\n2024-01-02,.\n2024-01-03,1.5\n"))
    assert item.kind == "macro" and item.frame["value"].tolist() == [1.5]
    one = read_series_csv(write(tmp_path / "Z.csv", "date,T10Y2Y\n2024-01-02,.\n2024-01-03,-0.25\n"))
    assert one.frame["value"].tolist() == [-0.25]
    with pytest.raises(DataError, match=r"line 2: column 'close' has non-numeric value '\.'"):  # not in a price file
        read_series_csv(write(tmp_path / "P.csv", "date,close\n2024-01-02,.\n"))


@pytest.mark.parametrize("header", ["observation_date,UNRATE", "DATE,UNRATE"])
def test_a_fred_file_whose_header_names_another_series_is_refused(tmp_path: Path, header: str) -> None:
    path = write(tmp_path / "DGS10.csv", f"{header}\n2024-01-02,3.9\n")
    with pytest.raises(DataError, match=r"DGS10\.csv, line 1: the header names the series UNRATE but the file name "
                                        r"says DGS10: rename the file to UNRATE\.csv"):
        read_series_csv(path)
    assert read_series_csv(write(tmp_path / "dgs10.csv", "observation_date,DGS10\n2024-01-02,3.9\n")).id == "DGS10"


@pytest.mark.parametrize("text, message", [
    ("date,close\n01/02/2024,1\n02/03/2024,2\n", "line 2: ambiguous dates"),
    ("date,close\n13/01/2024,1\n", "line 2: date '13/01/2024' is day-first"),
    ("date,close\n01/13/2024,1\n2024-01-14,2\n", "line 3: unparseable date '2024-01-14' (the column is MM/DD/YYYY)"),
    ("date,close\n02/30/2024,1\n01/13/2024,1\n", "line 2: unparseable date '02/30/2024'"),
    ("Date,Close/Last,Volume,Open,High,Low\n13/01/2024,$1,1,$1,$1,$1\n", "day-first"),
    ("Date,Open,Shout\n2024-01-02,1,2\n", "unknown column layout (Date, Open, Shout); accepted layouts: r2k"),
])
def test_bad_layouts_and_dates(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError) as err:
        read_series_csv(write(tmp_path / "BAD.csv", text))
    assert message in str(err.value) and str(err.value).startswith(str(tmp_path / "BAD.csv"))


@pytest.mark.parametrize("header", ["Date ,Close", "\xa0date,close", " date , close ", "date\t,\xa0Close\xa0",
                                    "\ufeffDate ,Close"])
def test_spaces_and_nbsp_around_header_names_are_ignored(tmp_path: Path, header: str) -> None:
    item = read_series_csv(write(tmp_path / "X.csv", f"{header}\n2024-01-02,10.5\n2024-01-03,11\n"))
    assert item.kind == "price" and item.frame["close"].tolist() == [10.5, 11.0]
    assert item.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-03"]


def test_spaces_around_a_fred_header_are_ignored(tmp_path: Path) -> None:
    item = read_series_csv(write(tmp_path / "DGS10.csv", "observation_date , DGS10\xa0\n2024-01-02,3.95\n2024-01-03,.\n"))
    assert item.kind == "macro" and item.frame["value"].tolist() == [3.95]  # "." is missing: no row


def test_unambiguous_us_dates_in_any_layout(tmp_path: Path) -> None:
    f = read_series_csv(write(tmp_path / "X.csv", "date,close\n01/13/2024,1\n1/2/2024,2\n")).frame
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-13"]


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>.csv", "a b.csv", "x'y.csv", "é.csv"])
def test_unsafe_ids_are_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, "date,close\n2024-01-02,1\n")
    with pytest.raises(DataError, match="has characters other than letters, digits"):
        series_files(tmp_path)


def test_import_directory_of_downloads_prints_the_chosen_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DOWNLOADS, data)
    store = tmp_path / "s.duckdb"
    res = CliRunner().invoke(app, ["data", "import", str(data), "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "^RUT.csv -> RUT" in res.output
    with Store(store, read_only=True) as s:
        assert sorted(i.id for i in s.status()) == ["DGS10", "QQQ", "RUT", "SP500", "SPX", "UNRATE"]
