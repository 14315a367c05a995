"""The vocabulary of ids, each spelled once: model names, the published model, horizon sets and event kinds.

Imports nothing, so the CLI's ``--help`` and the dashboard's parameter checks can use it without loading a model.
The human words for these ids live in :mod:`r2k.words`.
"""

from __future__ import annotations

# ------------------------------------------------------------------------------------------------ models
BASELINE = "climatology"  # every score is relative to it
MODELS = ("climatology", "random_walk", "garch", "garch_hm", "implied_vol", "har", "gbm", "rnn", "ensemble")
OPTIONAL_MODELS = {"rnn": "deep"}  # model -> the package extra it needs
PUBLISHED_MODEL = "ensemble"  # the model whose forecasts are shown, logged and rated (the outlook rests on it)
PUBLISHED_MODELS = (PUBLISHED_MODEL,)  # what r2k forecast, r2k update and the dashboard's API publish by default
DEFAULT_MODELS = ("climatology", "random_walk", "garch")  # a backtest's (and the dashboard pages') default
BASELINES = ("climatology", "random_walk")  # shown and scored beside the published model
STATUS_MODELS = (PUBLISHED_MODEL, "garch", "random_walk")  # the model the monitor judges: the first one logged

# ------------------------------------------------------------------------------- horizons (trading days)
DEFAULT_HORIZONS = (5, 10, 20)  # backtest, forecast, tune, importance
MEDIUM, SHORT, LONG = 10, 20, 260  # 2 weeks, 4 weeks (the short-term risk grade), 52 weeks (long-term)
GRADED_HORIZONS = (SHORT, LONG)  # the outlook's risk grades and return views
# the outlook's distributions: the graded horizons only (a 2-week distribution cost a walk-forward of every member
# over the ensemble's 8.5-year warm-up, about 16 s of CPU on an empty cache, for one point of the fan)
OUTLOOK_HORIZONS = (SHORT, LONG)
WEEKS = {MEDIUM: 2, SHORT: 4, LONG: 52}
PUBLISHED_HORIZONS = (5, 10, 20, 65, 130, 260)  # logged by the update job
LONG_FAN = (65, 130, 260)  # the report fan's climatology band beyond 4 weeks (3, 6 and 12 months)
FAN_DAYS = 20  # the forecast fan: every day of the next 4 weeks
FAN_HORIZONS = tuple(range(1, FAN_DAYS + 1))
MONITOR_HORIZONS = (5, 20)  # the monitor's recent walk-forward record
EVENT_HORIZONS = (1, 5, 20, 60)  # an event study's forward returns


def horizon_text(horizons: tuple[int, ...]) -> str:
    """A horizon set as a CLI or API default: (5, 10, 20) -> "5,10,20"."""
    return ",".join(str(h) for h in horizons)


# ---------------------------------------------------------------------------------------------- events
EVENT_KINDS = ("reconstitution", "rank-day", "flows", "vix-spike", "rate-cut", "channel-break")
ANALYZE_EVENTS = ("reconstitution", "rank-day", "vix-spike", "rate-cut", "flows")  # the ones `r2k analyze` runs
