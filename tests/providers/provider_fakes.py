"""Hand-made provider answers in the providers' real formats, and fakes for the network layers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parent / "fixtures"
PRICE_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def yahoo_history_fixture() -> pd.DataFrame:
    """What ``Ticker('^RUT').history(auto_adjust=False, actions=False)`` returns (read from its to_csv)."""
    frame = pd.read_csv(FIXTURES / "yahoo_history_RUT.csv", index_col="Date")
    frame.index = pd.to_datetime(frame.index, utc=True).tz_convert("America/New_York")
    frame.index.name = "Date"
    return frame


def yahoo_download_frame(history: pd.DataFrame, symbols: list[str], ticker_first: bool = False) -> pd.DataFrame:
    """The ``yf.download(symbols, auto_adjust=False)`` layout: tz-naive ``Date`` index, MultiIndex columns
    ``(Price, Ticker)`` sorted by price name (or ``(Ticker, Price)`` with ``group_by='ticker'``)."""
    naive = history.copy()
    naive.index = naive.index.tz_localize(None)
    parts = {sym: naive * (1 + i) for i, sym in enumerate(symbols)}  # each ticker different
    frame = pd.concat(parts, axis=1, names=["Ticker", "Price"])
    if not ticker_first:
        frame = frame.swaplevel(axis=1).sort_index(axis=1, level=0)
        frame.columns.names = ["Price", "Ticker"]
    return frame


def history_frame(rows: list[tuple], tz: str | None = "America/New_York") -> pd.DataFrame:
    """A ``history()``-shaped frame from (date, close, adj_close) rows (open/high/low = close)."""
    index = pd.DatetimeIndex([pd.Timestamp(d) for d, *_ in rows], name="Date")
    if tz:
        index = index.tz_localize(tz)
    closes = [c for _, c, _ in rows]
    adj = [a for *_, a in rows]
    return pd.DataFrame(
        {"Open": closes, "High": closes, "Low": closes, "Close": closes, "Adj Close": adj, "Volume": [1000] * len(rows)},
        index=index,
    )


class FakeResponse:
    """Enough of ``requests.Response`` for the FRED provider."""

    def __init__(self, status_code: int = 200, text: str = "", payload: object = None) -> None:
        self.status_code = status_code
        self.text = text if payload is None else json.dumps(payload)
        self._payload = payload

    def json(self) -> object:
        if self._payload is None:
            return json.loads(self.text)
        return self._payload


class RecordingGet:
    """A fake ``get(url, params=, timeout=)`` answering from a list (exceptions are raised)."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url: str, params: dict | None = None, timeout: object = None) -> FakeResponse:
        self.calls.append((url, dict(params or {})))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


class RecordingDownload:
    """A fake yfinance downloader: records (symbol, start, end_exclusive) and returns/raises answers in turn."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, date | None, date]] = []

    def __call__(self, symbol: str, start: date | None, end: date) -> pd.DataFrame:
        self.calls.append((symbol, start, end))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer(symbol, start, end) if callable(answer) else answer


def no_probe(host: str) -> None:
    """A reachability probe that always passes (the network layer is faked)."""
