"""Point-in-time features: every column at date t uses only values released by t."""

from r2k.features.builder import (
    FeatureMatrix,
    align,
    build_feature_matrix,
    factor_history,
    features_as_of,
    load_frames,
    release_events,
)

__all__ = ["FeatureMatrix", "align", "build_feature_matrix", "factor_history", "features_as_of", "load_frames",
           "release_events"]
