"""Page times of the dashboard for new as-of dates, on the shared data: every page for a first date (empty disk
cache), then for another new date (the disk caches the first one filled: the issue-21 goal is under 10 s for any
page), then that date again (answers cached in memory).

    python bench/bench_dashboard.py [DATA_DIR] [--write-docs]

The server runs in its own process on a free port of 127.0.0.1 with its own empty cache directory and is stopped at
the end; the pages are requested one after another, as a person browsing would. ``--write-docs`` puts the table in
docs/dashboard.md.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST, NEXT = "2024-06-28", "2025-03-31"
PAGES = ("/", "/forecasts", "/analytics", "/channels", "/macro", "/scores", "/coverage")
GOAL = 10.0  # seconds, any page for a new as-of after the first (issue 21)
HOST = "127.0.0.1"  # never any other address


def serve(store: str, port: int) -> None:
    import uvicorn

    from r2k.config import load_settings
    from r2k.web.app import create_app

    uvicorn.run(create_app(load_settings({**os.environ, "R2K_STORE": store}), report=None), host=HOST, port=port, log_level="warning")


def timed(client, path: str, as_of: str) -> tuple[float, int]:  # noqa: ANN001 - httpx.Client
    t = time.perf_counter()
    r = client.get(path, params={"as_of": as_of})
    return time.perf_counter() - t, r.status_code


def main() -> None:
    import httpx

    sys.path.insert(0, str(Path(__file__).parent))
    from _shared import data_dir, imported_store, write_doc_block

    write_docs = "--write-docs" in sys.argv
    sys.argv = [a for a in sys.argv if a != "--write-docs"]
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    with imported_store(data_dir()) as store, tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "R2K_CACHE_DIR": cache, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(store), str(port)], env=env)
        rows = []
        try:
            with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=1800) as client:
                for _ in range(300):
                    try:
                        client.get("/docs")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                print(f"{'page':<12}{'first as-of':>14}{'new as-of':>12}{'again':>9}   (seconds; {FIRST}, then {NEXT}; "
                      f"load {os.getloadavg()[0]:.1f})", flush=True)
                for path in PAGES:
                    first, c1 = timed(client, path, FIRST)
                    rows.append([path, first, c1])
                for row in rows:
                    new, c2 = timed(client, row[0], NEXT)
                    again, c3 = timed(client, row[0], NEXT)
                    row += [new, again, c2, c3]
                    print(f"{row[0]:<12}{row[1]:>14.1f}{new:>12.1f}{again:>9.2f}   status {row[2]}/{c2}/{c3}", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    worst = max(r[3] for r in rows)
    verdict = f"slowest page for a new as-of after the first: {worst:.1f} s (goal under {GOAL:.0f} s: {'met' if worst < GOAL else 'NOT met'})"
    print(verdict)
    if write_docs:
        table = "\n".join(["| page | first as-of, empty cache (s) | another new as-of (s) | same as-of again (s) |", "|---|---|---|---|",
                           *(f"| `{r[0]}` | {r[1]:.1f} | {r[3]:.1f} | {r[4]:.2f} |" for r in rows)])
        body = (f"As of {FIRST}, then {NEXT}, pages requested one after another on 127.0.0.1 (load average at the end "
                f"{os.getloadavg()[0]:.1f} on this 2-core machine):\n\n{table}\n\n{verdict}.")
        write_doc_block(Path(__file__).resolve().parents[1] / "docs" / "dashboard.md", "page-times", body, "bench/bench_dashboard.py")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        main()
