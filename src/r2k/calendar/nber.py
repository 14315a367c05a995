"""NBER business-cycle turning points and the dates they were announced: USREC's release rule.

FRED's USREC is today's revised 0/1 recession flag, but NBER's Business Cycle Dating Committee names
a peak or trough months after it happened (source: NBER, "US Business Cycle Expansions and
Contractions", the committee's announcement dates, nber.org/research/business-cycle-dating). So as of
a date, a recession is known only once its peak was announced, and it stays open (its end unknown)
until its trough was announced; a recession in the data that this table does not list is not known
at all. :func:`usrec_as_of` turns the stored USREC into what was known at a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

SOURCE = "NBER Business Cycle Dating Committee announcements (nber.org/research/business-cycle-dating)"


@dataclass(frozen=True)
class TurningPoints:
    peak: str  # month of the peak (USREC is 1 from the month after it)
    peak_announced: date
    trough: str  # month of the trough (USREC's last 1)
    trough_announced: date


NBER_RECESSIONS: tuple[TurningPoints, ...] = (
    TurningPoints("1980-01", date(1980, 6, 3), "1980-07", date(1981, 7, 8)),
    TurningPoints("1981-07", date(1982, 1, 6), "1982-11", date(1983, 7, 8)),
    TurningPoints("1990-07", date(1991, 4, 25), "1991-03", date(1992, 12, 22)),
    TurningPoints("2001-03", date(2001, 11, 26), "2001-11", date(2003, 7, 17)),
    TurningPoints("2007-12", date(2008, 12, 1), "2009-06", date(2010, 9, 20)),
    TurningPoints("2020-02", date(2020, 6, 8), "2020-04", date(2021, 7, 19)),
)


def usrec_as_of(usrec: pd.Series, as_of: date) -> pd.Series:
    """Monthly 0/1 recession flags (indexed by month start) as NBER had announced them at ``as_of``.

    The series ends where the status stops being settled: before a recession whose peak was not yet
    announced (or that the table does not list); an announced recession without an announced trough
    is open through the as-of month.
    """
    now = pd.Period(as_of, "M")
    flags = usrec.groupby(pd.DatetimeIndex(usrec.index).to_period("M")).last().astype(float)
    flags = flags[flags.index <= now]
    if not len(flags):
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
    end = now = min(now, flags.index.max())
    known: list[tuple[pd.Period, pd.Period]] = []
    for tp in NBER_RECESSIONS:
        start = pd.Period(tp.peak, "M") + 1
        if start > end:
            break
        if as_of < tp.peak_announced:
            end = start - 1
            break
        if as_of < tp.trough_announced:
            known.append((start, now))
            break
        known.append((start, pd.Period(tp.trough, "M")))
    months = pd.period_range(flags.index.min(), end, freq="M")
    out = pd.Series(0.0, index=months)
    for a, b in known:
        out[(out.index >= a) & (out.index <= b)] = 1.0
    unlisted = flags.reindex(months).fillna(0).gt(0) & out.eq(0)  # a recession NBER has not dated in our table
    if unlisted.any():
        out = out[out.index < unlisted.index[unlisted.to_numpy()][0]]
    out.index = out.index.to_timestamp()
    return out
