"""Hand mapping vs edgartools on the recorded companyfacts answers (tests/constituents/fixtures/sec).

Measures what decided the choice (docs/constituents.md): which of r2k's 15 concepts each approach can
name, the time to parse a company, and whether a trailing-twelve-month value "as of" a date uses only
facts filed by then. edgartools is not a dependency of r2k; the script says so and stops without it.

    python bench/sec_mapping_coverage.py
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from r2k.analytics.fundamentals import fundamentals
from r2k.outlook.constituents import TAG_RANK
from r2k.providers.sec import CONCEPTS, facts_frame

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "constituents" / "fixtures" / "sec"
# r2k concept -> edgartools synonym group (None: edgartools has no group for it)
GROUPS = {"revenue": "revenue", "operating_income": "operating_income", "net_income": "net_income",
          "interest_expense": "interest_expense", "depreciation": "depreciation_amortization", "assets": "total_assets",
          "current_assets": "current_assets", "current_liabilities": "current_liabilities", "liabilities": "total_liabilities",
          "equity": "stockholders_equity", "debt": "total_debt", "cash": "cash_and_equivalents",
          "operating_cash_flow": "operating_cash_flow", "capex": "capex", "shares": "shares_outstanding"}
AS_OF = date(2025, 2, 15)  # after the Q3 2024 10-Q, before the 2024 10-K (filed 2025-03-01)


def main() -> None:
    try:
        from edgar.entity.parser import EntityFactsParser
        from edgar.standardization import get_synonym_groups
    except ImportError:
        sys.exit("edgartools is not installed: nothing to compare (pip install edgartools)")
    groups = get_synonym_groups()
    covered = [c for c, g in GROUPS.items() if groups.get_group(g) is not None]
    print(f"concepts with a tag list: hand map {len(CONCEPTS)}/15, edgartools synonym groups {len(covered)}/15 "
          f"(missing: {', '.join(sorted(set(GROUPS) - set(covered)))})")
    body = json.loads((FIXTURES / "CIK0001000001.json").read_text())
    t = time.perf_counter()
    for _ in range(5):
        frame = facts_frame(body, "ACMI")
    ours = (time.perf_counter() - t) / 5
    t = time.perf_counter()
    for _ in range(5):
        ef = EntityFactsParser.parse_company_facts(body)
    theirs = (time.perf_counter() - t) / 5
    print(f"parse one company (641 mapped facts): r2k {1000 * ours:.0f} ms, edgartools {1000 * theirs:.0f} ms")
    pit = fundamentals(frame, AS_OF, TAG_RANK).latest
    their_ttm = ef.get_ttm_revenue(as_of=AS_OF)
    print(f"TTM revenue as of {AS_OF}: r2k {pit.flows['revenue']:.2f} (period to {pit.end}, facts filed by {AS_OF}); "
          f"edgartools {float(their_ttm.value):.2f} (period to {getattr(their_ttm, 'as_of_date', '?')}; "
          "its as_of is a period date, filings are not filtered by date)")


if __name__ == "__main__":
    main()
