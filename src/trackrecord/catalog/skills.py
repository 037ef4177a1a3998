"""The one declared skill vocabulary: every recipe's skills come from here (a test checks).

The mastery model estimates one ability per skill, so a skill should name something a
learner can practise and get measurably better at, not a dataset or a library.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

SKILLS: Mapping[str, str] = MappingProxyType(
    {
        "baselines": "Start from a trivial model and know what 'better' has to beat.",
        "missing-data": "Impute, flag or model missing values without leaking the test set.",
        "categorical-encoding": "Turn categories into features: one-hot, ordinal, rare levels.",
        "scaling": "Standardize features so distance- and penalty-based models behave.",
        "feature-engineering": "Build informative features from raw columns and domain sense.",
        "linear-models": "Fit and read linear and logistic regression.",
        "regularization": "Control model complexity with ridge, lasso and elastic-net penalties.",
        "trees": "Use decision trees and understand depth, splits and overfitting.",
        "ensembles": "Combine many models: bagging, random forests, extra trees.",
        "gradient-boosting": "Train and tune gradient-boosted trees.",
        "knn": "Use nearest-neighbour models and choose k and the distance.",
        "svm": "Use support vector machines and kernels.",
        "cross-validation": "Estimate generalization honestly and tune on folds, not the test set.",
        "hyperparameter-tuning": "Search hyperparameters systematically within a budget.",
        "imbalanced-data": "Handle rare positive classes: the right metric, weights, thresholds.",
        "probability-calibration": "Produce probabilities that mean what they say.",
        "multiclass": "Predict one of many classes and read per-class errors.",
        "skewed-targets": "Model heavy-tailed targets, e.g. on the log scale.",
        "count-data": "Model counts with Poisson-type losses.",
        "time-series": "Respect time order: temporal splits, lags, no peeking at the future.",
        "seasonality": "Capture daily, weekly and yearly cycles with calendar or Fourier terms.",
        "exogenous-features": "Use known-in-advance drivers such as weather or work days.",
        "text-features": "Turn text into features: bag of words, TF-IDF, n-grams.",
        "images": "Learn from pixels: raw intensities, scaling and simple image models.",
        "dimensionality-reduction": "Compress features with PCA and friends.",
        "clustering": "Find groups without labels and judge them against hidden structure.",
        "recommendation": "Predict user-item preferences from sparse interaction data.",
        "matrix-factorization": "Learn latent user and item factors from a ratings matrix.",
        "ranking": "Order items per query and evaluate the top of the list.",
        "high-dimensional": "Cope with many features relative to rows.",
        "discrete-choice": "Model a choice among alternatives described by their attributes.",
        "survival-analysis": "Model time to an event when some rows are censored; rank by risk.",
        "multilabel": "Predict several labels per row at once and read per-label errors.",
        "ordinal-targets": "Predict ordered grades and respect their order (e.g. weighted kappa).",
        "anomaly-detection": "Find rare, unusual rows with few or no labelled examples.",
        "time-series-classification": "Classify whole sequences by their shape, not row by row.",
        "implicit-feedback": "Recommend from plays or clicks, where absence is not dislike.",
        "leakage": "Spot columns and splits that carry the answer into training, and remove them.",
        "distribution-shift": "Notice when the test period differs from training, and adapt.",
        "grouped-data": "Validate with group-aware folds when rows come in related groups.",
        "fairness": "Measure and compare errors across groups defined by a protected attribute.",
        "large-data": "Handle tables that strain memory and time: dtypes, sampling, chunking.",
    }
)

__all__ = ["SKILLS"]
