"""Ordinal projects: ordered grades scored with quadratic weighted kappa, and their field.

A grade is a label, but an ordered one: predicting a B for an A is a smaller error than
predicting an F, and quadratic weighted kappa charges the square of the distance. So the
field sets classifiers, which treat the grades as unrelated classes, beside regressors
whose predictions are rounded to the nearest grade, which keep the order. The targets are
integer grades (the metric reads integer ratings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.tree import DecisionTreeClassifier

from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import SEED, Make, for_trees, with_pre


class RoundedRegressor(RegressorMixin, BaseEstimator):  # type: ignore[misc]
    """A regressor whose predictions are moved to the nearest grade seen in training."""

    def __init__(self, regressor: Any) -> None:
        self.regressor = regressor

    def fit(self, X: Any, y: Any) -> RoundedRegressor:
        target = np.asarray(y, dtype=float)
        self.grades_ = np.unique(target)
        self.regressor_ = clone(self.regressor).fit(X, target)
        return self

    def predict(self, X: Any) -> NDArray[np.int64]:
        return nearest_grade(self.regressor_.predict(X), self.grades_)


def nearest_grade(values: Any, grades: Any) -> NDArray[np.int64]:
    """Each value moved to the closest of the sorted `grades` (ties go to the lower one)."""
    levels = np.asarray(grades, dtype=float)
    x = np.asarray(values, dtype=float)
    right = np.clip(np.searchsorted(levels, x), 1, len(levels) - 1)
    left = right - 1
    pick = np.where(x - levels[left] <= levels[right] - x, left, right)
    out: NDArray[np.int64] = levels[pick].astype(np.int64)
    return out


def _rounded(model: Callable[[], Any]) -> Callable[[], Any]:
    return lambda: RoundedRegressor(model())


def ordinal_field() -> tuple[SklearnContender, ...]:
    """Classifiers (grades as unrelated classes) and rounded regressors (grades as numbers)."""
    forest: dict[str, Any] = {
        "n_estimators": 150,
        "min_samples_leaf": 3,
        "random_state": SEED,
        "n_jobs": 1,
    }
    boost: dict[str, Any] = {"max_iter": 150, "learning_rate": 0.05, "random_state": SEED}
    entries: list[tuple[str, Make]] = [
        ("dummy: the most frequent grade", lambda X: DummyClassifier(strategy="most_frequent")),
        (
            "logistic regression (grades as classes)",
            with_pre(lambda: LogisticRegression(max_iter=3000)),
        ),
        ("k-nearest neighbours (k=25), classes", with_pre(lambda: KNeighborsClassifier(25))),
        (
            "decision tree (depth 6), classes",
            for_trees(lambda: DecisionTreeClassifier(max_depth=6, random_state=SEED)),
        ),
        ("random forest, classes", for_trees(lambda: RandomForestClassifier(**forest))),
        (
            "gradient boosting (HistGB), classes",
            for_trees(lambda: HistGradientBoostingClassifier(**boost)),
        ),
        (
            "ridge regression, rounded to a grade",
            with_pre(_rounded(lambda: RidgeCV(alphas=np.logspace(-3, 3, 13)))),
        ),
        (
            "k-nearest neighbours (k=25), rounded",
            with_pre(_rounded(lambda: KNeighborsRegressor(25))),
        ),
        (
            "random forest regression, rounded",
            for_trees(_rounded(lambda: RandomForestRegressor(**forest))),
        ),
        (
            "gradient boosting (HistGB) regression, rounded",
            for_trees(_rounded(lambda: HistGradientBoostingRegressor(**boost))),
        ),
    ]
    return tuple(SklearnContender(name, make) for name, make in entries)
