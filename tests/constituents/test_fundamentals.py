"""Point-in-time fundamentals: quarters from year-to-date facts, TTM, restatements, no look-ahead."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest
from constituents_support import SEC

from r2k.analytics.fundamentals import fundamentals, quarters, resolve
from r2k.outlook.constituents import TAG_RANK
from r2k.outlook.scorecard import rate_company
from r2k.providers.sec import facts_frame


def q(year: int, k: int) -> float:
    return 100 * 1.02 ** ((year - 2018) * 4 + k - 1)


@pytest.fixture(scope="module")
def acmi() -> pd.DataFrame:
    return facts_frame(json.loads((SEC / "CIK0001000001.json").read_text()), "ACMI")


def test_q4_is_derived_from_the_year_minus_nine_months(acmi):
    r = resolve(acmi[acmi["filed"] <= "2024-06-01"], TAG_RANK)
    rev = quarters(r[r["concept"] == "revenue"])
    assert rev.loc[pd.Timestamp("2023-12-31")] == pytest.approx(q(2023, 4))
    assert rev.loc[pd.Timestamp("2023-06-30")] == pytest.approx(q(2023, 2))
    assert len(rev) == 25  # 2018Q1 .. 2024Q1


def test_ttm_year_ago_and_fiscal_years_known_at_the_as_of_date(acmi):
    f = fundamentals(acmi, date(2025, 2, 15), TAG_RANK)
    assert f.latest.end == date(2024, 9, 30)  # the Q3 10-Q was filed 2024-11-09; the 10-K only on 2025-03-01
    assert f.latest.flows["revenue"] == pytest.approx(sum(q(2024, k) for k in (1, 2, 3)) + q(2023, 4))
    assert f.latest.prior_revenue == pytest.approx(sum(q(2023, k) for k in (1, 2, 3)) + q(2022, 4))
    assert f.year_ago.end == date(2023, 9, 30)
    assert f.latest.balances["debt"] == 200.0 and f.latest.prior_balances["assets"] == 800.0
    assert [p.end.year for p in f.years] == [2019, 2020, 2021, 2022, 2023]
    assert f.years[-1].flows["revenue"] == pytest.approx(sum(q(2023, k) for k in range(1, 5)))


def test_a_restatement_counts_only_from_its_filing_date(acmi):
    before = fundamentals(acmi, date(2025, 2, 28), TAG_RANK)
    after = fundamentals(acmi, date(2025, 3, 1), TAG_RANK)
    fy2023 = {p.end: p.flows["revenue"] for p in after.years}[date(2023, 12, 31)]
    assert fy2023 == 620.0
    assert {p.end: p.flows["revenue"] for p in before.years}[date(2023, 12, 31)] == pytest.approx(sum(q(2023, k) for k in range(1, 5)))
    assert after.latest.end == date(2024, 12, 31)


def test_stale_results_are_not_used(acmi):
    f = fundamentals(acmi, date(2027, 6, 1), TAG_RANK)
    assert f.latest is None and "over 270 days old" in f.note


def test_rewriting_the_future_changes_nothing(acmi):
    """Garbage in every fact filed after the as-of date, plus invented later filings: same ratings."""
    as_of = date(2023, 8, 1)
    rng = np.random.default_rng(7)
    future = acmi["filed"] > pd.Timestamp(as_of)
    garbage = acmi.copy()
    garbage.loc[future, "value"] = rng.normal(0, 1e6, future.sum())
    extra = acmi[~future].head(40).assign(filed=pd.Timestamp("2023-08-02"), accn="X", value=-5.0)
    garbage = pd.concat([garbage, extra], ignore_index=True)
    a = rate_company("ACMI", "Acme", "Industrials", 1.0, fundamentals(acmi, as_of, TAG_RANK))
    b = rate_company("ACMI", "Acme", "Industrials", 1.0, fundamentals(garbage, as_of, TAG_RANK))
    assert a.to_dict() == b.to_dict()
    assert a.period_end == "2023-03-31"  # the Q2 10-Q is filed on 2023-08-09
