"""SEC EDGAR XBRL company facts: per-company fundamentals, each fact with the date it was filed.

* ``company_tickers.json`` (www.sec.gov/files) maps tickers to CIKs: ``{"0": {"cik_str": 320193,
  "ticker": "AAPL", "title": "Apple Inc."}, ...}``.
* ``api/xbrl/companyfacts/CIK##########.json`` (data.sec.gov) holds every fact a company filed:
  ``{"cik", "entityName", "facts": {"us-gaap"|"dei": {TAG: {"label", "description", "units": {UNIT:
  [{"start"?, "end", "val", "accn", "fy", "fp", "form", "filed", "frame"?}, ...]}}}}}``. A company that
  never filed XBRL has no such file (HTTP 404) or an empty ``facts`` object.

SEC's rules: a User-Agent naming the caller (``R2K_SEC_USER_AGENT``, e.g. "Jane Doe jane@example.org"),
at most 10 requests per second. An over-rate answer is HTTP 429 or 403 with "Request Rate Threshold
Exceeded"; it is retried with backoff, then reported in one line. Concepts are mapped by hand to a small
canonical set (docs/constituents.md explains why edgartools' synonym groups were not used).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from r2k.errors import ProviderError
from r2k.providers import net

FACT_COLUMNS = ("cik", "concept", "tag", "unit", "period_end", "days", "value", "filed", "form", "fy", "fp", "accn")
TICKERS_URL = "https://www.sec.gov/files/company_tickers.json"
FACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK{cik:010d}.json"
HOSTS = ("www.sec.gov", "data.sec.gov")
SERVICE = "SEC EDGAR"
SOURCE = "sec:companyfacts"
MAX_RATE = 10.0  # requests per second, SEC's published limit
TIMEOUT = (4.0, 60.0)
THROTTLE_TEXT = ("request rate threshold exceeded", "exceeded the rate limit")
UNDECLARED_TEXT = "undeclared automated tool"

USD, SHARES = "USD", "shares"


@dataclass(frozen=True)
class Concept:
    """A canonical concept: XBRL tags in priority order (first found wins per period), its unit, its kind."""

    tags: tuple[str, ...]
    unit: str
    flow: bool  # a flow over a period (income, cash flow) vs a balance at an instant


CONCEPTS: dict[str, Concept] = {
    "revenue": Concept(("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax",
                        "RevenueFromContractWithCustomerIncludingAssessedTax", "SalesRevenueNet", "SalesRevenueGoodsNet",
                        "RevenuesNetOfInterestExpense"), USD, True),
    "operating_income": Concept(("OperatingIncomeLoss",), USD, True),
    "net_income": Concept(("NetIncomeLoss", "ProfitLoss", "NetIncomeLossAvailableToCommonStockholdersBasic"), USD, True),
    "interest_expense": Concept(("InterestExpense", "InterestExpenseNonoperating", "InterestAndDebtExpense",
                                 "InterestExpenseDebt"), USD, True),
    "depreciation": Concept(("DepreciationDepletionAndAmortization", "DepreciationAndAmortization",
                             "DepreciationAmortizationAndAccretionNet", "Depreciation"), USD, True),
    "assets": Concept(("Assets",), USD, False),
    "current_assets": Concept(("AssetsCurrent",), USD, False),
    "current_liabilities": Concept(("LiabilitiesCurrent",), USD, False),
    "liabilities": Concept(("Liabilities",), USD, False),
    "equity": Concept(("StockholdersEquity", "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest"), USD, False),
    "debt": Concept(("LongTermDebt", "DebtLongtermAndShorttermCombinedAmount", "LongTermDebtNoncurrent",
                     "LongTermDebtAndCapitalLeaseObligations"), USD, False),
    "cash": Concept(("CashAndCashEquivalentsAtCarryingValue",
                     "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents", "Cash"), USD, False),
    "operating_cash_flow": Concept(("NetCashProvidedByUsedInOperatingActivities",
                                    "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations"), USD, True),
    "capex": Concept(("PaymentsToAcquirePropertyPlantAndEquipment", "PaymentsToAcquireProductiveAssets"), USD, True),
    "shares": Concept(("EntityCommonStockSharesOutstanding", "CommonStockSharesOutstanding"), SHARES, False),
}
TAXONOMIES = ("us-gaap", "dei")
TAG_CONCEPT: dict[str, tuple[str, int]] = {t: (c, i) for c, spec in CONCEPTS.items() for i, t in enumerate(spec.tags)}

Getter = Callable[..., Any]


@dataclass(frozen=True)
class CompanyRecord:
    """One company's fetch outcome, as the SEC log stores it."""

    ticker: str
    cik: int | None
    name: str | None
    status: str  # ok | no_facts | no_cik | error
    message: str | None
    facts: pd.DataFrame | None = None  # FACT_COLUMNS, only for status "ok"

    @property
    def last_filed(self) -> date | None:
        if self.facts is None or self.facts.empty:
            return None
        return pd.Timestamp(self.facts["filed"].max()).date()


class SecClient:
    """HTTP to SEC with its User-Agent, a request-rate ceiling, rate-limit retries and one-line errors.

    Picklable (the session and lock are rebuilt in each process), so Dask workers can each hold one;
    give each of N parallel workers ``rate = MAX_RATE / N`` to stay within SEC's limit in total.
    """

    def __init__(self, user_agent: str | None, get: Getter | None = None, rate: float = MAX_RATE,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 delays: Sequence[float] = net.RETRY_DELAYS, timeout: tuple[float, float] = TIMEOUT,
                 probe: Callable[[str], None] | None = None) -> None:
        if not user_agent or "@" not in user_agent:
            raise ProviderError("SEC EDGAR needs a User-Agent naming you and an e-mail address: set "
                                "R2K_SEC_USER_AGENT (e.g. 'Jane Doe jane@example.org') or pass --user-agent")
        self.user_agent = user_agent
        self.get = get
        self.interval = 1.0 / rate
        self.sleep, self.clock, self.delays, self.timeout, self.probe = sleep, clock, tuple(delays), timeout, probe
        self._session = None
        self._lock = threading.Lock()
        self._last = float("-inf")

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_session"], state["_lock"] = None, None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def check_online(self) -> None:
        """Fail within seconds, in one line, when SEC cannot be reached (nothing is fetched or stored)."""
        probe = self.probe or net.probe
        for host in HOSTS:
            try:
                probe(host)
            except Exception as exc:
                reason = net.network_reason(exc) or "connection failed"
                raise ProviderError(f"SEC fundamentals: cannot reach {SERVICE} ({host}): {reason}; nothing was fetched or stored") from None

    def json(self, url: str, who: str) -> Any | None:
        """The JSON body of ``url``; None when SEC has no such file (HTTP 404)."""
        response = self._get(url, who)
        if response.status_code == 404:
            return None
        try:
            return response.json()
        except ValueError:
            raise ProviderError(f"{who}: SEC did not answer JSON for {url}") from None

    def _throttle(self) -> None:
        with self._lock:
            wait = self._last + self.interval - self.clock()
            if wait > 0:
                self.sleep(wait)
            self._last = self.clock()

    def _http_get(self, url: str) -> Any:
        if self.get is not None:
            return self.get(url, headers={"User-Agent": self.user_agent}, timeout=self.timeout)
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
        return self._session.get(url, timeout=self.timeout)

    def _get(self, url: str, who: str) -> Any:
        def call() -> Any:
            self._throttle()
            response = self._http_get(url)
            if response.status_code == 429 or (response.status_code == 403 and _says(response, THROTTLE_TEXT)):
                raise net.RateLimited(f"HTTP {response.status_code}")
            return response

        try:
            response = net.with_retries(call, lambda e: isinstance(e, net.RateLimited), self.sleep, self.delays)
        except net.RateLimited:
            raise ProviderError(f"{who}: SEC is rate-limiting requests ('Request Rate Threshold Exceeded', still after "
                                f"{len(self.delays)} retries); wait ten minutes and run the fetch again (it resumes)") from None
        except Exception as exc:
            reason = net.network_reason(exc)
            if reason:
                raise net.offline_error(who, SERVICE, url.split("/")[2], reason) from None
            raise ProviderError(f"{who}: SEC request failed ({type(exc).__name__})") from None
        if response.status_code == 403 and _says(response, (UNDECLARED_TEXT,)):
            raise ProviderError(f"{who}: SEC refused the User-Agent {self.user_agent!r} as an undeclared automated tool; "
                                "give a name and an e-mail address")
        if response.status_code >= 400 and response.status_code != 404:
            raise ProviderError(f"{who}: SEC answered HTTP {response.status_code} for {url}")
        return response


def _says(response: Any, needles: Sequence[str]) -> bool:
    text = (getattr(response, "text", "") or "").lower()
    return any(n in text for n in needles)


# ------------------------------------------------------------------ tickers
def ticker_map(client: SecClient) -> dict[str, tuple[int, str]]:
    """SEC's ticker -> (CIK, company name) map."""
    body = client.json(TICKERS_URL, "SEC ticker map")
    if not isinstance(body, dict) or not body:
        raise ProviderError("SEC ticker map: company_tickers.json is missing or not an object of companies")
    out: dict[str, tuple[int, str]] = {}
    for key, row in body.items():
        try:
            out.setdefault(str(row["ticker"]).upper(), (int(row["cik_str"]), str(row.get("title", ""))))
        except (KeyError, TypeError, ValueError):
            raise ProviderError(f"SEC ticker map: entry {key!r} has no ticker/cik_str") from None
    return out


def lookup_cik(tickers: dict[str, tuple[int, str]], ticker: str) -> tuple[int, str] | None:
    """The CIK of a fund-file ticker; share classes are written BRK.B / BRKB in fund files, BRK-B at SEC."""
    t = ticker.upper().strip()
    for candidate in (t, t.replace(".", "-").replace("/", "-"), f"{t[:-1]}-{t[-1]}" if len(t) > 3 else t):
        if candidate in tickers:
            return tickers[candidate]
    return None


# ------------------------------------------------------------------ facts
def facts_frame(body: dict, who: str) -> pd.DataFrame:
    """The mapped facts of one companyfacts answer as FACT_COLUMNS (raises ProviderError on a bad fact).

    A mapped tag reported in another unit than its concept's (EUR revenue, USD-per-share assets) is an
    error for the company: mixing units would make every ratio wrong.
    """
    cik = int(body.get("cik", 0) or 0)
    raw: list[tuple] = []
    facts = body.get("facts") or {}
    for taxonomy in TAXONOMIES:
        for tag, spec in (facts.get(taxonomy) or {}).items():
            if tag not in TAG_CONCEPT:
                continue
            concept = TAG_CONCEPT[tag][0]
            unit = CONCEPTS[concept].unit
            units = spec.get("units") or {}
            other = sorted(u for u in units if u != unit)
            if other:
                raise ProviderError(f"{who}: {taxonomy}:{tag} is reported in {', '.join(other)}, expected {unit}")
            for i, f in enumerate(units.get(unit, [])):
                if not isinstance(f, dict):
                    raise ProviderError(f"{who}: {tag} fact {i + 1} is not an object")
                raw.append((concept, tag, unit, f.get("start"), f.get("end"), f.get("val"), f.get("filed"),
                            f.get("form"), f.get("fy"), f.get("fp"), str(f.get("accn", "")), i))
    cols = ["concept", "tag", "unit", "start", "end", "val", "filed", "form", "fy", "fp", "accn", "i"]
    r = pd.DataFrame(raw, columns=cols)
    end = pd.to_datetime(r["end"], format="%Y-%m-%d", errors="coerce")
    filed = pd.to_datetime(r["filed"], format="%Y-%m-%d", errors="coerce")
    start = pd.to_datetime(r["start"], format="%Y-%m-%d", errors="coerce")
    value = pd.to_numeric(r["val"], errors="coerce")
    days = (end - start).dt.days.fillna(0)
    bad = end.isna() | filed.isna() | value.isna() | (r["start"].notna() & start.isna())
    bad |= (days < 0) | (filed < end)
    if bad.any():
        row = r[bad.to_numpy()].iloc[0]
        raise ProviderError(f"{who}: {row['tag']} fact {row['i'] + 1} is malformed or inconsistent "
                            f"(start {row['start']}, end {row['end']}, filed {row['filed']}, val {row['val']!r})")
    frame = pd.DataFrame({
        "cik": cik, "concept": r["concept"], "tag": r["tag"], "unit": r["unit"],
        "period_end": end.astype("datetime64[us]"), "days": days.astype("int64"), "value": value.astype("float64"),
        "filed": filed.astype("datetime64[us]"), "form": r["form"], "fy": pd.to_numeric(r["fy"], errors="coerce").astype("Int64"),
        "fp": r["fp"], "accn": r["accn"]})
    frame = frame.drop_duplicates(["tag", "unit", "period_end", "days", "accn"], keep="first")
    return frame.astype({"cik": "int64"}).reset_index(drop=True)


def fetch_company(client: SecClient, ticker: str, cik: int | None, name: str | None) -> CompanyRecord:
    """One company: fetch and parse its facts. Company-level problems become a record with status
    ``no_cik``/``no_facts``/``error`` and a message; offline and rate limits raise (they stop the run)."""
    if cik is None:
        return CompanyRecord(ticker, None, name, "no_cik", f"{ticker}: not in SEC's ticker map")
    who = f"{ticker} (CIK {cik:010d})"
    body = client.json(FACTS_URL.format(cik=cik), who)
    if body is None or not (body.get("facts") or {}):
        return CompanyRecord(ticker, cik, name, "no_facts", f"{who}: SEC has no XBRL facts for this company")
    try:
        frame = facts_frame(body, who)
    except ProviderError as exc:
        return CompanyRecord(ticker, cik, body.get("entityName") or name, "error", str(exc))
    if frame.empty:
        return CompanyRecord(ticker, cik, body.get("entityName") or name, "no_facts", f"{who}: none of the mapped concepts is reported")
    return CompanyRecord(ticker, cik, body.get("entityName") or name, "ok", None, frame)
