from datetime import date

import pytest

from r2k.calendar import reconstitution_dates, reconstitutions
from r2k.calendar.reconstitution import DOCUMENTED_EFFECTIVE, DOCUMENTED_RANK_DAYS, june_effective


@pytest.mark.parametrize("known", sorted(DOCUMENTED_EFFECTIVE))
def test_rule_reproduces_every_documented_effective_date(known):
    assert june_effective(known.year)[0] == known


def test_documented_rank_days_are_used():
    by_year = {r.year: r for r in reconstitutions(2015, 2024)}
    for year, (d, _) in DOCUMENTED_RANK_DAYS.items():
        assert by_year[year].rank_day == d


def test_twenty_ninth_or_thirtieth_moves_to_the_friday_before():
    assert june_effective(2018)[0] == date(2018, 6, 22)  # last Friday June 29
    assert june_effective(2017)[0] == date(2017, 6, 23)  # last Friday June 30
    assert june_effective(2024)[0] == date(2024, 6, 28)  # 28th stays
    assert june_effective(2001)[0] == date(2001, 6, 29)  # pre-2004: June 30 was a Saturday


def test_semi_annual_from_2026():
    recs = reconstitutions(2025, 2027)
    assert [(r.year, r.month) for r in recs] == [(2025, 6), (2026, 6), (2026, 12), (2027, 6), (2027, 12)]
    dec = recs[2]
    assert dec.effective == date(2026, 12, 11) and dec.rank_day is None and not dec.documented
    assert recs[1].rank_day == date(2026, 4, 30) and recs[1].effective == date(2026, 6, 26)
    assert reconstitution_dates(date(2026, 1, 1), date(2026, 12, 31)) == [date(2026, 6, 26), date(2026, 12, 11)]
    assert "rank day" in recs[0].summary()


def test_2017_rank_day_is_the_announced_may_12_not_the_end_of_may():
    # FTSE Russell's 2017 schedule: "May 12 - rank day"; the end-of-May rule stopped after 2016
    r2017 = reconstitutions(2017, 2017)[0]
    assert r2017.rank_day == date(2017, 5, 12) and r2017.effective == date(2017, 6, 23)
    assert reconstitutions(2016, 2016)[0].rank_day == date(2016, 5, 27)
    assert reconstitutions(2014, 2014)[0].rank_day == date(2014, 5, 30)  # "May 30, 2014 (ranking day)"
