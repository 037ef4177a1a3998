"""Shared pieces of the time-series recipes: the temporal split, Fourier terms, the no-skill
forecasts and the forecasting field (regressors on features known in advance).

Ids are a seeded permutation (`splits.with_ids`): they say nothing about time. Time order is
the recipe's time column (`Spec.time_column`, present in train and test), so "the history"
is train sorted by it and the horizon is test sorted by it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import (
    ExtraTreesRegressor,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, RidgeCV
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from trackrecord.catalog import splits
from trackrecord.catalog.contenders import FunctionContender, SklearnContender
from trackrecord.catalog.fields import SEED, Make, for_trees, with_pre
from trackrecord.catalog.model import Contender, Spec, SplitInfo
from trackrecord.catalog.prepare import Prepared, assemble

History = Callable[[pd.DataFrame, pd.DataFrame, Spec], Any]


def seasonal_mae(values: np.ndarray, lag: int) -> float:
    """In-sample MAE of the seasonal naive forecast: MASE's scale."""
    return float(np.mean(np.abs(values[lag:] - values[:-lag])))


def temporal(
    df: pd.DataFrame,
    *,
    time: str,
    metric: str,
    target: str,
    test_rows: int,
    scale_lag: int | None = None,
) -> Prepared:
    """Rows sorted by the `time` column; the last `test_rows` are the test set, and the
    earlier 30% of them (in time) score Public. The answer key stays in time order (the
    block bootstrap of the SE resamples consecutive rows).

    With `scale_lag`, the metric gets MASE's scale from the training history.
    """
    if not df[time].is_unique:
        raise ValueError(f"time column {time!r} must give every row its own time")
    df = splits.with_ids(df.sort_values(time, kind="stable"))
    split = splits.time_split(df, order=time, test_rows=test_rows)
    usage = splits.usage(split.test, seed=0, ordered=True)
    params = None
    if scale_lag is not None:
        history = split.train[target].to_numpy(dtype=float)
        params = {"scale": round(seasonal_mae(history, scale_lag), 6)}
    return assemble(
        split,
        usage,
        metric=metric,
        target=target,
        metric_params=params,
        split_info=SplitInfo("time", time),
    )


def _time(spec: Spec) -> str:
    if spec.time_column is None:
        raise ValueError("a forecast needs the project's time column (Spec.time_column)")
    return spec.time_column


def _history(train: pd.DataFrame, spec: Spec) -> np.ndarray:
    """The target in time order."""
    return train.sort_values(_time(spec))[spec.target].to_numpy(dtype=float)


def _horizon(test: pd.DataFrame, spec: Spec, path: np.ndarray) -> np.ndarray:
    """Put `path` (one value per step, in time order) back in the test file's row order."""
    order = np.argsort(test[_time(spec)].to_numpy(), kind="stable")
    out = np.empty(len(test))
    out[order] = path
    return out


def naive(lag: int) -> History:
    """Repeat the last `lag` observations (lag 1: the last value)."""

    def fn(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
        return _horizon(test, spec, np.resize(_history(train, spec)[-lag:], len(test)))

    return fn


def _drift(train: pd.DataFrame, test: pd.DataFrame, spec: Spec) -> Any:
    y = _history(train, spec)
    slope = (y[-1] - y[0]) / (len(y) - 1)
    return _horizon(test, spec, y[-1] + slope * np.arange(1, len(test) + 1))


def naive_forecasts(periods: Sequence[int]) -> tuple[Contender, ...]:
    """The forecasts that take no skill: the last value and each seasonal naive. They are
    the project's `trivial` contenders, which must stay 2 SE below the baseline."""
    return (
        FunctionContender("naive: last value", naive(1)),
        *(FunctionContender(f"seasonal naive ({p} steps)", naive(p)) for p in periods),
    )


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
    *, periods: Sequence[float], time: str, features: Sequence[str]
) -> tuple[Contender, ...]:
    """The drift forecast, then regressors on the features known in advance (`time` is
    the numeric time index the Fourier terms read)."""
    feats = list(features)
    entries: list[Contender] = [
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
            "extra trees on calendar features",
            for_trees(
                lambda: ExtraTreesRegressor(60, min_samples_leaf=5, random_state=SEED, n_jobs=1)
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
