"""``r2k sentiment``: score a text, build the daily headline index, evaluate on Financial PhraseBank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import JsonOpt, StoreOpt, UsageError, console, emit_json, open_store, print_table, progress, utc_now

# the same names as r2k.sentiment.registry.SCORERS (a test keeps them equal); spelled out so --help loads no scorer
SCORERS = ("lm", "vader", "embedding")
sentiment_app = typer.Typer(help="Text sentiment: score texts, a daily headline index, PhraseBank evaluation.",
                            no_args_is_help=True)
CORE = ("lm", "vader")
SCORER_NAMES = {"lm": "Loughran-McDonald", "vader": "VADER", "embedding": "sentence embedding"}
ScorerOpt = Annotated[str, typer.Option("--scorer", help="Scorer: lm (Loughran-McDonald), vader, or embedding "
                                                         "(optional extra).")]


def _names(value: str) -> list[str]:
    names = list(SCORERS) if value == "all" else [n.strip().lower() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCORERS]
    if unknown or not names:
        raise UsageError(f"--scorer: {value!r} is not one of {', '.join(SCORERS)} (comma-separated) or 'all'")
    return names


@sentiment_app.command("score")
def score_cmd(
    text: Annotated[str, typer.Argument(help="The text to score.")],
    scorer: Annotated[str, typer.Option("--scorer", help="Comma-separated scorers (lm, vader, embedding) or 'all'.")]
    = ",".join(CORE),
    as_json: JsonOpt = False,
) -> None:
    """Score TEXT in [-1, 1] and label it negative/neutral/positive with each scorer (default: lm, vader).

    Labels: score >= +threshold positive, <= -threshold negative, else neutral (lm 0.05, vader 0.05, embedding 0.15).

    JSON keys: text, results (scorer, score, label, threshold).
    """
    from r2k.sentiment.run import score_text

    result = score_text(text, _names(scorer))
    if as_json:
        emit_json(result.to_dict())
        return
    from r2k.cli.fmt import num

    print_table(["scorer", ("score", "right"), "label", ("neutral band", "right")],
                [[SCORER_NAMES.get(r.scorer, r.scorer), num(r.score, 3, True), r.label, f"±{num(r.threshold, 2)}"]
                 for r in result.results], title="Sentiment of the text (score from -1 to +1)")


@sentiment_app.command("index")
def index_cmd(
    file: Annotated[str, typer.Argument(help="Headline CSV (date, optional time_et, headline) or an RSS/Atom feed URL.")],
    scorer: ScorerOpt = "lm",
    half_life: Annotated[float, typer.Option("--half-life", help="Decay half-life in trading days.")] = 5.0,
    prior_weight: Annotated[float, typer.Option("--prior-weight", help="Neutral prior weight, in headlines.")] = 1.0,
    text_column: Annotated[str | None, typer.Option("--text-column", help="Text column (default: headline, title "
                                                                          "or text).")] = None,
    include_description: Annotated[bool, typer.Option("--include-description",
                                                      help="Append the description column to each headline.")] = False,
    tail: Annotated[int, typer.Option("--tail", help="Rows of the index to print (text output).")] = 10,
    save: Annotated[bool, typer.Option("--save", help="Write SENT_<SCORER>_MEAN/_NEG_SHARE/_COUNT into the store.")]
    = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Daily sentiment index by NYSE trading day: decayed mean score, negative share and headline count.

    A headline at or after 16:00 ET (or on a non-trading day, or without a time) counts for the next trading day.

    Decay: lambda = 0.5 ** (1 / half-life) per trading day (docs/sentiment.md has the formulas).

    JSON keys: scorer, half_life, prior_weight, source, headlines, shifted, first, last, days, days_with_news,
    rows (date, mean, neg_share, count, weight, raw_mean, raw_neg_share); with --save also saved.
    """
    from r2k.sentiment.run import index_from

    name = _names(scorer)
    if len(name) != 1:
        raise UsageError("--scorer: the index uses exactly one scorer")
    if not (0 < half_life < float("inf")) or not (0 <= prior_weight < float("inf")):  # NaN fails both
        raise UsageError("--half-life must be positive and --prior-weight non-negative")
    if "://" not in file and not Path(file).expanduser().is_file():
        raise UsageError(f"{file}: not a file (give a headline CSV or a feed URL)")
    result = index_from(file, name[0], half_life=half_life, prior_weight=prior_weight, text_column=text_column,
                        include_description=include_description)
    saved = None
    if save:
        with open_store(store, read_only=False) as s:
            saved = s.write(result.series(), source=f"sentiment:{file}", now=utc_now())
    if as_json:  # as of the last trading day of the index
        out = result.to_dict()
        if saved is not None:
            out["saved"] = saved.to_dict()
        emit_json(out, as_of=result.frame.index[-1].date())
        return
    _print_index(result, tail)
    if saved is not None:
        ids = ", ".join(w.series_id for w in saved.series)
        console.print(f"saved as series {ids}: {saved.rows_new:,} new rows, {saved.rows_changed:,} changed, "
                      f"{saved.rows_unchanged:,} unchanged", markup=False)


def _print_index(result, tail: int) -> None:  # noqa: ANN001 - SentimentIndex, imported lazily
    """The inputs and totals, then the last ``tail`` days: whole counts, blanks on days without headlines."""
    from r2k.cli.fmt import count, num, pct

    f = result.frame
    print_table(["", ("", "right")], [
        ["scorer", SCORER_NAMES.get(result.scorer, result.scorer)],
        ["decay half-life / neutral prior", f"{num(result.half_life, 1)} trading days / {num(result.prior_weight, 1)} headlines"],
        ["source", Path(result.source).name if "://" not in result.source else result.source],
        ["headlines (moved to the next trading day)", f"{count(result.headlines)} ({count(result.shifted)})"],
        ["trading days (with news)", f"{count(len(f))} ({count(int((f['count'] > 0).sum()))})"],
        ["first .. last day", f"{f.index[0].date()} .. {f.index[-1].date()}"],
        ["average decayed mean score", num(f["mean"].mean(), 3, True)],
    ], title="Daily headline sentiment index")
    rows = [[str(d.date()), num(r["mean"], 3, True), pct(r["neg_share"], 1), count(r["count"]), num(r["weight"], 1),
             num(r["raw_mean"], 3, True), pct(r["raw_neg_share"], 1)] for d, r in f.tail(tail).iterrows()]
    print_table(["day", ("decayed mean", "right"), ("negative share", "right"), ("headlines", "right"),
                 ("weight", "right"), ("day's mean", "right"), ("day's negative share", "right")], rows,
                title=f"Last {len(rows)} trading days (blank: no headline that day)")


@sentiment_app.command("evaluate")
def evaluate_cmd(
    directory: Annotated[Path, typer.Argument(help="Directory with financial_phrasebank_*agree.csv files.")],
    scorer: Annotated[str, typer.Option("--scorer", help="Comma-separated scorers or 'all'.")] = ",".join(CORE),
    as_json: JsonOpt = False,
) -> None:
    """Accuracy, macro-F1 and confusion matrix per scorer and agreement level on Financial PhraseBank.

    Measurement only: nothing is fitted to PhraseBank.

    JSON keys: directory, results (scorer, level, n, accuracy, macro_f1, f1, labels, confusion, majority_rate,
    threshold).
    """
    from r2k.sentiment.evaluate import evaluate_directory
    from r2k.sentiment.registry import get_scorer

    with progress("scoring Financial PhraseBank", quiet=as_json):
        report = evaluate_directory(directory, [get_scorer(n) for n in _names(scorer)])
    if as_json:
        emit_json(report.to_dict())
        return
    from r2k.cli.fmt import count, pct

    print_table(["scorer", "agreement", ("sentences", "right"), ("accuracy", "right"), ("macro-F1", "right"),
                 ("majority class", "right")],
                [[SCORER_NAMES.get(r.scorer, r.scorer), f"{r.level}" + ("" if r.level == "all" else "%"), count(r.n),
                  pct(r.accuracy, 1), f"{r.macro_f1:.3f}", pct(r.majority_rate, 1)] for r in report.results],
                title="Financial PhraseBank: labels against the annotators'")


def register(app: typer.Typer) -> None:
    app.add_typer(sentiment_app, name="sentiment")
