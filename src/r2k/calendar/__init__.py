"""Calendars: NYSE trading days (trading.py); later also reconstitution dates and macro release lags.

A package rather than one module so that each calendar (trading days, index reconstitution, data
release lags) stays small and has one job.
"""

from r2k.calendar.reconstitution import Reconstitution, reconstitution_dates, reconstitutions
from r2k.calendar.releases import (NEXT_SESSION, Delayed, FirstFriday, NextSession, NthBusinessDay, ReleaseRule, SameDay, Weekly,
                                   release_dates)
from r2k.calendar.trading import add_trading_days, holidays, is_trading_day, trading_days

__all__ = [
    "NEXT_SESSION", "Delayed", "FirstFriday", "NextSession", "NthBusinessDay", "ReleaseRule", "SameDay", "Weekly", "release_dates",
    "Reconstitution", "add_trading_days", "holidays", "is_trading_day", "reconstitution_dates", "reconstitutions",
    "trading_days",
]
