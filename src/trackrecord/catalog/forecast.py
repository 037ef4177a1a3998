"""Shared pieces of the time-series recipes: the temporal split, Fourier terms and the
forecasting field (naive methods and regressors on features known in advance).

Rows are in time order and ids follow it, so "the history" is train sorted by id and the
horizon is test sorted by id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression, RidgeCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender, SklearnContender
from trackrecord.catalog.fields import SEED, Make, for_trees, with_pre
from trackrecord.catalog.model import Contender, Spec
from trackrecord.catalog.prepare import Prepared, assemble
from trackrecord.catalog.splits import ID

History = Callable[[pd.DataFrame, pd.DataFrame, Spec], Any]


def seasonal_mae(values: np.ndarray, lag: int) -> float:
    """In-sample MAE of the seasonal naive forecast: MASE's scale."""
    return float(np.mean(np.abs(values[lag:] - values[:-lag])))


def temporal(
    df: pd.DataFrame, *, metric: str, target: str, test_rows: int, scale_lag: int | None = None
) -> Prepared:
    """The last `test_rows` rows are the test set; the earlier 30% of them score Public.

    With `scale_lag`, the metric gets MASE's scale from the training history.
    """
    df = splits.with_ids(df)
    split = splits.time_split(df, order=ID, test_rows=test_rows)
    usage = splits.usage(split.test, seed=0, ordered=True)
    params = None
    if scale_lag is not None:
        history = split.train[target].to_numpy(dtype=float)
        params = {"scale": round(seasonal_mae(history, scale_lag), 6)}
    return assemble(split, usage, metric=metric, target=target, metric_params=params)


def _history(train: pd.DataFrame, spec: Spec) -> np.ndarray:
    return train.sort_values(spec.id_column)[spec.target].to_numpy(dtype=float)


def naive(lag: int) -> History:
    """Repeat the last `lag` observations (lag 1: the last value)."""
    return lambda train, test, spec: np.resize(_history(train, spec)[-lag:], len(test))


def _mean(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
    return np.full(len(test), _history(train, spec).mean())


def _drift(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
    y = _history(train, spec)
    slope = (y[-1] - y[0]) / (len(y) - 1)
    return y[-1] + slope * np.arange(1, len(test) + 1)


def fourier(time: str, periods: Sequence[float], order: int = 3) -> Any:
    """A transformer: quadratic trend plus sine/cosine terms of `time` for each period."""

    def terms(X: pd.DataFrame) -> np.ndarray:
        t = X[time].to_numpy(dtype=float)
        cols = [t / 1000.0, (t / 1000.0) ** 2]
        for p in periods:
            for k in range(1, order + 1):
                cols += [np.sin(2 * np.pi * k * t / p), np.cos(2 * np.pi * k * t / p)]
        return np.column_stack(cols)

    return FunctionTransformer(terms)


def fourier_ridge(time: str, periods: Sequence[float], order: int = 3) -> Make:
    return lambda X: make_pipeline(fourier(time, periods, order), RidgeCV(np.logspace(-3, 3, 7)))


def forecast_field(
    *, periods: Sequence[int], time: str, features: Sequence[str]
) -> tuple[Contender, ...]:
    """Naive methods, then regressors on the features known in advance."""
    feats = list(features)
    entries: list[Contender] = [
        FunctionContender("naive: last value", naive(1)),
        *(FunctionContender(f"seasonal naive ({p} steps)", naive(p)) for p in periods),
        FunctionContender("historical mean", _mean),
        FunctionContender("drift", _drift),
        SklearnContender("trend + Fourier terms (ridge)", fourier_ridge(time, periods), feats),
        SklearnContender(
            "linear regression on calendar features", with_pre(LinearRegression), feats
        ),
        SklearnContender(
            "k-nearest neighbours on calendar features",
            with_pre(lambda: KNeighborsRegressor(15)),
            feats,
        ),
        SklearnContender(
            "random forest on calendar features",
            for_trees(
                lambda: RandomForestRegressor(
                    60, min_samples_leaf=5, max_samples=0.5, random_state=SEED, n_jobs=1
                )
            ),
            feats,
        ),
        SklearnContender(
            "gradient boosting on calendar features",
            for_trees(lambda: HistGradientBoostingRegressor(random_state=SEED)),
            feats,
        ),
    ]
    return tuple(entries)
