"""NYSE trading calendar (exchange_calendars XNYS behind thin wrappers): holidays and stepping ahead."""

from __future__ import annotations

import warnings
from datetime import date

import pandas as pd
import pytest

from r2k.calendar import add_trading_days, holidays, is_trading_day, trading_days
from r2k.calendar.trading import LAST
from tests_support import shared_data_dir


def test_holidays_2026() -> None:
    expected = {
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
        "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25",
    }
    assert {d.isoformat() for d in holidays(2026)} == expected


def test_observance_rules() -> None:
    assert date(2022, 1, 1) not in holidays(2022) and date(2021, 12, 31) not in holidays(2021)  # Saturday New Year
    assert date(2023, 1, 2) in holidays(2023)  # Sunday New Year observed Monday
    assert date(2021, 6, 18) not in holidays(2021)  # Juneteenth only from 2022
    assert date(2022, 6, 20) in holidays(2022)
    assert not is_trading_day(date(2025, 1, 9))  # national day of mourning


def test_add_trading_days_over_holidays_and_known_dates() -> None:
    assert add_trading_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert add_trading_days(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert add_trading_days(date(2026, 11, 25), 0) == date(2026, 11, 25)
    known = pd.DatetimeIndex(["2026-08-26", "2026-08-27", "2026-08-28"])
    # the stored dates are used while they reach, the rules beyond them
    assert add_trading_days(date(2026, 8, 26), 2, known) == date(2026, 8, 28)
    assert add_trading_days(date(2026, 8, 27), 3, known) == date(2026, 9, 1)
    assert add_trading_days(date(2026, 9, 4), 1, known) == date(2026, 9, 8)  # Labor Day skipped


def test_calendar_matches_real_index_dates() -> None:
    """Every stored Russell 2000 date (1987-09-10 on) is a session, and every session between is stored."""
    data = shared_data_dir()
    dates = pd.DatetimeIndex(pd.read_csv(data / "RUT.csv", usecols=["date"])["date"]).astype("datetime64[us]")
    cal = trading_days(dates[0].date(), dates[-1].date())
    missing, extra = dates.difference(cal), cal.difference(dates)
    assert missing.empty and extra.empty, f"stored but closed: {list(missing.date)}; open but not stored: {list(extra.date)}"


@pytest.mark.parametrize("day", [
    "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14",  # 9/11
    "2012-10-29", "2012-10-30",  # Hurricane Sandy
    "1985-09-27",  # Hurricane Gloria (the old hand-written rules missed it)
    "1994-04-27", "2004-06-11", "2007-01-02", "2018-12-05", "2025-01-09",  # presidents' funerals / mourning
    "1973-01-25", "1972-12-28",  # Johnson and Truman funerals (missed by the old rules)
    "1977-07-14",  # New York blackout (missed by the old rules)
    "1980-11-04",  # election day, a holiday until 1980 (missed by the old rules)
])
def test_special_closures(day: str) -> None:
    d = date.fromisoformat(day)
    assert not is_trading_day(d) and d in holidays(d.year)


def test_rules_as_they_changed() -> None:
    # Washington's Birthday was 22 February before 1971 (the old rules used the third Monday for every year)
    assert not is_trading_day(date(1968, 2, 22)) and is_trading_day(date(1968, 2, 19))
    assert not is_trading_day(date(2030, 2, 18))  # third Monday afterwards
    assert is_trading_day(date(2026, 11, 27))  # the day after Thanksgiving is a (half) session


def test_future_dates_and_bounds() -> None:
    days = trading_days(date(2040, 12, 20), date(2041, 1, 3))
    assert [d.isoformat() for d in days.date] == ["2040-12-20", "2040-12-21", "2040-12-24", "2040-12-26", "2040-12-27",
                                                  "2040-12-28", "2040-12-31", "2041-01-02", "2041-01-03"]
    assert days.dtype == "datetime64[us]" and days.name == "date"
    assert add_trading_days(date(2040, 12, 21), 3) == date(2040, 12, 27)
    with pytest.raises(ValueError, match="outside the NYSE calendar"):
        is_trading_day(date(2101, 1, 3))
    with pytest.raises(ValueError, match="past the end"):
        add_trading_days(LAST, 5)


def test_wrappers_agree_with_each_other() -> None:
    days = trading_days(date(2000, 1, 1), date(2030, 12, 31))
    assert all(is_trading_day(d) for d in days.date[::97])
    for year in (2001, 2012, 2027):
        weekdays = set(pd.bdate_range(date(year, 1, 1), date(year, 12, 31)).date)
        assert set(days[days.year == year].date) == weekdays - holidays(year)
    assert add_trading_days(date(2001, 9, 10), 1) == date(2001, 9, 17)


def test_sessions_equal_exchange_calendars_from_1970() -> None:
    """The assembled sessions are exchange_calendars' own where it is complete (1970 on)."""
    import exchange_calendars as xc

    ours = trading_days(date(1970, 1, 1), LAST)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        theirs = pd.DatetimeIndex(xc.get_calendar("XNYS", start="1970-01-01", end=LAST.isoformat()).sessions).tz_localize(None)
    theirs = theirs[theirs >= "1970-01-01"].as_unit("us")
    assert ours.equals(pd.DatetimeIndex(theirs, name="date"))


def test_history_before_1971() -> None:
    assert not is_trading_day(date(1950, 4, 7))  # Good Friday 1950 (ExchangeCalendar.sessions misses it)
    assert not is_trading_day(date(1963, 11, 25))  # Kennedy's funeral
    assert not is_trading_day(date(1968, 6, 12))  # a paperwork-crisis Wednesday
    assert is_trading_day(date(1950, 2, 20))  # the third Monday was no holiday yet


def test_timestamps_count_for_their_day() -> None:
    assert not is_trading_day(pd.Timestamp("2001-09-11 15:30"))
    assert trading_days(pd.Timestamp("2026-11-25 10:00"), pd.Timestamp("2026-11-30 09:00")).equals(
        pd.DatetimeIndex(["2026-11-25", "2026-11-27", "2026-11-30"], name="date").astype("datetime64[us]"))
