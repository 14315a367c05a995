"""Walk-forward validation: the fold plan, the one time loop, proper scores and model comparisons."""

from r2k.validation.compare import Comparison, MCSResult, diebold_mariano, model_confidence_set
from r2k.validation.engine import COLUMNS, walk_forward
from r2k.validation.folds import Fold, FoldPlan, PlanError
from r2k.validation.scoring import Scores, Verdict, score_backtest

__all__ = ["COLUMNS", "Comparison", "Fold", "FoldPlan", "MCSResult", "PlanError", "Scores", "Verdict", "diebold_mariano",
           "model_confidence_set", "score_backtest", "walk_forward"]
