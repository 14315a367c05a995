"""FRED provider: macro series from the St. Louis Fed, with vintages when an API key is given.

* Without a key: the public CSV download ``fredgraph.csv?id=SERIES`` (header ``observation_date,SERIES``,
  ``DATE,SERIES`` in older files; a missing value is ``.`` or an empty cell). Values are today's revised
  values, so they are stored with an unknown vintage.
* With a key: the API ``series/observations`` over the whole real-time period, which lists every value
  with the ``realtime_start`` date FRED/ALFRED first published it; that vintage is stored, so
  ``Store.read(id, as_of=...)`` returns the value known at that date.

The HTTP layer is an injectable ``get(url, params=..., timeout=...)`` returning a requests-like response
(``status_code``, ``text``, ``json()``), so tests replay hand-made responses offline.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import requests

from r2k.errors import DataError, ProviderError
from r2k.providers import net
from r2k.providers.base import Provider, Query, Request, SeriesData
from r2k.schemas import validate

CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_URL = "https://api.stlouisfed.org/fred/series/observations"
CSV_HOST = "fred.stlouisfed.org"
API_HOST = "api.stlouisfed.org"
SERVICE = "FRED"
SOURCE_PREFIX = "fred"
TIMEOUT = (4.0, 60.0)  # (connect, read) seconds: offline fails at connect, big histories may read slowly
PAGE = 100_000  # the API's maximum page size
MISSING = {".", ""}

# every series of ../shared/data/fred (the default catalog; any FRED id can be fetched by name)
SERIES: tuple[str, ...] = (
    "AAA", "ANFCI", "BAA", "BAA10Y", "BAMLC0A0CM", "BAMLH0A0HYM2", "CFNAI", "CPIAUCSL", "CPILFESL",
    "DCOILWTICO", "DGS10", "DGS2", "DGS30", "DRTSCILM", "FEDFUNDS", "GDPC1", "HOUST", "ICSA", "INDPRO",
    "JTSJOL", "M2SL", "MICH", "MORTGAGE30US", "NFCI", "PAYEMS", "PCEPI", "PCEPILFE", "PPIACO", "RSAFS",
    "RSXFS", "STLFSI4", "T10Y2Y", "T10YIE", "TCU", "U6RATE", "UMCSENT", "UNRATE", "USREC", "VIXCLS", "RVXCLS", "WALCL",
)

Getter = Callable[..., Any]


def series_from_csv(text: str, fred_id: str, series_id: str) -> pd.DataFrame:
    """Canonical ``date, value`` frame from a fredgraph CSV (either header style, ``.`` = missing)."""
    source = f"fred:{fred_id} CSV"
    lines = text.lstrip("\ufeff").splitlines()
    header = [c.strip() for c in lines[0].split(",")] if lines else []
    if len(header) != 2 or header[0].lower() not in ("observation_date", "date") or header[1].upper() != fred_id.upper():
        first = lines[0][:80] if lines else ""
        raise ProviderError(f"{series_id}: FRED did not send a CSV for {fred_id} (first line {first!r})")
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    frame.columns = ["date", "value"]
    frame["value"] = frame["value"].str.strip().replace(dict.fromkeys(MISSING, ""))
    lines_no = pd.Series(range(2, len(frame) + 2))
    keep = (frame["value"] != "").to_numpy()
    if not keep.any():
        raise ProviderError(f"{series_id}: FRED returned no observations for {fred_id}")
    try:
        return validate(frame[keep], "macro", source, lines=lines_no[keep])
    except DataError as exc:
        raise ProviderError(f"{series_id}: bad data from FRED: {exc}") from None


def series_from_api(observations: list[dict], fred_id: str, series_id: str) -> pd.DataFrame:
    """``date, value, realtime_start`` rows (one per value and vintage) from API observations."""
    source = f"fred:{fred_id} API"
    rows = [o for o in observations if str(o.get("value", "")).strip() not in MISSING]
    if not rows:
        raise ProviderError(f"{series_id}: FRED returned no observations for {fred_id}")
    raw = pd.DataFrame(rows)
    out = pd.DataFrame()
    for col in ("date", "realtime_start"):
        parsed = pd.to_datetime(raw[col], format="%Y-%m-%d", errors="coerce")
        if parsed.isna().any():
            pos = int(np.flatnonzero(parsed.isna().to_numpy())[0])
            raise ProviderError(f"{series_id}: bad data from FRED: {source}, observation {pos + 1}: unparseable {col} {raw[col].iloc[pos]!r}")
        out[col] = parsed.astype("datetime64[us]")
    values = pd.to_numeric(raw["value"], errors="coerce")
    if values.isna().any():
        pos = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise ProviderError(f"{series_id}: bad data from FRED: {source}, date {raw['date'].iloc[pos]}: non-numeric value {raw['value'].iloc[pos]!r}")
    out["value"] = values.astype("float64")
    out = out.drop_duplicates()
    clash = out.duplicated(["date", "realtime_start"], keep=False)
    if clash.any():
        row = out[clash].iloc[0]
        raise ProviderError(f"{series_id}: bad data from FRED: {source}: two values for {row['date'].date()} in the vintage of {row['realtime_start'].date()}")
    return out.sort_values(["date", "realtime_start"]).reset_index(drop=True)[["date", "value", "realtime_start"]]


class FredProvider(Provider):
    """FRED series by id (``query.symbols`` may map a store id to another FRED id)."""

    name = SOURCE_PREFIX

    def __init__(self, api_key: str | None = None, get: Getter | None = None, sleep: Callable[[float], None] = time.sleep,
                 delays: Sequence[float] = net.RETRY_DELAYS, timeout: tuple[float, float] = TIMEOUT) -> None:
        self.api_key = api_key or None
        self.get = get if get is not None else self._session_get
        self.sleep = sleep
        self.delays = tuple(delays)
        self.timeout = timeout
        self._session: requests.Session | None = None

    def _session_get(self, url: str, params: dict, timeout: tuple[float, float]) -> requests.Response:
        if self._session is None:
            self._session = requests.Session()
            self._session.headers["User-Agent"] = "r2k (https://github.com/r2k; research data fetch)"
        return self._session.get(url, params=params, timeout=timeout)

    @property
    def host(self) -> str:
        return API_HOST if self.api_key else CSV_HOST

    def requests(self, query: Query) -> Sequence[Request]:
        return [Request(sid, {"fred_id": query.symbol_for(sid), "start": query.start_for(sid), "end": query.end}) for sid in query.ids]

    def extract(self, request: Request) -> str | list[dict]:
        p = request.params
        return self._api(request.series_id, p) if self.api_key else self._csv(request.series_id, p)

    def transform(self, raw: str | list[dict], request: Request) -> SeriesData:
        fred_id = request.params["fred_id"]
        if isinstance(raw, str):
            frame = series_from_csv(raw, fred_id, request.series_id)
        else:
            frame = series_from_api(raw, fred_id, request.series_id)
        return SeriesData(request.series_id, "macro", frame, f"{SOURCE_PREFIX}:{fred_id}")

    # ------------------------------------------------------------------ HTTP
    def _csv(self, series_id: str, p: dict) -> str:
        params = {"id": p["fred_id"], "coed": p["end"].isoformat()}
        if p["start"]:
            params["cosd"] = p["start"].isoformat()
        return self._get(series_id, CSV_URL, params).text

    def _api(self, series_id: str, p: dict) -> list[dict]:
        """Every vintage of the observations from ``start`` to ``end`` (paged)."""
        params: dict[str, Any] = {
            "series_id": p["fred_id"], "api_key": self.api_key, "file_type": "json",
            "observation_end": p["end"].isoformat(), "realtime_start": "1776-07-04", "realtime_end": "9999-12-31",
            "limit": PAGE, "offset": 0,
        }
        if p["start"]:
            params["observation_start"] = p["start"].isoformat()
        observations: list[dict] = []
        while True:
            body = self._json(series_id, self._get(series_id, API_URL, params))
            page = body.get("observations")
            if not isinstance(page, list):
                raise ProviderError(f"{series_id}: FRED API answer for {p['fred_id']} has no 'observations' list")
            observations += page
            if not page or len(observations) >= int(body.get("count", 0)):
                return observations
            params = {**params, "offset": len(observations)}

    def _json(self, series_id: str, response: Any) -> dict:
        try:
            body = response.json()
        except ValueError:
            raise ProviderError(f"{series_id}: FRED API did not answer JSON") from None
        if not isinstance(body, dict):
            raise ProviderError(f"{series_id}: FRED API answer is not a JSON object")
        return body

    def _get(self, series_id: str, url: str, params: dict) -> Any:
        def call() -> Any:
            response = self.get(url, params=params, timeout=self.timeout)
            if response.status_code == 429:
                raise net.RateLimited("HTTP 429")
            return response

        try:
            response = net.with_retries(call, lambda e: isinstance(e, net.RateLimited), self.sleep, self.delays)
        except net.RateLimited:
            raise ProviderError(f"{series_id}: FRED is rate-limiting requests (still after {len(self.delays)} retries); try again later") from None
        except Exception as exc:
            reason = net.network_reason(exc)
            if reason:
                raise net.offline_error(series_id, SERVICE, self.host, reason) from None
            # never echo the exception text: requests puts the URL, API key included, in it
            raise ProviderError(f"{series_id}: FRED request failed ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise ProviderError(f"{series_id}: FRED refused {params.get('id') or params.get('series_id')}: HTTP {response.status_code}{_fred_message(response)}")
        return response


def _fred_message(response: Any) -> str:
    """The API's own error message (e.g. "The series does not exist."), if it sent one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("error_message") if isinstance(body, dict) else None
    return f" ({message})" if message else ""
