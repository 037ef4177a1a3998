"""Shared pieces of the anomaly-detection projects: the few-labels split and the field of
detectors.

An anomaly project scores a real-valued *anomaly score* per test row (higher = more
unusual) with ROC AUC or average precision. Its training set is what a monitoring team
really has: many rows known to be normal and only a handful of labelled anomalies, so a
classifier has little to learn from and a model of "normal" has to do most of the work.
The test set holds the anomalies at their natural, rare rate (and may hold kinds that train
never shows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.covariance import MinCovDet
from sklearn.decomposition import PCA
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    IsolationForest,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import LocalOutlierFactor, NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.svm import OneClassSVM

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender, feature_columns
from trackrecord.catalog.fields import SEED, preprocessor
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble
from trackrecord.catalog.splits import ID, Split

Scorer = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (normal train rows, test) -> scores
MAX_FIT_ROWS = 4000  # detectors whose cost grows fast with n fit on a seeded sample


def few_labels(
    df: pd.DataFrame,
    *,
    metric: str,
    target: str,
    positive: str,
    train_positives: int,
    test_normals: int,
    test_positives: int,
    seed: int,
    novel: pd.Series | None = None,
    train_only: Sequence[str] = (),
) -> Prepared:
    """Normal rows split at random; only `train_positives` labelled anomalies in train, and
    `test_positives` in test (their natural rate there). `novel` marks anomalies of kinds
    that must stay out of train; `train_only` columns (a finer label, such as the species
    of a normal row) are given in train and kept out of test.
    Public/Private is stratified on the target."""
    rng = np.random.default_rng(splits.seed_for(seed))
    is_pos = (df[target].astype(str) == positive).to_numpy()
    is_novel = np.zeros(len(df), bool) if novel is None else novel.to_numpy(dtype=bool)
    normals = np.flatnonzero(~is_pos)
    known = np.flatnonzero(is_pos & ~is_novel)
    test_n = rng.choice(normals, size=test_normals, replace=False)
    train_p = rng.choice(known, size=train_positives, replace=False)
    rest = np.setdiff1d(np.flatnonzero(is_pos), train_p)
    test_p = rng.choice(rest, size=min(test_positives, len(rest)), replace=False)
    train_idx = np.concatenate([np.setdiff1d(normals, test_n), train_p])
    test_idx = np.concatenate([test_n, test_p])
    test = df.iloc[test_idx].drop(columns=list(train_only))
    split = Split(df.iloc[train_idx].sort_values(ID), test.sort_values(ID))
    usage = splits.usage(split.test, seed=seed, stratify=target)
    labels = tuple(sorted({positive, *df[target].astype(str).unique()}))
    if labels[-1] != positive:
        raise ValueError(f"the positive label {positive!r} must sort last among {labels}")
    return assemble(
        split,
        usage,
        metric=metric,
        target=target,
        labels=labels,
        split_info=SplitInfo("stratified"),
    )


def _matrices(
    train: pd.DataFrame, test: pd.DataFrame, spec: Spec, features: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scaled, imputed, one-hot features of train and test, and which train rows are normal."""
    cols = list(features or feature_columns(test, spec))
    pre = preprocessor(train[cols])
    X = np.asarray(pre.fit_transform(train[cols]), dtype=float)
    Z = np.asarray(pre.transform(test[cols]), dtype=float)
    normal = (train[spec.target].astype(str) != spec.positive).to_numpy()
    return X, Z, normal


def _sample(X: np.ndarray, n: int = MAX_FIT_ROWS) -> np.ndarray:
    if len(X) <= n:
        return X
    rng = np.random.default_rng(SEED)
    return X[np.sort(rng.choice(len(X), size=n, replace=False))]


def unit_scores(scores: Any) -> np.ndarray:
    """Scores as their rank share in (0, 1]: the same order, valid where the scoring engine
    reads the column as a probability."""
    return np.asarray(pd.Series(np.asarray(scores, dtype=float)).rank(pct=True))


def detector(scorer: Scorer, features: Sequence[str] | None = None) -> Any:
    """A contender function: fit `scorer` on the normal training rows, score test."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        X, Z, normal = _matrices(train, test, spec, features)
        return unit_scores(scorer(X[normal], Z))

    return fn


def isolation_forest(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
    model = IsolationForest(n_estimators=200, random_state=SEED, n_jobs=1).fit(X)
    return -np.asarray(model.score_samples(Z))


def local_outlier_factor(k: int) -> Scorer:
    def score(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        model = LocalOutlierFactor(n_neighbors=k, novelty=True).fit(_sample(X, 4 * MAX_FIT_ROWS))
        return -np.asarray(model.score_samples(Z))

    return score


def knn_distance(k: int) -> Scorer:
    """Mean distance to the k nearest normal training rows."""

    def score(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        distances, _ = NearestNeighbors(n_neighbors=k).fit(X).kneighbors(Z)
        return np.asarray(distances.mean(axis=1))

    return score


def robust_mahalanobis(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """Squared Mahalanobis distance under the minimum covariance determinant estimate."""
    mcd = MinCovDet(random_state=SEED).fit(_sample(X))
    return np.asarray(mcd.mahalanobis(Z))


def pca_error(share: float = 0.9) -> Scorer:
    """Squared reconstruction error after PCA keeping `share` of the variance."""

    def score(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        pca = PCA(share, random_state=SEED).fit(X)
        back = pca.inverse_transform(pca.transform(Z))
        return np.asarray(((Z - back) ** 2).sum(axis=1))

    return score


def gaussian_mixture(k: int) -> Scorer:
    def score(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
        gm = GaussianMixture(k, covariance_type="full", random_state=SEED, reg_covar=1e-4)
        return -np.asarray(gm.fit(_sample(X, 4 * MAX_FIT_ROWS)).score_samples(Z))

    return score


def one_class_svm(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
    model = OneClassSVM(nu=0.05, gamma="scale").fit(_sample(X))
    return -np.asarray(model.score_samples(Z))


def classifier(make: Callable[[], Any], features: Sequence[str] | None = None) -> Any:
    """A supervised contender on the few labels: P(anomaly) from a classifier."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        cols = list(features or feature_columns(test, spec))
        model = make_pipeline(preprocessor(train[cols]), make())
        y = (train[spec.target].astype(str) == spec.positive).astype(int)
        model.fit(train[cols], y)
        return model.predict_proba(test[cols])[:, 1]

    return fn


def anomaly_field(features: Sequence[str] | None = None) -> tuple[Contender, ...]:
    """Standard detectors fitted on the normal rows, then classifiers on the few labels."""
    unsupervised: list[tuple[str, Scorer]] = [
        ("isolation forest", isolation_forest),
        ("local outlier factor (k=20)", local_outlier_factor(20)),
        ("k-nearest-neighbour distance (k=10)", knn_distance(10)),
        ("robust Mahalanobis distance (MCD)", robust_mahalanobis),
        ("PCA reconstruction error (90% variance)", pca_error(0.9)),
        ("Gaussian mixture density (5 components)", gaussian_mixture(5)),
        ("one-class SVM (RBF)", one_class_svm),
    ]
    supervised: list[tuple[str, Callable[[], Any]]] = [
        (
            "logistic regression on the few labels",
            lambda: LogisticRegression(max_iter=2000, class_weight="balanced"),
        ),
        (
            "random forest on the few labels",
            lambda: RandomForestClassifier(
                200, min_samples_leaf=2, class_weight="balanced", random_state=SEED, n_jobs=1
            ),
        ),
        (
            "gradient boosting (HistGB) on the few labels",
            lambda: HistGradientBoostingClassifier(random_state=SEED),
        ),
    ]
    return (
        *(FunctionContender(name, detector(s, features)) for name, s in unsupervised),
        *(FunctionContender(name, classifier(m, features)) for name, m in supervised),
    )
