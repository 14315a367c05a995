"""Russell US index reconstitution dates: rank day and effective date (after the close) of each one.

The schedule is announced months ahead, so knowing a future reconstitution date is not look-ahead;
the prices around it still are, and the event study only uses closes up to its as-of date.

Rules encoded (sources are public FTSE Russell announcements and press coverage):

* Effective date (the reconstitution is final after the US close on this day):
  - 1989-2003: June 30, or the last trading day before it (Madhavan, "The Russell Reconstitution
    Effect", Financial Analysts Journal 2003: "reconstituted annually on June 30").
  - 2004-2025: the last Friday of June, unless that Friday is the 29th or 30th, in which case the
    Friday before (Russell's published rule, quoted e.g. on stockhouse.com; checked against announced
    dates 2014-06-27, 2015-06-26, 2016-06-24, 2018-06-22, 2020-06-26, 2022-06-24, 2023-06-23,
    2024-06-28). This equals "the fourth Friday of June" (LSEG press release, January 2025).
  - From 2026 semi-annual: June as above, plus a December reconstitution. The January 2025 LSEG
    press release announced "the second Friday in November, beginning November 2026"; LSEG's
    February 2026 note on the November 2025 parallel run speaks of "the official transition to a
    semi-annual reconstitution schedule in December 2026". We encode the second Friday of
    December (``documented=False``: the day of month is inferred from the November rule).
* Rank day (membership is set by market capitalisation at that close):
  - documented dates in ``DOCUMENTED_RANK_DAYS`` (FTSE Russell schedules and press coverage);
  - otherwise, up to 2016: the last trading day of May (Madhavan 2003: "May 31");
  - 2019: the second Friday of May (inferred: 2018 and 2020 were second Fridays; no source found);
  - from 2023: April 30, or the last trading day before it (2023-04-28 was a Friday because
    April 30 was a Sunday; 2024-04-30 documented);
  - December reconstitutions: no documented rank day found, so ``rank_day`` is None.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from r2k.calendar.trading import is_trading_day

FIRST_YEAR = 1989  # annual June reconstitution since 1989 (LSEG, 2025)
SEMI_ANNUAL_FROM = 2026

DOCUMENTED_RANK_DAYS: dict[int, tuple[date, str]] = {
    2015: (date(2015, 5, 29), "Cboe Options Hub blog, 2015-06-17"),
    2016: (date(2016, 5, 27), "FTSE Russell 2016 reconstitution schedule press release"),
    2017: (date(2017, 5, 12), "FTSE Russell 2017 reconstitution schedule press release"),
    2018: (date(2018, 5, 11), "ftserussell.com Russell reconstitution page, 2018 calendar"),
    2020: (date(2020, 5, 8), "FTSE Russell index notice, 2020-06-02"),
    2021: (date(2021, 5, 7), "FTSE Russell 2021 timetable (quoted in press coverage)"),
    2022: (date(2022, 5, 6), "FTSE Russell 2022 reconstitution schedule"),
    2023: (date(2023, 4, 28), "FTSE Russell 2023 reconstitution schedule"),
    2024: (date(2024, 4, 30), "FTSE Russell 2024 reconstitution schedule, 2024-03-01"),
}

DOCUMENTED_EFFECTIVE: dict[date, str] = {
    date(2014, 6, 27): "Cboe Options Hub blog, 2014-06-22",
    date(2015, 6, 26): "Cboe Options Hub blog, 2015-06-17",
    date(2016, 6, 24): "FTSE Russell 2016 schedule",
    date(2018, 6, 22): "ftserussell.com 2018 calendar",
    date(2020, 6, 26): "FTSE Russell index notice, 2020-06-02",
    date(2022, 6, 24): "FTSE Russell 2022 schedule",
    date(2023, 6, 23): "FTSE Russell 2023 schedule",
    date(2024, 6, 28): "FTSE Russell 2024 schedule",
}


@dataclass(frozen=True)
class Reconstitution:
    """One reconstitution: ``effective`` is the last close under the old membership."""

    year: int
    month: int
    rank_day: date | None
    effective: date
    rule: str
    documented: bool

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        rank = self.rank_day.isoformat() if self.rank_day else "not documented"
        return f"{self.year}-{self.month:02d} reconstitution: rank day {rank}, effective after the close of {self.effective} ({self.rule})"


def _on_or_before_trading(d: date) -> date:
    while not is_trading_day(d):
        d -= timedelta(days=1)
    return d


def _fridays(year: int, month: int) -> list[date]:
    d = date(year, month, 1)
    d += timedelta(days=(4 - d.weekday()) % 7)
    out = []
    while d.month == month:
        out.append(d)
        d += timedelta(days=7)
    return out


def june_effective(year: int) -> tuple[date, str]:
    """Effective date of the June reconstitution of ``year`` and the rule that gave it."""
    if year < 2004:
        return _on_or_before_trading(date(year, 6, 30)), "June 30 or the trading day before (Madhavan 2003)"
    last = _fridays(year, 6)[-1]
    if last.day >= 29:
        return _on_or_before_trading(last - timedelta(days=7)), "last Friday of June is the 29th/30th: the Friday before"
    return _on_or_before_trading(last), "last Friday of June"


def june_rank_day(year: int) -> tuple[date, str, bool]:
    if year in DOCUMENTED_RANK_DAYS:
        d, src = DOCUMENTED_RANK_DAYS[year]
        return d, src, True
    if year <= 2016:
        return _on_or_before_trading(date(year, 5, 31)), "last trading day of May (Madhavan 2003)", False
    if year == 2019:
        return _fridays(2019, 5)[1], "second Friday of May (inferred from 2018 and 2020)", False
    return _on_or_before_trading(date(year, 4, 30)), "April 30 or the trading day before (rule since 2023)", False


def reconstitutions(start_year: int = FIRST_YEAR, end_year: int = 2030) -> list[Reconstitution]:
    """Every reconstitution from ``start_year`` to ``end_year``, in date order."""
    out: list[Reconstitution] = []
    for year in range(max(start_year, FIRST_YEAR), end_year + 1):
        eff, eff_rule = june_effective(year)
        rank, rank_rule, rank_doc = june_rank_day(year)
        out.append(Reconstitution(year, 6, rank, eff, f"effective: {eff_rule}; rank day: {rank_rule}",
                                  rank_doc and eff in DOCUMENTED_EFFECTIVE))
        if year >= SEMI_ANNUAL_FROM:
            dec = _on_or_before_trading(_fridays(year, 12)[1])
            out.append(Reconstitution(year, 12, None, dec, "effective: second Friday of December (semi-annual from 2026; "
                                      "day of month inferred); rank day: not documented", False))
    return out


def reconstitution_dates(start: date, end: date) -> list[date]:
    """Effective dates within [start, end]."""
    return [r.effective for r in reconstitutions(start.year, end.year) if start <= r.effective <= end]
