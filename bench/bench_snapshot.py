"""What one snapshot per command, page and report buys: `r2k report` cold and warm, the dashboard's first Outlook page
and the next one for a new as-of date, and how often each builds the model input frame (features.inputs.load_inputs).

    PYTHONPATH=src python bench/bench_snapshot.py [DATA_DIR] [--compare REF] [--only report|dashboard]

The data is imported once into a temporary store, with one logged forecast of the published model (so the monitor
judges it, as on a machine in use); each tree then runs against it read-only with its own empty
forecast cache, every measurement in a fresh Python process (wall seconds, CPU seconds of the process and the
workers it waited for, and the input-frame builds counted in every thread). ``--compare REF`` first runs the same
measurements on a temporary git worktree of REF (e.g. ``main``): before and after in one run, under the same load.
The 1-minute load average is printed with each row: on a shared machine the CPU seconds are the steadier figure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _shared import data_dir, imported_store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FIRST, NEXT = "2025-06-30", "2025-07-01"  # the dashboard's first as-of date, then a new one (the next session)

# run in the measured tree's interpreter: the work, timed, with the input-frame builds counted; one JSON line on stdout
PROBE = r"""
import json, resource, sys, time, types
import r2k.features.inputs as inputs_module

# count the builds of the input frame in every thread (the dashboard answers in a worker thread): the function
# object every module imported runs a counting wrapper around a copy of itself
f = inputs_module.load_inputs
inputs_module._bench_original = types.FunctionType(f.__code__, f.__globals__, f.__name__, f.__defaults__, f.__closure__)
inputs_module._bench_original.__kwdefaults__ = f.__kwdefaults__
inputs_module._bench_calls = 0


def counting(*args, **kwargs):
    global _bench_calls
    _bench_calls += 1
    return _bench_original(*args, **kwargs)


f.__code__ = counting.__code__
kind, store, cache, out = sys.argv[1:5]
t0, c0 = time.perf_counter(), time.process_time()
if kind == "report":
    from r2k.cli.app import app
    sys.argv = ["r2k", "report", "--store", store, "--out", out, "--no-log"]
    app(standalone_mode=False)
else:
    from pathlib import Path
    from fastapi.testclient import TestClient
    from r2k.config import Settings
    from r2k.web.app import create_app
    client = TestClient(create_app(Settings(store_path=Path(store), cache_dir=Path(cache))), base_url="http://127.0.0.1")
    r = client.get("/", params={"as_of": kind})
    assert r.status_code == 200, r.text[:300]
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": cpu + kids.ru_utime + kids.ru_stime, "inputs": inputs_module._bench_calls}))
"""


def probe(src: Path, kind: str, store: Path, cache: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "R2K_CACHE_DIR": str(cache)}
    res = subprocess.run([sys.executable, "-c", PROBE, kind, str(store), str(cache), str(out)], env=env,
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        sys.exit(f"{kind} failed in {src}:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def measure(label: str, src: Path, store: Path, only: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache, out = Path(tmp) / "cache", Path(tmp) / "report.html"
        steps = []
        if only in (None, "report"):
            steps += [("r2k report, empty cache", "report"), ("r2k report, warm cache", "report")]
        if only in (None, "dashboard"):
            steps += [(f"dashboard Outlook page, first ({FIRST})", FIRST), (f"dashboard Outlook page, new as-of ({NEXT})", NEXT)]
        for name, kind in steps:
            r = probe(src, kind, store, cache, out)
            print(f"{label:<10}{name:<46}{r['wall']:>9.1f}{r['cpu']:>9.1f}{r['inputs']:>8}{os.getloadavg()[0]:>8.1f}", flush=True)


def log_a_published_forecast(store: Path) -> None:
    """One logged forecast of the published model (as after a day of `r2k forecast` or `r2k update`), so the monitor
    judges that model and its walk-forward reads the input frame, as on a machine in use."""
    import numpy as np
    import pandas as pd

    from r2k.names import PUBLISHED_MODEL
    from r2k.store import Store

    origin = pd.Timestamp("2025-06-27")
    row = {"symbol": "RUT", "origin": origin, "horizon": 5, "model": PUBLISHED_MODEL, "model_version": "bench",
           "target": origin + pd.offsets.BDay(5), "last_close": 2172.5, "mean": 0.001, "p_up": 0.55,
           "quantiles": list(np.linspace(-0.06, 0.06, 99)), "weights": None, "ratings": None}
    with Store(store) as s:
        s.log_forecasts(pd.DataFrame([row]), "bench", pd.Timestamp("2026-01-01").to_pydatetime())


def main() -> None:
    args = sys.argv[1:]
    ref = only = None
    if "--compare" in args:
        ref = args.pop(args.index("--compare") + 1)
        args.remove("--compare")
    if "--only" in args:
        only = args.pop(args.index("--only") + 1)
        args.remove("--only")
    sys.argv[1:] = args
    with imported_store(data_dir()) as store:
        log_a_published_forecast(store)
        print(f"{'tree':<10}{'measurement':<46}{'wall s':>9}{'CPU s':>9}{'inputs':>8}{'load':>8}")
        if ref is not None:
            with tempfile.TemporaryDirectory() as tmp:
                tree = Path(tmp) / "ref"
                subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), ref], check=True)
                try:
                    measure(ref, tree / "src", store, only)
                finally:
                    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
        measure("this tree", REPO / "src", store, only)
    print("inputs: builds of the model input frame (features.inputs.load_inputs) in that process; CPU s includes the "
          "worker processes it waited for.")


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"({time.perf_counter() - t0:.0f} s in all)")
