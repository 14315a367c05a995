"""Dated headlines in: a CSV file (offline) or an RSS/Atom feed (on a connected machine).

Both give one frame with columns ``date`` (datetime64[us], the US/Eastern publication date),
``minute_et`` (minutes after midnight US/Eastern, NaN when the time is unknown), ``text`` and ``line``
(the CSV line or the feed item number, for error messages). It lives with the providers because it
is I/O (a file or the network); the sentiment package scores what it reads.

CSV layout: a ``date`` column (YYYY-MM-DD), a text column (``headline``, ``title`` or ``text``, or the
one named by the caller) and optionally ``time_et`` (``7:04 PM`` or ``16:30``). With
``include_description`` a ``description`` column is appended to the text.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from r2k.errors import DataError, ProviderError

TEXT_COLUMNS = ("headline", "title", "text")
TIME_COLUMNS = ("time_et", "time")
EASTERN = ZoneInfo("America/New_York")
ATOM = "{http://www.w3.org/2005/Atom}"
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?(?:\s*ET)?$")


def parse_minute(value: str, source: str, line: int) -> float:
    """Minutes after midnight of '7:04 PM', '19:04' or '19:04:00'; NaN for a blank value."""
    value = value.strip()
    if not value:
        return float("nan")
    m = _TIME.match(value)
    if m is None:
        raise DataError(source, f"unparseable time {value!r} (expected e.g. '7:04 PM' or '19:04')", row=line)
    hour, minute, ampm = int(m.group(1)), int(m.group(2)), m.group(3)
    if ampm:
        if not 1 <= hour <= 12:
            raise DataError(source, f"unparseable time {value!r} (hour {hour} with AM/PM)", row=line)
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DataError(source, f"unparseable time {value!r} (out of range)", row=line)
    return float(hour * 60 + minute)


def _pick(columns: list[str], wanted: tuple[str, ...]) -> str | None:
    return next((c for c in wanted if c in columns), None)


def read_headlines(path: Path | str, text_column: str | None = None, include_description: bool = False) -> pd.DataFrame:
    """Read a dated headline CSV; any bad row raises DataError naming the file and line."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise DataError(source, "file not found")
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise DataError(source, "empty file", row=1)
            cols = [h.strip().lower() for h in header]
            if "date" not in cols:
                raise DataError(source, f"no 'date' column (columns: {', '.join(cols)})", row=1)
            text_col = text_column.lower() if text_column else _pick(cols, TEXT_COLUMNS)
            if text_col is None or text_col not in cols:
                want = text_column or " or ".join(TEXT_COLUMNS)
                raise DataError(source, f"no text column {want!r} (columns: {', '.join(cols)})", row=1)
            if include_description and "description" not in cols:
                raise DataError(source, f"no 'description' column (columns: {', '.join(cols)})", row=1)
            i_date, i_text = cols.index("date"), cols.index(text_col)
            time_col = _pick(cols, TIME_COLUMNS)
            i_time = cols.index(time_col) if time_col else None
            i_desc = cols.index("description") if include_description else None
            rows: list[tuple[pd.Timestamp, float, str, int]] = []
            start = reader.line_num + 1
            for rec in reader:
                line, start = start, reader.line_num + 1
                if not any(f.strip() for f in rec):
                    continue
                if len(rec) != len(cols):
                    raise DataError(source, f"{len(rec)} fields, expected {len(cols)}", row=line)
                try:
                    day = datetime.strptime(rec[i_date].strip(), "%Y-%m-%d")
                except ValueError:
                    raise DataError(source, f"unparseable date {rec[i_date]!r} (expected YYYY-MM-DD)", row=line) from None
                minute = parse_minute(rec[i_time], source, line) if i_time is not None else float("nan")
                text = rec[i_text].strip()
                if i_desc is not None and rec[i_desc].strip():
                    text = f"{text}. {rec[i_desc].strip()}" if text else rec[i_desc].strip()
                if not text:
                    raise DataError(source, f"empty {text_col!r}", row=line)
                rows.append((pd.Timestamp(day), minute, text, line))
    except UnicodeDecodeError as exc:
        raise DataError(source, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not rows:
        raise DataError(source, "no headline rows")
    return _frame(rows)


def _frame(rows: list[tuple[pd.Timestamp, float, str, int]]) -> pd.DataFrame:
    dates, minutes, texts, lines = zip(*rows)
    return pd.DataFrame({
        "date": pd.DatetimeIndex(dates).astype("datetime64[us]"),
        "minute_et": np.asarray(minutes, dtype="float64"),
        "text": pd.Series(texts, dtype="str"),
        "line": np.asarray(lines, dtype="int64"),
    })


def _eastern(stamp: datetime) -> tuple[pd.Timestamp, float]:
    if stamp.tzinfo is None:  # RFC 822 "-0000" means UTC with unknown local zone
        stamp = stamp.replace(tzinfo=UTC)
    local = stamp.astimezone(EASTERN)
    return pd.Timestamp(local.date()), float(local.hour * 60 + local.minute)


def parse_feed(xml_text: str | bytes, source: str) -> pd.DataFrame:
    """Items of an RSS 2.0 or Atom feed (title + publication time); DataError on malformed XML or dates."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise DataError(source, f"malformed feed XML ({exc})") from None
    rows: list[tuple[pd.Timestamp, float, str, int]] = []
    items = root.iter("item")
    atom = root.iter(f"{ATOM}entry")
    for n, item in enumerate([*items, *atom], start=1):
        title = (item.findtext("title") or item.findtext(f"{ATOM}title") or "").strip()
        when = item.findtext("pubDate") or item.findtext(f"{ATOM}published") or item.findtext(f"{ATOM}updated")
        if not title:
            continue
        if not when:
            raise DataError(source, "feed item has no publication date", row=f"item {n}")
        try:
            stamp = parsedate_to_datetime(when.strip()) if item.tag == "item" else datetime.fromisoformat(when.strip())
        except (TypeError, ValueError):
            raise DataError(source, f"unparseable publication date {when!r}", row=f"item {n}") from None
        day, minute = _eastern(stamp)
        rows.append((day, minute, title, n))
    if not rows:
        raise DataError(source, "feed has no dated items")
    return _frame(rows)


def fetch_feed(url: str, timeout: float = 10.0) -> pd.DataFrame:
    """Download and parse an RSS/Atom feed; any network failure raises ProviderError."""
    import requests

    try:
        resp = requests.get(url, timeout=timeout, headers={"User-Agent": "r2k (sentiment index)"})
        resp.raise_for_status()
    except requests.RequestException as exc:
        raise ProviderError(f"feed {url}: could not download ({type(exc).__name__}: {exc}); offline?") from None
    return parse_feed(resp.content, url)


def load_headlines(location: str | Path, text_column: str | None = None, include_description: bool = False,
                   timeout: float = 10.0) -> pd.DataFrame:
    """A feed URL (http/https) or a CSV path."""
    loc = str(location)
    if loc.startswith(("http://", "https://")):
        return fetch_feed(loc, timeout=timeout)
    return read_headlines(loc, text_column=text_column, include_description=include_description)


def read_text_column(path: Path | str, column: str = "text") -> list[str]:
    """Every value of one column of a CSV file (empty cells as ""), for batch scoring; DataError naming the file
    when it is missing, not UTF-8, has no such column or a row of the wrong width."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            if column not in header:
                raise DataError(str(path), f"no column {column!r} (columns: {', '.join(header) or 'none'})", row=1)
            at = header.index(column)
            texts = []
            for rec in reader:
                if not rec:
                    continue
                if len(rec) != len(header):
                    raise DataError(str(path), f"{len(rec)} fields where the header has {len(header)}",
                                    row=reader.line_num)
                texts.append(rec[at])
    except FileNotFoundError:
        raise DataError(str(path), "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return texts
