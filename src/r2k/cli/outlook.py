"""``r2k outlook`` (ratings, key points and scenarios in the terminal) and ``r2k ratings`` (the published
score -> notch mapping, and its calibration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import (AsOfOpt, JsonOpt, StoreOpt, SymbolOpt, console, emit_json, open_store, print_table, progress,
                            settings, snapshot)

OUTLOOK_HELP = """The rated outlook as of a date: short-term (4 weeks) and long-term (52 weeks) ratings on a 21-notch scale (Aaa .. C), key points, and the strategic interaction table (scenarios over 4 weeks with likelihood, impact and technical share).

A rating is a documented function of the outlook model's forecast distribution (see 'r2k ratings --explain'). With --track, the ratings' out-of-sample track record (origins every 40 trading days after the tuning cutoff, cached) is added: the first run takes longer.
"""

RATINGS_HELP = """The published score -> notch mapping of the ratings.

--explain prints the score's definition, each notch's stated frequency and the cut points per horizon (shipped in the package, fixed on origins before the tuning cutoff 2015-12-31). --calibrate re-runs the calibration from the store (weekly origins 1990..cutoff through the walk-forward engine; no outcome is read) and writes it to --out, for comparison with the shipped map.
"""


def outlook_cmd(
    as_of: AsOfOpt = None,
    symbol: SymbolOpt = "RUT",
    track: Annotated[bool, typer.Option("--track/--no-track", help="Add the out-of-sample track record (slower).")] = False,
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
    """Ratings and scenarios as tables, key points as a list (the same facts as --json)."""
    from r2k.cli.fmt import index_name, num, pct
    from r2k.outlook.source import MODEL_SHORT

    console.print(f"[bold]{index_name(o.symbol)} outlook as of {o.as_of}[/bold] (close {num(o.facts['close'])} on "
                  f"{o.origin}; {MODEL_SHORT.get(o.model, o.model)} model, rating map version {o.rating_map.version})")
    print_table(["rating", "term", ("weeks", "right"), "rests on"],
                [[r.label, r.term, str(r.weeks), r.rests_on()] for r in o.ratings.values()],
                caption=f"note: {o.caveats['p_up_long']}", title="Ratings")
    console.print("[bold]Key points[/bold]")
    for k in o.key_points:
        console.print(f"  - {k.text}", markup=False, soft_wrap=not console.is_terminal)
    console.print()
    print_table(["scenario", ("likelihood", "right"), ("impact", "right"), ("technical share", "right"), "basis"],
                [[x.name, pct(x.likelihood, 1), pct(x.impact, 1, True), pct(x.technical_share, 0), x.basis]
                 for x in o.scenarios],
                title="Scenarios over 4 weeks (impact if it happens)")
    if o.track is not None:
        console.print("[bold]Track record (out of sample)[/bold]")
        for r in o.track.horizons.values():
            console.print(f"  {r.verdict}", markup=False)


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

        out = check_writable(out)  # before minutes of walk-forward, not after
        cfg = settings(store)
        with open_store(store) as s:
            closes = s.series("RUT").dropna()
            fedfunds = s.series("FEDFUNDS") if s.has("FEDFUNDS") else None
        with progress("calibrating the rating map", quiet=as_json):
            rmap = calibrate_from_closes(closes, fedfunds, cfg.tuning_cutoff, seed=cfg.seed, n_jobs=n_jobs,
                                         version=rmap.version)
        write_text(out, json.dumps(rmap.to_dict(), indent=1) + "\n")
        if not as_json:
            console.print(f"calibrated rating map written to {out}")
    if as_json:
        # the map is fixed on data up to the cutoff; its own version is map_version ("version" is r2k's)
        emit_json({("map_version" if k == "version" else k): v for k, v in rmap.to_dict().items()}, as_of=rmap.tuning_cutoff)
    elif explain or not calibrate:
        _print_map(rmap)


def _print_map(rmap) -> None:  # noqa: ANN001 - RatingMap, imported lazily
    """The mapping's definition in words, then the notches and cut points and the standardisation as tables."""
    import math

    from r2k.outlook.rating_map import NOTCHES, frequencies
    from r2k.outlook.score import __doc__ as score_doc

    c = rmap.calibration
    console.print(f"Rating map version {rmap.version} for the {rmap.model} model, fixed on {c['n_origins']:,} weekly origins "
                  f"{c['first_origin']}..{c['last_origin']} (on or before the tuning cutoff {rmap.tuning_cutoff}); no "
                  "realised outcome was used and later data never moves it.", markup=False)
    console.print()
    console.print((score_doc or "").strip().replace("``", ""), markup=False)
    console.print()
    hs = sorted(rmap.horizons)
    rows = []
    for i, (label, f) in enumerate(zip(NOTCHES, frequencies())):
        cuts = [rmap.horizons[h].cuts[len(NOTCHES) - 2 - i] if i < len(NOTCHES) - 1 else -math.inf for h in hs]
        rows.append([label, f"{100 * f:.1f}%", *("" if x == -math.inf else f"{x:+.3f}" for x in cuts)])
    print_table(["notch", ("share of origins", "right"), *((f"cut, {h} days", "right") for h in hs)], rows,
                title="Notches, best first (a score at or above the cut gets the notch or better)")
    comps = list(rmap.horizons[hs[0]].standard)
    print_table([("days", "right"), *((f"{k} mean ± sd", "right") for k in comps)],
                [[str(h), *(f"{rmap.horizons[h].standard[k]['mean']:+.4f} ± {rmap.horizons[h].standard[k]['sd']:.4f}"
                            for k in comps)] for h in hs],
                title="Standardisation (origins before the cutoff)")


def register(app: typer.Typer) -> None:
    app.command("outlook", help=OUTLOOK_HELP)(outlook_cmd)
    app.command("ratings", help=RATINGS_HELP)(ratings_cmd)
