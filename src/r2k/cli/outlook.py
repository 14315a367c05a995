"""``r2k outlook`` (the report's first screen and scenario table in the terminal, through the report's blocks) and ``r2k ratings``
(the published score -> notch mapping of the risk grade, and its calibration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import (AsOfOpt, JsonOpt, StoreOpt, SymbolOpt, console, emit_json, open_store, print_blocks, print_table,
                            progress, settings, snapshot)

OUTLOOK_HELP = """The outlook as of a date: the risk grade (how dangerous the next 4 weeks look, on a 21-notch scale from Aaa, the calmest, to C, the most dangerous), the return view apart from it (P(up) and the expected excess return next to the usual, with a direction verdict only where the evidence allows), the 52-week grade (indicative), key points, key numbers, the rating table and the scenarios over 4 weeks: the report's first screen and scenario table, in the same words and tables.

A grade is the 5% expected shortfall of the forecast distribution against fixed cut points (see 'r2k ratings --explain'). With --track, the grades' weekly record after the tuning cutoff and the direction evidence are added (the first run forecasts every week since 2016 and takes minutes; later runs read it from the cache).
"""

RATINGS_HELP = """The published score -> notch mapping of the risk grades.

--explain prints the score's definition, each notch's stated frequency and the cut points per horizon (shipped in the package, fixed on weekly origins up to the tuning cutoff 2015-12-31). --calibrate re-runs the calibration from the store (weekly origins 1995..cutoff through the walk-forward engine, the data cut at the cutoff; no outcome is read) and writes it to --out, for comparison with the shipped map.
"""


def outlook_cmd(
    as_of: AsOfOpt = None,
    symbol: SymbolOpt = "RUT",
    track: Annotated[bool, typer.Option("--track/--no-track", help="Add the grades' weekly record after 2015 and the direction evidence (slower).")] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from r2k.outlook import build_outlook

    with snapshot(store, as_of, symbol) as snap, progress("building the outlook", quiet=as_json):
        result = build_outlook(snap, track="report" if track else None)
    if as_json:
        emit_json(result.to_dict())
        return
    _print_outlook(result)


def _print_outlook(o) -> None:  # noqa: ANN001 - Outlook, imported lazily
    """The report's first screen (the cards, key points, key numbers, rating table) and its scenario table, through
    the report's own blocks (the same facts as --json)."""
    from r2k.cli.fmt import index_name, num
    from r2k.outlook.source import MODEL_SHORT
    from r2k.report import blocks as B
    from r2k.report.sections.outlook import first_screen
    from r2k.report.sections.scenarios import scenario_table

    console.print(f"[bold]{index_name(o.symbol)} outlook as of {o.as_of}[/bold] (close {num(o.facts['close'])} on "
                  f"{o.origin}; {MODEL_SHORT.get(o.model, o.model)} model, rating map version {o.rating_map.version})")
    print_blocks([*first_screen(o), B.Heading("Scenarios over 4 weeks (impact if it happens)"), scenario_table(o)])
    if o.track is not None:
        console.print("[bold]Record of the grades and the direction (out of sample)[/bold]")
        console.print(o.track.summary(), markup=False, soft_wrap=not console.is_terminal)


def ratings_cmd(
    explain: Annotated[bool, typer.Option("--explain", help="Print the mapping: score, notch frequencies, cut points.")] = False,
    calibrate: Annotated[bool, typer.Option("--calibrate", help="Re-run the calibration from the store and write it to --out.")] = False,
    out: Annotated[Path, typer.Option("--out", help="Where --calibrate writes the map (JSON).")] = Path("rating_map.json"),
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Parallel workers for --calibrate.")] = 1,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    from r2k.outlook.rating_map import calibrate_from_closes, load_map

    rmap = load_map()
    if calibrate:
        from r2k.outfile import check_writable, write_text
        from r2k.outlook.source import OUTLOOK_MODEL

        out = check_writable(out)  # before minutes of walk-forward, not after
        from r2k.snapshot import Snapshot

        cfg = settings(store)
        with open_store(store) as s:  # the inputs as known at the cutoff (or the last close before it)
            closes = s.series("RUT").dropna()
            feats = Snapshot(s, cfg.tuning_cutoff, settings=cfg).model_inputs([OUTLOOK_MODEL])
        with progress("calibrating the rating map", quiet=as_json):
            rmap = calibrate_from_closes(closes, cfg.tuning_cutoff, seed=cfg.seed, version=rmap.version, n_jobs=n_jobs,
                                         features=feats, cache_dir=cfg.cache_dir)
        write_text(out, json.dumps(rmap.to_dict(), indent=1) + "\n")
        if not as_json:
            console.print(f"calibrated rating map written to {out}")
    if as_json:
        # the map is fixed on data up to the cutoff; its own version is map_version ("version" is r2k's)
        emit_json({("map_version" if k == "version" else k): v for k, v in rmap.to_dict().items()}, as_of=rmap.tuning_cutoff)
    elif explain or not calibrate:
        _print_map(rmap)


def _print_map(rmap) -> None:  # noqa: ANN001 - RatingMap, imported lazily
    """The mapping's definition in words, then the notches, their frequencies and cut points as a table."""
    from r2k.outlook.rating_map import cut_rows, explain
    from r2k.words import weeks

    console.print(explain(rmap), markup=False)
    console.print()
    hs = sorted(rmap.horizons)
    rows = [[label, f"{100 * f:.1f}%", *("" if x is None else f"{100 * x:+.2f}%" for x in cuts)]
            for label, f, cuts in cut_rows(rmap)]
    print_table(["notch", ("share of weeks", "right"), *((f"cut, {weeks(h)}", "right") for h in hs)], rows,
                title="Notches, calmest first (an expected shortfall at or above the cut gets the notch or better)")


def register(app: typer.Typer) -> None:
    app.command("outlook", help=OUTLOOK_HELP)(outlook_cmd)
    app.command("ratings", help=RATINGS_HELP)(ratings_cmd)
