"""``r2k sentiment``: score a text, build the daily headline index, evaluate on Financial PhraseBank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import JsonOpt, StoreOpt, UsageError, console, emit_json, open_store, utc_now

# the same names as r2k.sentiment.registry.SCORERS (a test keeps them equal); spelled out so --help loads no scorer
SCORERS = ("lm", "vader", "embedding")
sentiment_app = typer.Typer(help="Text sentiment: score texts, a daily headline index, PhraseBank evaluation.",
                            no_args_is_help=True)
CORE = ("lm", "vader")
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
    else:
        console.print(result.summary(), highlight=False, markup=False)


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
    if as_json:
        out = result.to_dict()
        if saved is not None:
            out["saved"] = saved.to_dict()
        emit_json(out)
        return
    console.print(result.summary(), highlight=False, markup=False)
    console.print(result.frame.tail(tail).round(4).to_string(), highlight=False, markup=False)
    if saved is not None:
        ids = ", ".join(w.series_id for w in saved.series)
        console.print(f"saved {ids}: {saved.rows_new} new rows, {saved.rows_changed} changed, "
                      f"{saved.rows_unchanged} unchanged", highlight=False, markup=False)


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

    report = evaluate_directory(directory, [get_scorer(n) for n in _names(scorer)])
    if as_json:
        emit_json(report.to_dict())
    else:
        console.print(report.summary(), highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(sentiment_app, name="sentiment")
