"""Yahoo Finance provider (via yfinance): daily bars for indices and ETFs, and IWM shares outstanding.

Traps handled (see docs/providers.md):

* offline, ``yf.download`` returns an EMPTY frame and only prints the error: an empty frame is an error
  here, and a TCP probe of the Yahoo host runs before the first request so offline fails in seconds;
* ``download`` returns MultiIndex columns (``Price, Ticker`` or ``Ticker, Price``): the ticker level is
  selected, whichever level it is;
* ``auto_adjust`` defaults to True (adjusted OHLC, no ``Adj Close``): we ask for raw prices
  (``auto_adjust=False``) and reject frames without ``Adj Close``;
* a tz-aware index can shift dates by a day: timestamps are converted to the exchange's local date
  (America/New_York) before the time zone is dropped;
* rate limits: retried with exponential backoff (injectable ``sleep``).

``extract`` takes an injectable ``download(symbol, start, end_exclusive)`` returning a frame shaped like
yfinance's output, so tests replay hand-made frames.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from r2k.errors import DataError, ProviderError
from r2k.providers import net
from r2k.providers.base import Provider, Query, Request, SeriesData
from r2k.schemas import validate

YAHOO_HOST = "query2.finance.yahoo.com"
SERVICE = "Yahoo Finance"
EXCHANGE_TZ = "America/New_York"
SOURCE_PREFIX = "yahoo"
SHARES_SOURCE_PREFIX = "yahoo-shares"

# store id -> Yahoo symbol (the ids match the CSV files of ../shared/data)
SYMBOLS: dict[str, str] = {
    "RUT": "^RUT",
    "GSPC": "^GSPC",
    "VIX": "^VIX",
    "IWM": "IWM",
    "RVX": "^RVX",  # CBOE Russell 2000 volatility index (implied_vol uses it where it scores better than VIX)
    **{t: t for t in ("XLB", "XLC", "XLE", "XLF", "XLI", "XLK", "XLP", "XLRE", "XLU", "XLV", "XLY")},
}
# macro ids for shares outstanding -> fund symbol (fetched only when asked for by id)
SHARES: dict[str, str] = {"IWM_SHARES": "IWM"}

COLUMNS = {"Open": "open", "High": "high", "Low": "low", "Close": "close", "Adj Close": "adj_close", "Volume": "volume"}
IGNORED = frozenset({"Dividends", "Stock Splits", "Capital Gains", "Repaired?"})

Downloader = Callable[[str, "date | None", date], pd.DataFrame]
SharesGetter = Callable[[str, date, date], "pd.Series | None"]
Probe = Callable[[str], None]

_cache_ready = False


def _prepare_yfinance():
    """Import yfinance once, with its caches in the user cache dir (not the repo or ~/.cache/py-yfinance)."""
    global _cache_ready
    import platformdirs
    import yfinance as yf

    if not _cache_ready:
        cache = Path(platformdirs.user_cache_dir("r2k", appauthor=False)) / "yfinance"
        cache.mkdir(parents=True, exist_ok=True)
        yf.set_tz_cache_location(str(cache))
        _cache_ready = True
    return yf


@contextmanager
def _quiet_yfinance() -> Iterator[None]:
    """yfinance logs its failures to stderr; ours become one ProviderError line instead."""
    logger = logging.getLogger("yfinance")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def yfinance_history(symbol: str, start: date | None, end_exclusive: date) -> pd.DataFrame:
    """Default downloader: ``Ticker.history`` with raw OHLC and Adj Close.

    Like ``download``, it only logs most failures and returns an empty frame (yfinance's default
    ``config.debug.hide_exceptions``); only rate limits raise. The empty frame is turned into an error by
    :func:`bars_from_yahoo`, and the TCP probe tells offline apart first.
    """
    yf = _prepare_yfinance()
    span = {"start": start.isoformat()} if start else {"period": "max"}
    with _quiet_yfinance():
        return yf.Ticker(symbol).history(
            **span, end=end_exclusive.isoformat(), interval="1d", auto_adjust=False, actions=False, timeout=30
        )


def yfinance_shares(symbol: str, start: date, end: date) -> pd.Series | None:
    """Default shares getter: ``Ticker.get_shares_full`` (None when Yahoo has no share counts)."""
    yf = _prepare_yfinance()
    with _quiet_yfinance():
        return yf.Ticker(symbol).get_shares_full(start=start.isoformat(), end=(end + timedelta(days=1)).isoformat())


def is_rate_limited(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return "ratelimit" in text or "too many requests" in text or "rate limited" in text or "429" in text


def local_dates(index: pd.Index) -> pd.DatetimeIndex:
    """Trading dates of a yfinance index: tz-aware stamps are read in the exchange's time zone first."""
    stamps = pd.DatetimeIndex(index)
    if stamps.tz is not None:
        stamps = stamps.tz_convert(EXCHANGE_TZ).tz_localize(None)
    return stamps.normalize().astype("datetime64[us]")


def select_ticker(raw: pd.DataFrame, symbol: str, source: str) -> pd.DataFrame:
    """Flatten MultiIndex columns to the price level of ``symbol`` (either level order)."""
    if not isinstance(raw.columns, pd.MultiIndex):
        return raw
    for level in range(raw.columns.nlevels):
        if symbol in raw.columns.get_level_values(level):
            return raw.xs(symbol, axis=1, level=level)
    tickers = sorted({str(v) for lvl in range(raw.columns.nlevels) for v in raw.columns.get_level_values(lvl)} - set(COLUMNS) - IGNORED)
    raise ProviderError(f"{source}: the Yahoo frame has no columns for {symbol} (tickers: {', '.join(tickers) or 'none'})")


def _inside(dates: pd.Series, start: date | None, end: date) -> pd.Series:
    """Rows inside [start, end] (Yahoo sometimes appends the latest quote after the requested end)."""
    keep = dates <= pd.Timestamp(end)
    return keep & (dates >= pd.Timestamp(start)) if start else keep


def bars_from_yahoo(raw: pd.DataFrame, symbol: str, series_id: str, start: date | None, end: date) -> pd.DataFrame:
    """Canonical bars from a frame shaped like yfinance output (``history`` or ``download``)."""
    where = f"{series_id} (Yahoo {symbol})"
    span = f"{start or 'the first date'} to {end}"
    if raw is None or raw.empty:
        raise ProviderError(
            f"{where}: Yahoo Finance returned no rows for {span} (offline, unknown symbol, or no trading days)"
        )
    frame = select_ticker(raw, symbol, where)
    frame = frame.drop(columns=[c for c in frame.columns if c in IGNORED])
    unknown = [str(c) for c in frame.columns if c not in COLUMNS]
    if unknown:
        raise ProviderError(f"{where}: unexpected Yahoo columns {', '.join(unknown)}")
    if "Adj Close" not in frame.columns:
        raise ProviderError(f"{where}: no 'Adj Close' column: the frame was downloaded with auto_adjust=True; raw prices are needed")
    out = frame.rename(columns=COLUMNS).reset_index(drop=True)
    out.insert(0, "date", local_dates(frame.index))
    out["volume"] = out["volume"].where(out["volume"] != 0)  # 0 = not reported (indices, halted days)
    out = out[out[list(COLUMNS.values())].notna().any(axis=1)]
    out = out[_inside(out["date"], start, end)]
    if out.empty:
        raise ProviderError(f"{where}: Yahoo Finance returned no rows inside {span}")
    try:
        return validate(out, "price", f"yahoo:{symbol}")
    except DataError as exc:
        raise ProviderError(f"{series_id}: bad data from Yahoo Finance: {exc}") from None


def shares_from_yahoo(raw: pd.Series | None, symbol: str, series_id: str, start: date | None, end: date) -> pd.DataFrame:
    """Canonical ``date, value`` frame of shares outstanding (the last count reported on each date)."""
    if raw is None or len(raw) == 0:
        raise ProviderError(f"{series_id}: Yahoo Finance has no shares-outstanding history for {symbol} ({start or 'start'} to {end})")
    frame = pd.DataFrame({"date": local_dates(raw.index), "value": pd.to_numeric(raw.to_numpy(), errors="coerce")})
    frame = frame.dropna().drop_duplicates("date", keep="last")
    frame = frame[_inside(frame["date"], start, end)]
    if frame.empty:
        raise ProviderError(f"{series_id}: Yahoo Finance reported no share counts for {symbol} between {start} and {end}")
    try:
        return validate(frame, "macro", f"yahoo-shares:{symbol}")
    except DataError as exc:
        raise ProviderError(f"{series_id}: bad share counts from Yahoo Finance: {exc}") from None


class _YahooBase(Provider):
    """Shared request plumbing: one reachability probe per instance, rate-limit retries, one-line errors."""

    def __init__(self, probe: Probe | None = None, sleep: Callable[[float], None] = time.sleep,
                 delays: Sequence[float] = net.RETRY_DELAYS) -> None:
        self.probe = net.probe if probe is None else probe
        self.sleep = sleep
        self.delays = tuple(delays)
        self._reachable = False

    def _call(self, series_id: str, symbol: str, fn: Callable[[], object]) -> object:
        try:
            if not self._reachable:
                self.probe(YAHOO_HOST)
                self._reachable = True
            return net.with_retries(fn, is_rate_limited, self.sleep, self.delays)
        except ProviderError:
            raise
        except Exception as exc:
            reason = net.network_reason(exc)
            if reason:
                raise net.offline_error(series_id, SERVICE, YAHOO_HOST, reason) from None
            if is_rate_limited(exc):
                raise ProviderError(
                    f"{series_id}: Yahoo Finance is rate-limiting requests (still after {len(self.delays)} retries); try again later"
                ) from None
            raise ProviderError(f"{series_id}: Yahoo Finance request for {symbol} failed: {type(exc).__name__}: {exc}") from None


class YahooProvider(_YahooBase):
    """Daily bars; ``query.symbols`` maps store ids to Yahoo symbols (default :data:`SYMBOLS`, else the id)."""

    name = SOURCE_PREFIX

    def __init__(self, download: Downloader | None = None, **kw) -> None:
        super().__init__(**kw)
        self.download = yfinance_history if download is None else download

    def requests(self, query: Query) -> Sequence[Request]:
        return [
            Request(sid, {"symbol": query.symbols.get(sid, SYMBOLS.get(sid, sid)), "start": query.start_for(sid), "end": query.end})
            for sid in query.ids
        ]

    def extract(self, request: Request) -> pd.DataFrame:
        p = request.params
        # yfinance's end is exclusive: ask for one day more so ``end`` itself is included
        return self._call(request.series_id, p["symbol"], lambda: self.download(p["symbol"], p["start"], p["end"] + timedelta(days=1)))

    def transform(self, raw: pd.DataFrame, request: Request) -> SeriesData:
        p = request.params
        frame = bars_from_yahoo(raw, p["symbol"], request.series_id, p["start"], p["end"])
        return SeriesData(request.series_id, "price", frame, f"{SOURCE_PREFIX}:{p['symbol']}")


class YahooSharesProvider(_YahooBase):
    """Shares outstanding of a fund as a macro series (``IWM_SHARES`` = shares of IWM), for ETF flows."""

    name = SHARES_SOURCE_PREFIX
    default_years = 10  # Yahoo keeps only a few years of share counts

    def __init__(self, shares: SharesGetter | None = None, **kw) -> None:
        super().__init__(**kw)
        self.shares = yfinance_shares if shares is None else shares

    def requests(self, query: Query) -> Sequence[Request]:
        return [
            Request(sid, {"symbol": query.symbols.get(sid, SHARES.get(sid, sid)), "start": query.start_for(sid), "end": query.end})
            for sid in query.ids
        ]

    def extract(self, request: Request) -> pd.Series | None:
        p = request.params
        first = p["start"] or p["end"] - timedelta(days=365 * self.default_years)
        return self._call(request.series_id, p["symbol"], lambda: self.shares(p["symbol"], first, p["end"]))

    def transform(self, raw: pd.Series | None, request: Request) -> SeriesData:
        p = request.params
        frame = shares_from_yahoo(raw, p["symbol"], request.series_id, p["start"], p["end"])
        return SeriesData(request.series_id, "macro", frame, f"{SHARES_SOURCE_PREFIX}:{p['symbol']}")
