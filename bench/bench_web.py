"""Load test of the dashboard on 127.0.0.1 only: 500 requests, 16 at a time, per page; p50/p95 and errors.

    python bench/bench_web.py [DATA_DIR]

The server runs in its own process on a free port of 127.0.0.1 and is stopped at the end. Each page is
requested once first (computed and cached), then 500 times: the figures are for cached pages (target:
p95 < 150 ms for the cached outlook page, zero errors).
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REQUESTS, CONCURRENCY = 500, 16
AS_OF = "2025-06-30"
PAGES = ("/", "/api/outlook", "/forecasts", "/channels")
HOST = "127.0.0.1"  # never any other address


def serve(store: str, port: int) -> None:
    import uvicorn

    from r2k.config import Settings
    from r2k.web.app import create_app

    uvicorn.run(create_app(Settings(store_path=Path(store)), report=None), host=HOST, port=port, log_level="warning")


def main() -> None:
    import httpx

    sys.path.insert(0, str(Path(__file__).parent))
    from _shared import data_dir, imported_store

    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    base = f"http://{HOST}:{port}"
    with imported_store(data_dir()) as store:
        proc = subprocess.Popen([sys.executable, __file__, "--serve", str(store), str(port)])
        try:
            with httpx.Client(base_url=base, timeout=1800) as client:
                for _ in range(300):
                    try:
                        client.get("/openapi.json")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                print(f"{REQUESTS} requests per page, {CONCURRENCY} concurrent, as of {AS_OF}, server {base}")
                for page in PAGES:
                    t = time.perf_counter()
                    first = client.get(page, params={"as_of": AS_OF})
                    cold = time.perf_counter() - t

                    def one(_: int) -> tuple[float, int]:
                        t0 = time.perf_counter()
                        r = client.get(page, params={"as_of": AS_OF})
                        return time.perf_counter() - t0, r.status_code

                    with ThreadPoolExecutor(CONCURRENCY) as pool:
                        results = list(pool.map(one, range(REQUESTS)))
                    ms = sorted(1000 * d for d, _ in results)
                    errors = sum(code != 200 for _, code in results)
                    p95 = ms[int(0.95 * len(ms)) - 1]
                    goal = "  (goal p95 < 150 ms: " + ("met" if p95 < 150 and not errors else "NOT met") + ")" if page == "/" else ""
                    print(f"{page:<14} first {first.status_code} in {cold:6.2f} s; cached: p50 {statistics.median(ms):6.1f} ms, "
                          f"p95 {p95:6.1f} ms, errors {errors}{goal}")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        main()
