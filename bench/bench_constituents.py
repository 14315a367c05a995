"""Per-company fan-out (parse + score) on generated data shaped like the real thing: serial vs Dask.

2,000 companies x 10 fiscal years of quarterly XBRL facts in SEC's companyfacts layout (each 10-Q with
the quarter and the year to date, each 10-K with the year and the prior year, 15 concepts, 4 of them
under a second tag as many filers do). Each task generates its companies' answers from a seed (standing
in for the fetch, which on a real run happens on the worker too), parses them with the real provider
code and scores them with the real scorecard. Serial and a 2-worker LocalCluster (processes) run in
fresh child processes so each peak RSS is its own; the ratings of both runs are compared.

    python bench/bench_constituents.py [COMPANIES]      # default 2000
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np

AS_OF = date(2026, 3, 31)
CHUNK = 50
FLOWS = {"Revenues": 1.0, "OperatingIncomeLoss": None, "NetIncomeLoss": None, "InterestExpense": None,
         "DepreciationDepletionAndAmortization": None, "NetCashProvidedByUsedInOperatingActivities": None,
         "PaymentsToAcquirePropertyPlantAndEquipment": None}
BALANCES = ("Assets", "AssetsCurrent", "LiabilitiesCurrent", "Liabilities", "StockholdersEquity", "LongTermDebt",
            "CashAndCashEquivalentsAtCarryingValue")
ALIASES = {"Revenues": "RevenueFromContractWithCustomerExcludingAssessedTax", "LongTermDebt": "LongTermDebtNoncurrent",
           "NetIncomeLoss": "ProfitLoss", "InterestExpense": "InterestExpenseNonoperating"}
SECTORS = ("Industrials", "Information Technology", "Financials", "Health Care", "Consumer Discretionary", "Real Estate")


def company(i: int) -> dict:
    """One company's companyfacts answer: 2016..2025 quarters, random but plausible ratios (seeded by i)."""
    rng = np.random.default_rng(i)
    base, growth = rng.uniform(20, 2000), rng.normal(0.015, 0.03)
    share = {"OperatingIncomeLoss": rng.normal(0.08, 0.1), "NetIncomeLoss": rng.normal(0.05, 0.08),
             "InterestExpense": rng.uniform(0.0, 0.04), "DepreciationDepletionAndAmortization": rng.uniform(0.01, 0.08),
             "NetCashProvidedByUsedInOperatingActivities": rng.normal(0.10, 0.08),
             "PaymentsToAcquirePropertyPlantAndEquipment": rng.uniform(0.01, 0.1)}
    assets = base * rng.uniform(1.0, 4.0)
    bal = {"Assets": assets, "AssetsCurrent": assets * rng.uniform(0.2, 0.6), "LiabilitiesCurrent": assets * rng.uniform(0.1, 0.4),
           "Liabilities": assets * rng.uniform(0.2, 0.8), "LongTermDebt": assets * rng.uniform(0.0, 0.5),
           "CashAndCashEquivalentsAtCarryingValue": assets * rng.uniform(0.02, 0.2)}
    bal["StockholdersEquity"] = assets - bal["Liabilities"]
    us: dict[str, dict] = {}

    def add(tag: str, start: date | None, end: date, val: float, accn: str, fy: int, fp: str, form: str, filed: date) -> None:
        if tag in ALIASES and i % 4 == 0:
            tag = ALIASES[tag]
        f = {"end": end.isoformat(), "val": round(val, 2), "accn": accn, "fy": fy, "fp": fp, "form": form, "filed": filed.isoformat()}
        if start:
            f["start"] = start.isoformat()
        us.setdefault(tag, {"label": tag, "description": "generated", "units": {"USD": []}})["units"]["USD"].append(f)

    rev = {}
    k = 0
    for year in range(2016, 2026):
        for q, (m, d) in enumerate(((3, 31), (6, 30), (9, 30), (12, 31)), start=1):
            rev[(year, q)] = base * (1 + growth) ** k * rng.uniform(0.95, 1.05)
            k += 1
            end = date(year, m, d)
            accn = f"{i:010d}-{year % 100:02d}-{q:06d}"
            form, fp, filed = ("10-K", "FY", end + timedelta(days=60)) if q == 4 else ("10-Q", f"Q{q}", end + timedelta(days=40))
            for tag in FLOWS:
                s = 1.0 if tag == "Revenues" else share[tag]
                if q < 4:
                    add(tag, date(year, m - 2, 1), end, rev[(year, q)] * s, accn, year, fp, form, filed)
                    if q > 1:
                        add(tag, date(year, 1, 1), end, sum(rev[(year, j)] for j in range(1, q + 1)) * s, accn, year, fp, form, filed)
                else:
                    for y in (year - 1, year):
                        if (y, 1) in rev:
                            add(tag, date(y, 1, 1), date(y, 12, 31), sum(rev[(y, j)] for j in range(1, 5)) * s, accn, year, fp, form, filed)
            for tag in BALANCES:
                add(tag, None, end, bal[tag] * rng.uniform(0.97, 1.03), accn, year, fp, form, filed)
    return {"cik": i + 1, "entityName": f"COMPANY {i}", "facts": {"us-gaap": us}}


def work(indices: list[int], as_of: date) -> tuple[list[tuple], list[float]]:
    """One task: 'fetch' (generate), parse and score a chunk of companies; comparable tuples and stage times."""
    from r2k.outlook.constituents import rate_chunk
    from r2k.providers.sec import facts_frame

    t0 = time.process_time()
    bodies = [company(i) for i in indices]
    t1 = time.process_time()
    tasks = [(f"C{i:05d}", f"COMPANY {i}", SECTORS[i % len(SECTORS)], 1.0, facts_frame(b, f"C{i}")) for i, b in zip(indices, bodies)]
    t2 = time.process_time()
    ratings = rate_chunk(tasks, as_of)
    t3 = time.process_time()
    rows = [(r.ticker, *[round(r.categories[c].short_term, 9) if r.categories[c].short_term == r.categories[c].short_term else None
                         for c in r.categories]) for r in ratings]
    return rows, [t1 - t0, t2 - t1, t3 - t2]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, n: int) -> None:
    from r2k.parallel import Executor, chunked

    chunks = chunked(list(range(n)), CHUNK)
    if mode == "serial":
        t = time.perf_counter()
        parts = [work(c, AS_OF) for c in chunks]
        wall, workers_mb = time.perf_counter() - t, []
    else:
        from dask.distributed import LocalCluster

        t0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Executor(cluster) as ex:
                ex.client.run(lambda: __import__("r2k.outlook.constituents"))  # imports outside the timing
                start = time.perf_counter() - t0
                t = time.perf_counter()
                parts = ex.map(work, chunks, AS_OF)
                wall = time.perf_counter() - t
                workers_mb = list(ex.client.run(peak_mb).values())
        print(f"cluster start {start:.1f} s", file=sys.stderr)
    out = [row for rows, _ in parts for row in rows]
    stages = [sum(p[1][k] for p in parts) for k in range(3)]
    rated = sum(1 for row in out if row[1] is not None)
    print(json.dumps({"mode": mode, "seconds": wall, "cpu_generate_parse_score": stages, "driver_mb": peak_mb(), "workers_mb": workers_mb,
                      "companies": len(out), "rated_income": rated, "digest": hashlib.sha256(json.dumps(out).encode()).hexdigest()}))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    results = {}
    for mode in ("serial", "dask"):
        proc = subprocess.run([sys.executable, __file__, "--child", mode, str(n)], capture_output=True, text=True, check=True)
        results[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    s, d = results["serial"], results["dask"]
    facts_per = sum(len(u["units"]["USD"]) for u in company(0)["facts"]["us-gaap"].values())
    print(f"{n:,} companies x 10 years of quarterly facts (~{facts_per:,} facts each, ~{n * facts_per / 1e6:.1f} M in all), "
          f"parse + score in chunks of {CHUNK}:")
    print(f"  serial            {s['seconds']:6.1f} s   peak RSS {s['driver_mb']:6.0f} MB")
    print(f"  2-worker cluster  {d['seconds']:6.1f} s   peak RSS driver {d['driver_mb']:.0f} MB + workers "
          f"{' + '.join(f'{m:.0f}' for m in d['workers_mb'])} MB   speed-up {s['seconds'] / d['seconds']:.2f}x")
    cpu_s, cpu_d = sum(s["cpu_generate_parse_score"]), sum(d["cpu_generate_parse_score"])
    print(f"  CPU seconds inside the tasks: serial {cpu_s:.1f}, cluster {cpu_d:.1f} (over 2 workers); "
          f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall times on a shared machine measure the queue, CPU times the work)")
    g, p, sc = s["cpu_generate_parse_score"]
    print(f"  serial CPU by stage: generate (stands in for the fetch) {g:.1f} s, parse {p:.1f} s, score {sc:.1f} s "
          f"({1000 * (p + sc) / n:.0f} ms a company for parse + score)")
    print(f"  identical ratings: {s['digest'] == d['digest']} ({s['rated_income']:,} companies rated on income)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
