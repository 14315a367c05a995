"""Ctrl-C a real `r2k data import` at a range of delays and count the outcomes (issue 22, item 8).

Each run imports ../shared/data into a fresh store, sends SIGINT after the delay, then reads the store back. An
outcome is the exit code, the last stderr line and whether the rows were stored; a truthful outcome is exit 130
with "(the store is unchanged)" and no rows, or "(the store was updated)" with every row, never a traceback or
exit 1. The delays must cover the write, which starts after the files are read (a few seconds on this machine;
widen the range under load).

    python bench/probe_ctrl_c.py [DATA] [--from 2.0] [--to 7.0] [--step 0.1]
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from _shared import DEFAULT_DATA

SRC = Path(__file__).resolve().parents[1] / "src"


def stored_rows(path: Path) -> str:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return "no store"
    try:
        n = con.execute("SELECT (SELECT count(*) FROM bars) + (SELECT count(*) FROM observations)").fetchone()[0]
    finally:
        con.close()
    return "rows stored" if n else "no rows"


def one_run(data: Path, delay: float, tmp: Path) -> tuple[int, str, str]:
    store = tmp / "probe.duckdb"
    for p in tmp.iterdir():
        p.unlink() if p.is_file() else shutil.rmtree(p)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", "from r2k.cli.app import main; main()", "data", "import", str(data), "--store", str(store)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    last = "Traceback" if "Traceback" in err else (err.strip().splitlines() or ["(nothing)"])[-1]
    return proc.returncode, last, stored_rows(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--from", dest="start", type=float, default=2.0)
    parser.add_argument("--to", dest="stop", type=float, default=7.0)
    parser.add_argument("--step", type=float, default=0.1)
    args = parser.parse_args()
    outcomes: collections.Counter[tuple[int, str, str]] = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        delay = args.start
        while delay <= args.stop + 1e-9:
            outcomes[one_run(args.data, delay, Path(tmp))] += 1
            delay += args.step
    print(f"{sum(outcomes.values())} runs, Ctrl-C after {args.start:g}..{args.stop:g} s every {args.step:g} s")
    for (code, line, rows), n in sorted(outcomes.items(), key=lambda kv: -kv[1]):
        print(f"{n:4d}  exit {code:>4}  {rows:<12} {line[:120]}")


if __name__ == "__main__":
    main()
