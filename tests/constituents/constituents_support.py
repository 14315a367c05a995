"""Hand-made SEC answers and holdings files for the constituents tests (real formats, fictional companies)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SEC = FIXTURES / "sec"
UA = "r2k tests tests@example.org"

PREAMBLE = '''iShares Russell 2000 ETF
Fund Holdings as of,"Jan 05, 2026"
Inception Date,"May 22, 2000"
Shares Outstanding,"278,750,000.00"
Stock,"-"
Bond,"-"
Cash,"-"
Other,"-"
\u00a0
'''
HEADER = ("Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,Location,Exchange,"
          "Currency,FX Rate,Market Currency,Accrual Date\n")
# ticker, name, sector, asset class, market value, weight %
LINES = [
    ("ACMI", "ACME INDUSTRIAL CORP", "Industrials", "Equity", "40,000,000.00", "40.00"),
    ("FBNK", "FIRST EXAMPLE BANCORP", "Financials", "Equity", "20,000,000.00", "20.00"),
    ("RLTY", "EXAMPLE REALTY TRUST", "Real Estate", "Equity", "10,000,000.00", "10.00"),
    ("NOXB", "NO XBRL HOLDINGS", "Health Care", "Equity", "10,000,000.00", "10.00"),
    ("EURO", "EURO UNITS NV", "Materials", "Equity", "10,000,000.00", "10.00"),
    ("GEFB", "CLASS B EXAMPLE", "Industrials", "Equity", "9,000,000.00", "9.00"),
    ("XTSLA", "BLK CSH FND TREASURY SL AGENCY", "Cash and/or Derivatives", "Money Market", "1,000,000.00", "1.00"),
]
LEGAL = ('\u00a0\n"The content contained herein is owned or licensed by BlackRock and/or its third-party information '
         'providers and is protected by applicable copyrights, trademarks, service marks, and/or other intellectual '
         'property rights."\n')


def ishares_text(lines=LINES, preamble: str = PREAMBLE, header: str = HEADER) -> str:
    body = "".join(
        f'"{t}","{n}","{s}","{a}","{mv}","{w}","{mv}","1,000.00","10.00","United States","NASDAQ","USD","1.00","USD","-"\n'
        for t, n, s, a, mv, w in lines)
    return preamble + header + body + LEGAL


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class FakeResponse:
    status_code: int
    text: str = ""

    def json(self):
        return json.loads(self.text)


RATE_LIMIT_PAGE = ("<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body><h1>Your Request "
                   "Rate Threshold Exceeded</h1><p>To allow for equitable access to all users, SEC reserves the right to "
                   "limit requests originating from undeclared automated tools.</p></body></html>")
NOT_FOUND = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>'


@dataclass
class RecordedSec:
    """SEC's answers from tests/constituents/fixtures/sec (404 for any other file); records each call.

    ``throttle`` answers the first N requests with SEC's rate-limit page.
    """

    throttle: int = 0
    calls: list = field(default_factory=list)

    def __call__(self, url: str, headers: dict, timeout) -> FakeResponse:
        self.calls.append((url, headers.get("User-Agent")))
        if len(self.calls) <= self.throttle:
            return FakeResponse(403, RATE_LIMIT_PAGE)
        path = SEC / url.rsplit("/", 1)[-1]
        if not path.exists():
            return FakeResponse(404, NOT_FOUND)
        return FakeResponse(200, path.read_text())


def no_probe(host: str) -> None:
    return None


def sec_client(get=None, **kw):
    from r2k.providers.sec import SecClient

    return SecClient(UA, get=get or RecordedSec(), sleep=lambda s: None, probe=no_probe, **kw)
