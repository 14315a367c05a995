"""The test suite's time: the whole run, the load average around it, and the slowest 20 tests.

    python bench/bench_tests.py [--compare REF] [--write] [-- PYTEST ARGS]

Runs ``pytest -q --durations=20`` (plus any PYTEST ARGS; ``make test``'s are ``-m "not slow" -n 2 --dist loadfile``)
with this tree's interpreter. ``--compare
REF`` first runs the same on a temporary git worktree of REF (before and after in one run, under the same load).
``--write`` puts this tree's slowest 20 into the README's "Tests" section (between its bench markers), so the
list in the docs is always one this script printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _shared import write_doc_block

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DURATION = re.compile(r"^\s*([\d.]+)s (call|setup|teardown)\s+(\S.*)$")


def run(tree: Path, extra: list[str]) -> tuple[float, str, list[tuple[float, str, str]], tuple[float, float]]:
    """(wall seconds, pytest's summary line, the slowest (seconds, phase, test), load average before and after)."""
    shared = REPO.parent / "shared" / "data"  # a worktree elsewhere still finds ../shared/data
    with tempfile.TemporaryDirectory() as cache:  # an empty forecast cache, as on a fresh clone (not ~/.cache/r2k)
        env = {**os.environ, "PYTHONPATH": str(tree / "src"), "R2K_CACHE_DIR": cache}
        if shared.is_dir():
            env.setdefault("R2K_SHARED_DATA", str(shared))
        load0 = os.getloadavg()[0]
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "--durations=20", *extra],
                             cwd=tree, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
    lines = res.stdout.splitlines()
    summary = next((ln.strip("= ") for ln in reversed(lines) if re.search(r"\d+ (passed|failed)", ln)), "no summary")
    slow = [(float(m[1]), m[2], m[3]) for ln in lines if (m := DURATION.match(ln))]
    for failed in (ln for ln in lines if ln.startswith(("FAILED", "ERROR"))):
        print(failed, file=sys.stderr)
    return wall, summary, slow, (load0, os.getloadavg()[0])


def show(label: str, result: tuple[float, str, list[tuple[float, str, str]], tuple[float, float]]) -> None:
    wall, summary, slow, (l0, l1) = result
    print(f"{label}: {wall:.0f} s wall ({summary}); load average {l0:.1f} before, {l1:.1f} after")
    for seconds, phase, test in slow:
        print(f"  {seconds:7.2f} s  {phase:<5} {test}")


def write_readme(result: tuple[float, str, list[tuple[float, str, str]], tuple[float, float]], extra: list[str]) -> None:
    wall, summary, slow, (l0, l1) = result
    command = "python -m pytest" + "".join(f" {a}" if " " not in a else f' "{a}"' for a in extra)
    rows = "\n".join(f"| {s:.1f} | {phase} | `{test}` |" for s, phase, test in slow)
    body = (f"`{command}`: {summary} in {wall:.0f} s (load average {l0:.1f} before, {l1:.1f} after, on 2 cores).\n"
             f"The slowest 20:\n\n| seconds | phase | test |\n|---:|---|---|\n{rows}")
    write_doc_block(README, "test-suite", body, "bench/bench_tests.py --write")
    print(f"wrote the slowest 20 to {README.name}")


def main() -> None:
    args = sys.argv[1:]
    extra = args[args.index("--") + 1:] if "--" in args else []
    args = args[: args.index("--")] if "--" in args else args
    if "--compare" in args:
        ref = args[args.index("--compare") + 1]
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "ref"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), ref], check=True)
            try:
                show(ref, run(tree, extra))
            finally:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
    mine = run(REPO, extra)
    show("this tree", mine)
    if "--write" in args:
        write_readme(mine, extra)


if __name__ == "__main__":
    main()
