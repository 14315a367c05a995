"""``r2k sentiment``: score texts or a file, build the daily headline index, train the fine-tuned classifier,
evaluate on Financial PhraseBank."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from r2k.cli.common import JsonOpt, StoreOpt, UsageError, console, emit_json, open_store, print_table, progress, utc_now

# the same names as r2k.sentiment.registry.SCORERS (a test keeps them equal); spelled out so --help loads no scorer
SCORERS = ("lm", "vader", "embedding", "finetuned")
sentiment_app = typer.Typer(help="Text sentiment: score texts, a daily headline index, train and evaluate a classifier.",
                            no_args_is_help=True)
SCORER_NAMES = {"lm": "Loughran-McDonald", "vader": "VADER", "embedding": "sentence embedding (anchors)",
                "finetuned": "fine-tuned MiniLM classifier"}
SCORER_HELP = ("best (the fine-tuned classifier if trained, else embedding, else lm), finetuned, embedding, lm "
               "(Loughran-McDonald) or vader")
ScorerOpt = Annotated[str, typer.Option("--scorer", help=f"Scorer: {SCORER_HELP}.")]


def _names(value: str) -> list[str]:
    """Scorer names from --scorer: 'best' resolved to the best available, 'all', or a comma-separated list."""
    from r2k.sentiment.registry import resolve, scorer_names

    if value == "all":
        return scorer_names(only_available=True, model_dir=_model_dir())
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in (*SCORERS, "best")]
    if unknown or not names:
        raise UsageError(f"--scorer: {value!r} is not one of best, {', '.join(SCORERS)} (comma-separated) or 'all'")
    model_dir = _model_dir()
    return [resolve(n, model_dir)[0] for n in names]


def _model_dir() -> Path:
    from r2k.config import load_settings
    from r2k.sentiment.trained import weights_dir

    return weights_dir(load_settings().cache_dir)


def _fallback_note(value: str) -> str:
    """The sentence saying which scorer 'best' fell back to and why ('' when none was needed)."""
    from r2k.sentiment.registry import resolve

    return resolve(value, _model_dir())[1] if value.strip().lower() == "best" else ""


@sentiment_app.command("score")
def score_cmd(
    text: Annotated[str | None, typer.Argument(help="The text to score (or use --file).")] = None,
    scorer: Annotated[str, typer.Option("--scorer", help=f"Comma-separated scorers or 'all': {SCORER_HELP}.")]
    = "best",
    file: Annotated[Path | None, typer.Option("--file", help="Score every row of this CSV file (one model load).")]
    = None,
    column: Annotated[str, typer.Option("--column", help="The text column of --file.")] = "text",
    as_json: JsonOpt = False,
) -> None:
    """Score TEXT (or every row of --file) in [-1, 1] and label it negative, neutral or positive.

    Default scorer: best, the fine-tuned classifier when 'r2k sentiment train' has built its weights, else the
    embedding-anchor scorer, else Loughran-McDonald (a note says which). Labels: the classifier's most probable
    class; for the others score >= +threshold positive, <= -threshold negative, else neutral
    (lm 0.05, vader 0.05, embedding 0.15).

    With --file: CSV on stdout (text, scorer, score, label), or with --json the scorer and rows
    (text, scorer, score, label). JSON keys for one text: text, results (scorer, score, label, threshold, source).
    """
    if (text is None) == (file is None):
        raise UsageError("give a text to score (TEXT) or --file FILE.csv, not both")
    names = _names(scorer)
    note = _fallback_note(scorer)
    if file is not None:
        _score_file(file, column, names, note, as_json)
        return
    from r2k.sentiment.run import score_text

    result = score_text(text or "", names, _model_dir())
    if as_json:
        emit_json(result.to_dict() | ({"note": note} if note else {}))
        return
    from r2k.cli.fmt import num

    print_table(["scorer", ("score", "right"), "label", "labelled by"],
                [[SCORER_NAMES.get(r.scorer, r.scorer), num(r.score, 3, True), r.label, r.rule]
                 for r in result.results], title="Sentiment of the text (score from -1 to +1)",
                caption="\n".join([*filter(None, [note]),
                                    *(f"{SCORER_NAMES.get(r.scorer, r.scorer)}: {r.source}" for r in result.results)]))


def _score_file(file: Path, column: str, names: list[str], note: str, as_json: bool) -> None:
    from r2k.sentiment.run import score_file

    if len(names) != 1:
        raise UsageError("--scorer: --file is scored with exactly one scorer")
    if not file.expanduser().is_file():
        raise UsageError(f"{file}: not a file")
    with progress(f"scoring {file.name}", quiet=as_json):
        result = score_file(file.expanduser(), column, names[0], _model_dir())
    if as_json:
        emit_json(result.to_dict() | ({"note": note} if note else {}))
        return
    if note:
        typer.echo(note, err=True)
    typer.echo(result.to_csv(), nl=False)


@sentiment_app.command("index")
def index_cmd(
    file: Annotated[str, typer.Argument(help="Headline CSV (date, optional time_et, headline) or an RSS/Atom feed URL.")],
    scorer: ScorerOpt = "best",
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

    Default scorer: best (the fine-tuned classifier if trained, else embedding, else lm; a note names a fallback).

    JSON keys: scorer, half_life, prior_weight, source, headlines, shifted, first, last, days, days_with_news,
    rows (date, mean, neg_share, count, weight, raw_mean, raw_neg_share); with --save also saved; note when the
    best scorer was not available.
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
                        include_description=include_description, model_dir=_model_dir())
    note = _fallback_note(scorer)
    saved = None
    if save:
        with open_store(store, read_only=False) as s:
            saved = s.write(result.series(), source=f"sentiment:{file}", now=utc_now())
    if as_json:  # as of the last trading day of the index
        out = result.to_dict() | ({"note": note} if note else {})
        if saved is not None:
            out["saved"] = saved.to_dict()
        emit_json(out, as_of=result.frame.index[-1].date())
        return
    _print_index(result, tail)
    if note:
        console.print(note, markup=False)
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


@sentiment_app.command("train")
def train_cmd(
    data: Annotated[Path | None, typer.Option("--data", help="Directory with the tweet and PhraseBank files (or its "
                                                            "parent with a text/ folder); default R2K_DATA_DIR/text, "
                                                            "else ../shared/data/text.")] = None,
    epochs: Annotated[int, typer.Option("--epochs", min=1, max=20, help="Passes over the training texts.")] = 4,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the weights' initial head, batch order and dropout.")]
    = 20260101,
    all_tweets: Annotated[bool, typer.Option("--all-tweets", help="Train on every tweet (default: keep one fifth out "
                                                                  "so it can be measured on).")] = False,
    validation: Annotated[bool, typer.Option("--validation/--no-validation",
                                             help="Keep a fifth of the training tweets out, label it after every "
                                                  "epoch and keep the best epoch (how the default --epochs was "
                                                  "chosen); default: train on them too, keep the last epoch.")]
    = False,
    as_json: JsonOpt = False,
) -> None:
    """Fine-tune the bundled MiniLM encoder on finance tweets and Financial PhraseBank into the user cache.

    Trains on the tweets (less a held-out fifth unless --all-tweets) and the 50%-agree PhraseBank sentences that
    are not, nor nearly are, all-agree sentences; the all-agree set stays out for evaluation. Every encoder layer
    learns. With --validation a fifth of the training tweets is kept out and the epoch that labels it best is
    kept (its record stays beside the weights). Seeded; takes about 30-90 minutes on two cores. The weights
    replace the previous ones only when training finishes.

    JSON keys: directory, manifest (model, summary, trained, files, counts, held_out, validation, config), seconds.
    """
    from r2k.config import load_settings
    from r2k.sentiment.finetune import FineTuneConfig
    from r2k.sentiment.training import train_scorer

    folder = _text_dir(data, load_settings().data_dir)
    log = (lambda _: None) if as_json else (lambda line: console.print(line, markup=False))
    result = train_scorer(folder, _model_dir(), FineTuneConfig(epochs=epochs, seed=seed), holdout=not all_tweets,
                          validation=validation, log=log)
    if as_json:
        emit_json(result.to_dict())
        return
    console.print(f"{result.summary()}; weights in the r2k cache", markup=False)


def _text_dir(given: Path | None, data_dir: Path | None) -> Path:
    """The folder holding twitter_financial_news_train.csv: given, or its text/ subfolder, or the default."""
    from r2k.sentiment.corpus import TWEET_FILE

    candidates = [given, given / "text"] if given else [(data_dir or Path("../shared/data")) / "text"]
    for folder in candidates:
        if folder is not None and (folder.expanduser() / TWEET_FILE).is_file():
            return folder.expanduser()
    raise UsageError(f"--data: no {TWEET_FILE} in {candidates[0]}" + (" or its text/ folder" if given else ""))


@sentiment_app.command("evaluate")
def evaluate_cmd(
    directory: Annotated[Path, typer.Argument(help="Directory with financial_phrasebank_*agree.csv files.")],
    scorer: Annotated[str, typer.Option("--scorer", help=f"Comma-separated scorers or 'all': {SCORER_HELP}.")]
    = "lm,vader",
    as_json: JsonOpt = False,
) -> None:
    """Accuracy, macro-F1 and confusion matrix per scorer and agreement level on Financial PhraseBank.

    The fine-tuned scorer learnt from 50%-agree sentences that are not in the all-agree set: only its all-agree
    row is a clean test (bench/bench_sentiment.py has the full protocol).

    JSON keys: directory, results (scorer, level, n, accuracy, macro_f1, f1, labels, confusion, majority_rate,
    threshold).
    """
    from r2k.sentiment.evaluate import evaluate_directory
    from r2k.sentiment.registry import get_scorer

    with progress("scoring Financial PhraseBank", quiet=as_json):
        report = evaluate_directory(directory, [get_scorer(n, _model_dir()) for n in _names(scorer)])
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
