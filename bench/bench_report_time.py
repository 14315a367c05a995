"""Report build time per section, cold (an empty forecast cache), warm (the same cache again) and on an empty cache with
the records ``r2k update`` publishes in the store, on ../shared/data.

    PYTHONPATH=src python bench/bench_report_time.py [DATA_DIR] [--profile FILE] [--next-day] [--write]

It imports the data into a temporary store and builds the report as of the last RUT close twice with one cache
directory (a new report context each time): cold starts from an empty cache, warm reads what cold wrote. Then it runs
``r2k update --data DIR --no-report`` (timed, on an empty cache of its own: it logs the live forecasts, so the
monitor then judges the ensemble, and publishes the outlook's and the monitor's records in the store) and builds the
report a third time on another empty cache ("published"). It renders
the HTML and the PDF (what ``r2k report --out x.pdf`` does after the build) and prints wall and CPU seconds per
section and in total; the forecast log stays empty (as with --no-log). ``--write`` puts the totals in docs/report.md.
Goal (issue 21): the report on an empty cache under 20 s, the PDF included (issue 20): met with the published record.
``--next-day`` first builds the report as of the previous trading day with the same cache (not timed), so "cold"
is a daily user's first report of a new day. ``--profile FILE`` also writes cProfiles of the cold (FILE) and warm (FILE.warm) builds.
"""

from __future__ import annotations

import cProfile
import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from _shared import data_dir, imported_store, write_doc_block

from r2k.config import Settings
from r2k.report import build_report
from r2k.report.render import to_html, to_pdf
from r2k.snapshot import Snapshot
from r2k.store import Store

NOW = datetime(2026, 1, 1)
ROOT = Path(__file__).resolve().parents[1]


Times = dict[str, tuple[float, float]]  # section -> (wall seconds, CPU seconds of this process)


def _cpu() -> float:
    """CPU seconds of this process and its live worker processes (psutil, when installed, sees the workers)."""
    own = time.process_time()
    try:
        import psutil
    except ImportError:
        return own
    total = own
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            continue
    return total


def _clock() -> tuple[float, float]:
    return time.perf_counter(), _cpu()


def timed_build(store_path: Path, cache: Path | None, as_of: date | None = None) -> tuple[Times, tuple[float, float]]:
    """Wall and CPU seconds per section and in total (build + HTML render) for one report. CPU time is the steadier
    figure on a shared machine (it leaves out waiting for the CPU); it counts worker processes while they live
    (joblib keeps them for minutes), so a parallel section shows its whole work, not its wall time."""
    times: Times = {}
    last: list = [None, _clock()]

    def since(t: tuple[float, float]) -> tuple[float, float]:
        now = _clock()
        return now[0] - t[0], now[1] - t[1]

    def step(key: str) -> None:
        if last[0] is not None:
            times[last[0]] = since(last[1])
        last[0], last[1] = key, _clock()

    t0 = _clock()
    with Store(store_path, read_only=True) as store:
        snap = Snapshot(store, as_of, settings=Settings(store_path=store_path, cache_dir=cache))
        report = build_report(snap, NOW, on_section=step)
        step("")  # closes the last section
        t1 = _clock()
        to_html(report)
        times["render html"] = since(t1)
        t2 = _clock()
        to_pdf(report)
        times["render pdf"] = since(t2)
    return times, since(t0)


def timed_update(store_path: Path, cache: Path, data: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``r2k update --data DIR --no-report`` (no new rows: it logs the live forecasts, scores,
    and publishes the outlook's and the monitor's records), on an empty cache of its own."""
    from r2k.jobs.update import run_update

    t0 = _clock()
    run_update(store_path, Settings(store_path=store_path, cache_dir=cache), datetime.now(), data_dir=data)
    now = _clock()
    return now[0] - t0[0], now[1] - t0[1]


def _profiled(path: str | None, run):  # noqa: ANN001, ANN202 - a timed_build call and its result
    if not path:
        return run()
    prof = cProfile.Profile()
    prof.enable()
    try:
        return run()
    finally:
        prof.disable()
        prof.dump_stats(path)


def main() -> None:
    next_day, write = "--next-day" in sys.argv, "--write" in sys.argv
    args = [a for a in sys.argv[1:] if a not in ("--profile", "--next-day", "--write")]
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    if profile:
        args.remove(profile)
    sys.argv[1:] = args
    with imported_store(data_dir()) as store_path, tempfile.TemporaryDirectory() as cache_tmp:
        cache = Path(cache_tmp) / "cache"
        if next_day:  # yesterday's report fills the cache; "cold" is then today's first report
            with Store(store_path, read_only=True) as store:
                days = store.series("RUT").dropna().index
            timed_build(store_path, cache, days[-2].date())
        cold, cold_total = _profiled(profile, lambda: timed_build(store_path, cache))
        warm, warm_total = _profiled(profile and f"{profile}.warm", lambda: timed_build(store_path, cache))
        publishing = timed_update(store_path, Path(cache_tmp) / "update", data_dir())
        published, published_total = _profiled(profile and f"{profile}.published",
                                               lambda: timed_build(store_path, Path(cache_tmp) / "empty"))
    heads = [f"{run} {unit}" for run in ("cold", "warm", "published") for unit in ("wall s", "CPU s")]
    print(f"{'section':<14}" + "".join(f"{h:>18}" for h in heads))
    nan = (float("nan"),) * 2
    for key in cold:
        print(f"{key:<14}" + "".join(f"{v:18.2f}" for v in (*cold[key], *warm.get(key, nan), *published.get(key, nan))))
    print(f"{'total':<14}" + "".join(f"{v:18.2f}" for v in (*cold_total, *warm_total, *published_total)))
    print(f"r2k update before 'published' (empty cache): {publishing[0]:.2f} s wall, {publishing[1]:.2f} s CPU")
    if write:
        slowest = sorted(((k, v[0]) for k, v in cold.items()), key=lambda kv: -kv[1])[:3]
        load = os.getloadavg()[1]  # the machine's load while it ran: wall seconds mean little on a busy machine
        text = (f"On the shared data, as of the last close, on this 2-core machine (load average {load:.1f} while it "
                f"ran; CPU seconds are the steadier figure): the report with its PDF in "
                f"**{cold_total[0]:.0f} s** on an empty cache ({cold_total[1]:.0f} s of CPU) and **{warm_total[0]:.0f} s** "
                f"with the cache of the first run ({warm_total[1]:.0f} s of CPU); the PDF rendering itself "
                f"{cold['render pdf'][0]:.1f} s. Slowest steps on an empty cache: "
                + ", ".join(f"{k} {v:.1f} s" for k, v in slowest) + ". "
                f"After `r2k update` (which logs the live forecasts and publishes the outlook's and the monitor's "
                f"records in the store; {publishing[0]:.0f} s, {publishing[1]:.0f} s of CPU, on an empty cache of its "
                f"own), on another empty cache: **{published_total[0]:.0f} s** ({published_total[1]:.0f} s of CPU).")
        write_doc_block(ROOT / "docs" / "report.md", "report-time", text, "bench/bench_report_time.py --write")


if __name__ == "__main__":
    main()
