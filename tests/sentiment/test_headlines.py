"""Reading headline CSVs and feeds: layouts, times, and errors that name the file and line."""

from __future__ import annotations

import pytest

from r2k.errors import DataError, ProviderError
from r2k.providers.headlines import fetch_feed, load_headlines, parse_feed, parse_minute, read_headlines


def test_reads_headline_csv_with_times_and_multiline_fields(write_csv):
    path = write_csv('date,time_et,source,headline,description\n'
                     '2024-01-05,7:04 PM,x,Stocks rally,"two\nlines"\n'
                     '2024-01-08,9:30 AM,x,Stocks slip,\n'
                     '2024-01-08,,x,No time given,d\n')
    f = read_headlines(path)
    assert list(f["text"]) == ["Stocks rally", "Stocks slip", "No time given"]
    assert list(f["minute_et"].fillna(-1)) == [19 * 60 + 4, 9 * 60 + 30, -1]
    assert list(f["line"]) == [2, 4, 5]  # the quoted field spans lines 2-3
    assert str(f["date"].dtype) == "datetime64[us]"
    with_desc = read_headlines(path, include_description=True)
    assert with_desc["text"].iloc[0] == "Stocks rally. two\nlines"


def test_minimal_layout_without_time(write_csv):
    f = load_headlines(write_csv("date,text\n2024-01-05,Hello\n"))
    assert f["minute_et"].isna().all() and list(f["text"]) == ["Hello"]


@pytest.mark.parametrize("value, minutes", [("7:04 PM", 1144), ("12:00 AM", 0), ("12:30 pm", 750), ("16:00", 960),
                                            ("09:15:00", 555), ("4:00 PM ET", 960)])
def test_parse_minute(value, minutes):
    assert parse_minute(value, "f", 2) == minutes


@pytest.mark.parametrize("content, message, line", [
    ("day,headline\n2024-01-05,x\n", "no 'date' column", 1),
    ("date,source\n2024-01-05,x\n", "no text column", 1),
    ("date,headline\n2024-01-05,ok\n2024-13-01,bad month\n", "unparseable date '2024-13-01'", 3),
    ('date,headline,description\n2024-01-05,"a\nb",c\n05/01/2024,x,y\n', "unparseable date '05/01/2024'", 4),
    ("date,time_et,headline\n2024-01-05,25:00,x\n", "unparseable time '25:00'", 2),
    ("date,time_et,headline\n2024-01-05,13:00 PM,x\n", "unparseable time '13:00 PM'", 2),
    ("date,headline\n2024-01-05,x,extra\n", "3 fields, expected 2", 2),
    ("date,headline\n2024-01-05,\n", "empty 'headline'", 2),
])
def test_csv_errors_name_file_and_line(write_csv, content, message, line):
    path = write_csv(content)
    with pytest.raises(DataError, match=message) as err:
        read_headlines(path)
    assert err.value.row == line and str(path) in str(err.value)


def test_empty_and_missing_files(write_csv, tmp_path):
    with pytest.raises(DataError, match="empty file"):
        read_headlines(write_csv(""))
    with pytest.raises(DataError, match="no headline rows"):
        read_headlines(write_csv("date,headline\n"))
    with pytest.raises(DataError, match="file not found"):
        read_headlines(tmp_path / "absent.csv")
    bad = tmp_path / "latin.csv"
    bad.write_bytes("date,headline\n2024-01-05,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_headlines(bad)


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Stocks rally late</title><pubDate>Fri, 05 Jan 2024 21:30:00 GMT</pubDate></item>
<item><title>Futures slip</title><pubDate>Mon, 08 Jan 2024 09:15:00 -0500</pubDate></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>Summer headline</title><updated>2024-07-03T20:00:00+00:00</updated></entry></feed>"""


def test_parse_rss_and_atom_to_eastern_time():
    f = parse_feed(RSS, "feed")
    assert [d.isoformat() for d in f["date"].dt.date] == ["2024-01-05", "2024-01-08"]
    assert list(f["minute_et"]) == [16 * 60 + 30, 9 * 60 + 15]  # 21:30 GMT = 16:30 EST
    a = parse_feed(ATOM, "feed")
    assert a["minute_et"].iloc[0] == 16 * 60  # 20:00 UTC = 16:00 EDT
    with pytest.raises(DataError, match="malformed feed XML"):
        parse_feed(b"<rss><item>", "feed")
    with pytest.raises(DataError, match="unparseable publication date"):
        parse_feed(b"<rss><channel><item><title>x</title><pubDate>soon</pubDate></item></channel></rss>", "feed")


def test_fetch_feed_offline_is_a_provider_error(monkeypatch):
    import requests

    def offline(*args, **kwargs):
        assert kwargs["timeout"] == 3.0
        raise requests.ConnectionError("Name or service not known")

    monkeypatch.setattr(requests, "get", offline)
    with pytest.raises(ProviderError, match="feed https://example.invalid/rss: could not download"):
        fetch_feed("https://example.invalid/rss", timeout=3.0)
