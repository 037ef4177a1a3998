"""Pipelines that produce submissions: scikit-learn estimators, clusterers, plain functions,
and code snippets (the baseline, which the starter notebook runs verbatim)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from trackrecord.catalog.model import Spec
from trackrecord.metrics import InputKind

EstimatorFactory = Callable[[pd.DataFrame], Any]  # gets the training features, returns a model
PredictFn = Callable[[pd.DataFrame, pd.DataFrame, Spec], Any]


def feature_columns(test: pd.DataFrame, spec: Spec) -> list[str]:
    """Every public test column but the id: what a model may use by default."""
    return [c for c in test.columns if c != spec.id_column]


def submission_frame(ids: pd.Series, values: Any, spec: Spec) -> pd.DataFrame:
    """Wrap predictions as a submission: the id, then the prediction column(s) in order."""
    out = pd.DataFrame({spec.id_column: ids.to_numpy()})
    array = np.asarray(values)
    if array.ndim == 2:
        for i, column in enumerate(spec.target_columns):
            out[column] = array[:, i]
        return out
    if spec.clip_min is not None:
        array = np.clip(array.astype(float), spec.clip_min, None)
    out[spec.target_columns[0]] = array
    return out


def model_predictions(model: Any, X: pd.DataFrame, spec: Spec) -> Any:
    """Ask a fitted estimator for what the metric reads: labels, P(positive), class
    probabilities in label order, or values."""
    if spec.kind is not InputKind.PROBABILITIES:
        return model.predict(X)
    proba = model.predict_proba(X)
    classes = [str(c) for c in model.classes_]
    assert spec.labels is not None
    if len(spec.labels) == 2:
        return proba[:, classes.index(spec.positive)]
    return np.column_stack([proba[:, classes.index(label)] for label in spec.labels])


@dataclass(frozen=True)
class SklearnContender:
    """Fit `make(X_train)` on the features (all public test columns unless named)."""

    name: str
    make: EstimatorFactory
    features: Sequence[str] | None = None

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        features = list(self.features or feature_columns(test, spec))
        model = self.make(train[features])
        model.fit(train[features], train[spec.target])
        values = model_predictions(model, test[features], spec)
        return submission_frame(test[spec.id_column], values, spec)


@dataclass(frozen=True)
class ClusterContender:
    """Cluster train and test rows together (no labels exist); submit the test rows' ids."""

    name: str
    make: EstimatorFactory
    features: Sequence[str] | None = None

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        features = list(self.features or feature_columns(test, spec))
        data = pd.concat([train[features], test[features]], ignore_index=True)
        clusters = np.asarray(self.make(data).fit_predict(data))
        return submission_frame(test[spec.id_column], clusters[len(train) :], spec)


@dataclass(frozen=True)
class FunctionContender:
    """Any function of (train, test, spec) returning one prediction per test row."""

    name: str
    fn: PredictFn

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        return submission_frame(test[spec.id_column], self.fn(train, test, spec), spec)


@dataclass(frozen=True)
class CodeContender:
    """Python source that reads `train`, `test` and `sample` and defines `submission`.

    The baseline is one: the build scores exactly the code the starter notebook shows.
    """

    name: str
    code: str
    explanation: str = ""

    def predict(self, train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
        namespace: dict[str, Any] = {
            "pd": pd,
            "np": np,
            "train": train.copy(),
            "test": test.copy(),
            "sample": sample_submission(train, test, spec),
        }
        exec(compile(self.code, f"<baseline {self.name}>", "exec"), namespace)
        submission = namespace.get("submission")
        if not isinstance(submission, pd.DataFrame):
            raise TypeError(f"baseline {self.name!r} did not define a `submission` DataFrame")
        return submission


def sample_submission(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """The exact expected columns with valid placeholder values (one constant per column)."""
    n = len(test)
    out = pd.DataFrame({spec.id_column: test[spec.id_column].to_numpy()})
    if spec.kind is InputKind.PROBABILITIES:
        assert spec.labels is not None
        share = 0.5 if len(spec.labels) == 2 else 1.0 / len(spec.labels)
        for column in spec.target_columns:
            out[column] = np.full(n, share)
    elif spec.kind is InputKind.LABELS:
        out[spec.target_columns[0]] = train[spec.target].mode().sort_values().iloc[0]
    elif spec.kind is InputKind.CLUSTERS:
        out[spec.target_columns[0]] = np.zeros(n, dtype=int)
    elif spec.kind is InputKind.MULTILABEL:
        for column in spec.target_columns:
            out[column] = np.zeros(n, dtype=int)
    elif spec.target not in train.columns:  # e.g. implicit feedback: train is the log itself
        out[spec.target_columns[0]] = np.zeros(n)
    else:
        out[spec.target_columns[0]] = np.full(n, round(float(train[spec.target].mean()), 4))
    return out
