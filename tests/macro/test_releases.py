"""Release-lag rules: known publication dates and the vectorised form."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from r2k.calendar import Delayed, FirstFriday, NthBusinessDay, SameDay, Weekly, release_dates
from r2k.calendar.releases import nth_business_day
from r2k.macro.catalog import CATALOG, SERIES, catalog_series


@pytest.mark.parametrize("series, obs, released", [
    ("PAYEMS", date(2024, 5, 1), date(2024, 6, 7)),      # first Friday of June 2024
    ("UNRATE", date(2023, 8, 1), date(2023, 9, 1)),      # a first Friday on the 1st
    ("UNRATE", date(2020, 12, 1), date(2021, 1, 8)),     # Jan 1 is a holiday: the next Friday
    ("PAYEMS", date(2023, 11, 1), date(2023, 12, 8)),    # second Friday: 3rd Friday after the week of Nov 12
    ("PAYEMS", date(2024, 2, 1), date(2024, 3, 8)),      # (the first Friday, Mar 1, would be a week early)
    ("UNRATE", date(2010, 9, 1), date(2010, 10, 8)),
    ("UNRATE", date(2020, 4, 1), date(2020, 5, 8)),
    ("PAYEMS", date(2023, 12, 1), date(2024, 1, 5)),
    ("ICSA", date(2024, 6, 1), date(2024, 6, 6)),        # week ending Saturday -> Thursday
    ("NFCI", date(2024, 5, 31), date(2024, 6, 5)),       # week ending Friday -> Wednesday
    ("WALCL", date(2024, 6, 5), date(2024, 6, 7)),       # Wednesday level -> H.4.1 Thu 4:30 pm, after the close -> Fri
    ("MORTGAGE30US", date(2024, 6, 6), date(2024, 6, 6)),  # dated and published Thursday
    ("CPIAUCSL", date(2024, 5, 1), date(2024, 6, 24)),   # 15th NYSE day of June 2024 (Juneteenth closed)
    ("INDPRO", date(2024, 5, 1), date(2024, 6, 20)),     # 13th NYSE day of June 2024 (real: June 18)
    ("GDPC1", date(2024, 1, 1), date(2024, 5, 1)),       # Q1 advance estimate late April -> May 1
    ("FEDFUNDS", date(2024, 5, 1), date(2024, 6, 3)),
    ("DGS10", date(2024, 6, 3), date(2024, 6, 4)),       # published after the close: the next trading day
    ("BAMLH0A0HYM2", date(2024, 5, 31), date(2024, 6, 3)),  # a Friday's spread -> Monday
    ("T10Y2Y", date(2024, 7, 3), date(2024, 7, 5)),      # over the July 4 holiday
    ("BAMLH0A0HYM2", date(2024, 6, 30), date(2024, 7, 1)),  # an ICE weekend month-end row -> Monday
    ("VIXCLS", date(2024, 6, 3), date(2024, 6, 3)),      # CBOE close 16:15 ET: known that evening
    ("PAYEMS", date(2025, 11, 1), date(2025, 12, 16)),   # 2025 shutdown: later than the first-Friday rule
    ("UNRATE", date(2013, 9, 1), date(2013, 10, 22)),    # 2013 shutdown
    ("CPIAUCSL", date(2025, 9, 1), date(2025, 10, 24)),
    ("CPIAUCSL", date(2025, 11, 1), date(2025, 12, 19)),  # the rule (Dec 19) is already later than Dec 18
    ("GDPC1", date(2025, 7, 1), date(2025, 12, 23)),
    ("PAYEMS", date(1995, 12, 1), date(1996, 1, 19)),    # 1995-96 shutdown and blizzard
    ("GDPC1", date(2018, 10, 1), date(2019, 2, 28)),     # 2018-19 shutdown (Census, BEA): 2018Q4 GDP
    ("RSAFS", date(2018, 12, 1), date(2019, 2, 14)),
    ("HOUST", date(2018, 12, 1), date(2019, 2, 26)),
    ("PCEPI", date(2018, 12, 1), date(2019, 3, 1)),
])
def test_known_release_dates(series: str, obs: date, released: date) -> None:
    assert SERIES[series].release.release_date(obs) == released


def test_actual_cpi_releases_are_never_later_than_the_rule() -> None:
    # BLS CPI release dates (m+1): the rule must not be earlier than the real release
    actual = {date(2024, 4, 1): date(2024, 5, 15), date(2024, 5, 1): date(2024, 6, 12),
              date(2023, 12, 1): date(2024, 1, 11)}
    for obs, day in actual.items():
        assert SERIES["CPIAUCSL"].release.release_date(obs) >= day


def test_nth_business_day_skips_holidays_and_weekends() -> None:
    assert nth_business_day(2024, 1, 1) == date(2024, 1, 2)
    assert nth_business_day(2024, 7, 4) == date(2024, 7, 5)  # Jul 1-3, then Jul 5 (4th closed)
    assert nth_business_day(2024, 7, 5) == date(2024, 7, 8)


def test_vectorised_equals_scalar_for_every_rule() -> None:
    obs = pd.date_range("1999-11-01", "2001-03-01", freq="D")
    late = Delayed(FirstFriday(), (("2000-01", date(2000, 2, 25)), ("2000-02", date(2000, 3, 1))))
    rules = (SameDay(), Weekly(3, 1), Weekly(2, 1), Weekly(3, 0), FirstFriday(), NthBusinessDay(1, 15),
             NthBusinessDay(4, 1), late)
    for rule in rules:
        vec = release_dates(rule, obs)
        assert [d.date() for d in vec] == [rule.release_date(d.date()) for d in obs], rule


def test_release_never_precedes_observation_and_is_monotone() -> None:
    obs = pd.date_range("1980-01-01", "2026-12-01", freq="MS")
    for sid, spec in SERIES.items():
        rel = release_dates(spec.release, obs)
        assert (rel >= obs).all(), sid
        assert rel.is_monotonic_increasing, sid


def test_catalog_covers_the_required_series_and_documents_each_lag() -> None:
    required = """INDPRO PAYEMS RSAFS RSXFS HOUST CFNAI GDPC1 ICSA TCU CPIAUCSL CPILFESL PCEPI PPIACO T10YIE MICH UNRATE
    U6RATE JTSJOL FEDFUNDS DGS2 DGS10 DGS30 T10Y2Y MORTGAGE30US WALCL M2SL BAMLH0A0HYM2 BAMLC0A0CM BAA10Y AAA BAA
    DRTSCILM NFCI ANFCI STLFSI4 UMCSENT VIXCLS DCOILWTICO""".split()
    assert set(required) <= set(catalog_series())
    assert all(SERIES[s].lag_note for s in catalog_series())
    assert len({f.name for f in CATALOG}) == len(CATALOG)
    assert "USREC" not in catalog_series()  # validation only, never an input
