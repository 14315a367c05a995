"""``r2k cache``: what the forecast cache holds, and pruning it to a size limit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import JsonOpt, UsageError, console, emit_json, print_table, settings

cache_app = typer.Typer(help="Inspect and prune the forecast cache ($R2K_CACHE_DIR, default the user cache directory).",
                        no_args_is_help=True)

FOLDER_NAMES = {"forecasts": "block forecasts", "frames": "track-record frames"}
DEFAULT_MAX_MB = 512  # r2k.store.cache_files.DEFAULT_MAX_MB, spelled out so --help imports nothing (a test keeps them equal)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def _directory() -> Path:
    directory = settings(None).cache_dir
    if directory is None:
        raise UsageError("the cache is off (R2K_CACHE_DIR is set to an empty value)")
    return directory


@cache_app.command("status")
def status_cmd(as_json: JsonOpt = False) -> None:
    """Entries and size per kind, the automatic size limit, and leftovers a prune would remove. Changes nothing."""
    from r2k.store.cache_files import cache_status

    st = cache_status(_directory())
    if as_json:
        emit_json(st.to_dict())
        return
    d = st.to_dict()
    console.print(f"cache at {st.directory}: {_mb(st.total_bytes)} (automatic limit {_mb(st.limit_bytes)}: least "
                  "recently used entries beyond it are evicted)", highlight=False)
    rows = [[FOLDER_NAMES.get(k, k), f"{n:,}", _mb(b)] for k, (n, b) in sorted(st.by_folder.items())]
    if rows:
        print_table(["kind", ("entries", "right"), ("size", "right")], rows,
                    caption=f"last used {d['newest_use']}, least recently used {d['oldest_use']}")
    else:
        console.print("no entries")
    if st.legacy or st.temporary:
        console.print(f"to remove with 'r2k cache prune': {st.legacy:,} entries of an older format ({_mb(st.legacy_bytes)}), "
                      f"{st.temporary:,} temporary files ({_mb(st.temporary_bytes)}; those older than 10 minutes)")


@cache_app.command("prune")
def prune_cmd(
    max_mb: Annotated[float | None, typer.Option("--max-mb", min=0.0, help="Keep at most this many MB of entries, "
                                                 f"the most recently used (default: the automatic limit, {DEFAULT_MAX_MB}).")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Remove every entry (the cache refills as it is used).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Evict the least recently used entries beyond a size limit, and remove leftovers (older-format entries,
    temporary files of killed runs or full disks).

    Pruning only costs recomputation later. Writers also prune automatically to 512 MB."""
    from r2k.store.cache_files import prune

    if everything and max_mb is not None:
        raise UsageError("--all and --max-mb exclude each other")
    limit = 0 if everything else int((DEFAULT_MAX_MB if max_mb is None else max_mb) * 2**20)
    res = prune(_directory(), limit)
    if as_json:
        emit_json(res.to_dict())
        return
    console.print(f"pruned the cache at {res.directory} to {_mb(res.limit_bytes)}: evicted {res.evicted:,} entries "
                  f"({_mb(res.evicted_bytes)}, least recently used first), removed {res.legacy:,} entries of an older "
                  f"format and {res.temporary:,} temporary files; kept {res.kept:,} entries ({_mb(res.kept_bytes)})",
                  highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache")
