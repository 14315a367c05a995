"""Forecasting models: the Forecast contract, baselines, GARCH and gradient boosting."""

from r2k.models.base import LEVELS, QUANTILE_COLUMNS, Capabilities, Distribution, Forecast, Forecaster, History
from r2k.models.baselines import Climatology, RandomWalk
from r2k.models.garch import GJRGarch
from r2k.models.gbm import GradientBoosting
from r2k.models.registry import BASELINE, MODELS, make_model, make_models

__all__ = ["LEVELS", "QUANTILE_COLUMNS", "Capabilities", "Distribution", "Forecast", "Forecaster", "History",
           "Climatology", "RandomWalk", "GJRGarch", "GradientBoosting", "BASELINE", "MODELS", "make_model", "make_models"]
