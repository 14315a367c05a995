"""NYSE trading calendar: holiday rules and stepping ahead by trading days."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from r2k.calendar import add_trading_days, holidays, is_trading_day, trading_days
from r2k.calendar.trading import easter
from tests_support import shared_data_dir


@pytest.mark.parametrize("year, expected", [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2000, date(2000, 4, 23)), (2038, date(2038, 4, 25))])
def test_easter(year: int, expected: date) -> None:
    assert easter(year) == expected


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
    data = shared_data_dir()
    dates = pd.DatetimeIndex(pd.read_csv(data / "RUT.csv", usecols=["date"])["date"])
    cal = trading_days(date(1990, 1, 1), dates[-1].date())
    assert cal.equals(dates[dates >= "1990-01-01"].astype("datetime64[us]"))
