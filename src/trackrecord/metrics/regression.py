"""Regression and forecasting metrics: y_true and y_pred are one column of real numbers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trackrecord.metrics._validate import (
    FloatArray,
    Params,
    checker,
    fail,
    non_negative,
    paired_vectors,
    required,
)
from trackrecord.metrics.registry import Direction, InputKind, metric

# MAPE divides by max(|y_true|, EPS), scikit-learn's guard against tiny denominators.
EPS = float(np.finfo(np.float64).eps)


def _pair(metric: str, y_true: Any, y_pred: Any, params: Params) -> tuple[FloatArray, FloatArray]:
    return paired_vectors(metric, y_true, y_pred)


def _validated(y_true: Any, y_pred: Any) -> tuple[FloatArray, FloatArray]:
    """Inputs `_pair` has already accepted (the registry validates before it scores), read
    again without repeating the checks: saves four passes over 10M-row inputs."""
    truth = np.asarray(y_true, dtype=np.float64).reshape(-1)
    pred = np.asarray(y_pred, dtype=np.float64).reshape(-1)
    return truth, pred


def _mean_square(diff: FloatArray) -> float:
    return float(np.dot(diff, diff)) / diff.size


@metric(
    "rmse",
    direction=Direction.MINIMIZE,
    kind=InputKind.VALUES,
    description="Root mean squared error.",
    sklearn="sklearn.metrics.root_mean_squared_error",
    validate=checker(_pair, "rmse"),
    aliases=("root_mean_squared_error",),
)
def rmse(y_true: Any, y_pred: Any) -> float:
    """sqrt(mean((y_pred - y_true)^2))."""
    truth, pred = _validated(y_true, y_pred)
    return math.sqrt(_mean_square(pred - truth))


@metric(
    "mae",
    direction=Direction.MINIMIZE,
    kind=InputKind.VALUES,
    description="Mean absolute error.",
    sklearn="sklearn.metrics.mean_absolute_error",
    validate=checker(_pair, "mae"),
    aliases=("mean_absolute_error",),
)
def mae(y_true: Any, y_pred: Any) -> float:
    """mean(|y_pred - y_true|)."""
    truth, pred = _validated(y_true, y_pred)
    diff = pred - truth
    return float(np.mean(np.abs(diff, out=diff)))


def _log_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray]:
    truth, pred = paired_vectors(metric, y_true, y_pred)
    non_negative(metric, truth, "true values")
    non_negative(metric, pred, "predictions")
    return truth, pred


@metric(
    "rmsle",
    direction=Direction.MINIMIZE,
    kind=InputKind.VALUES,
    description="Root mean squared error of log(1 + value); values must not be negative.",
    sklearn="sklearn.metrics.root_mean_squared_log_error",
    validate=checker(_log_pair, "rmsle"),
    min_prediction=0.0,
    aliases=("root_mean_squared_log_error",),
)
def rmsle(y_true: Any, y_pred: Any) -> float:
    """sqrt(mean((log1p(y_pred) - log1p(y_true))^2))."""
    truth, pred = _log_pair("rmsle", y_true, y_pred, {})
    return math.sqrt(_mean_square(np.log1p(pred) - np.log1p(truth)))


def _percentage_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray]:
    truth, pred = paired_vectors(metric, y_true, y_pred)
    zeros = np.flatnonzero(truth == 0)
    if zeros.size:
        fail(
            metric,
            f"is undefined when a true value is 0; {zeros.size} row(s) are "
            f"(first: row {int(zeros[0]) + 1})",
        )
    return truth, pred


@metric(
    "mape",
    direction=Direction.MINIMIZE,
    kind=InputKind.VALUES,
    description="Mean absolute percentage error, as a fraction (0.1 = 10%).",
    sklearn="sklearn.metrics.mean_absolute_percentage_error",
    validate=checker(_percentage_pair, "mape"),
    aliases=("mean_absolute_percentage_error",),
)
def mape(y_true: Any, y_pred: Any) -> float:
    """mean(|y_pred - y_true| / max(|y_true|, EPS)); y_true must hold no zero."""
    truth, pred = _percentage_pair("mape", y_true, y_pred, {})
    return float(np.mean(np.abs(pred - truth) / np.maximum(np.abs(truth), EPS)))


def _r2_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray, float]:
    """True values, predictions, and the total sum of squares (which must not be 0)."""
    truth, pred = paired_vectors(metric, y_true, y_pred)
    if truth.size < 2:
        fail(metric, "needs at least two rows")
    spread = truth - np.mean(truth)
    total = float(np.dot(spread, spread))
    if total == 0.0 or not math.isfinite(total):
        fail(metric, "is undefined: the true values have zero variance (total sum of squares 0)")
    return truth, pred, total


@metric(
    "r2",
    direction=Direction.MAXIMIZE,
    kind=InputKind.VALUES,
    description="Coefficient of determination: 1 - residual / total sum of squares.",
    sklearn="sklearn.metrics.r2_score",
    validate=checker(_r2_pair, "r2"),
    aliases=("r2_score", "r_squared"),
)
def r2(y_true: Any, y_pred: Any) -> float:
    """1 - sum((y_true - y_pred)^2) / sum((y_true - mean(y_true))^2)."""
    truth, pred, total = _r2_pair("r2", y_true, y_pred, {})
    residual = truth - pred
    return 1.0 - float(np.dot(residual, residual)) / total


def _poisson_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray]:
    truth, pred = paired_vectors(metric, y_true, y_pred)
    non_negative(metric, truth, "true values")
    low = float(pred.min())
    if low <= 0.0:
        fail(metric, f"predictions must be strictly positive (a Poisson mean); found {low!r}")
    return truth, pred


@metric(
    "poisson_deviance",
    direction=Direction.MINIMIZE,
    kind=InputKind.VALUES,
    description="Mean Poisson deviance, for counts; y_true >= 0, y_pred > 0.",
    sklearn="sklearn.metrics.mean_poisson_deviance",
    validate=checker(_poisson_pair, "poisson_deviance"),
    min_prediction=0.0,
    min_exclusive=True,
    aliases=("mean_poisson_deviance",),
)
def poisson_deviance(y_true: Any, y_pred: Any) -> float:
    """mean(2 * (y log(y / p) - y + p)), with 0 log 0 = 0."""
    truth, pred = _poisson_pair("poisson_deviance", y_true, y_pred, {})
    from scipy.special import xlogy  # imported here: scipy costs 0.2 s at start-up

    return float(np.mean(2.0 * (xlogy(truth, truth / pred) - truth + pred)))


def _scale(metric: str, value: Any) -> float:
    try:
        scale = float(value)
    except (TypeError, ValueError):
        fail(metric, f"param 'scale' must be a number, got {value!r}")
    if not math.isfinite(scale) or scale <= 0.0:
        fail(metric, f"param 'scale' must be a positive finite number, got {value!r}")
    return scale


def _scaled_pair(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray, float]:
    scale = _scale(metric, required(metric, params, "scale"))
    truth, pred = paired_vectors(metric, y_true, y_pred)
    return truth, pred, scale


@metric(
    "mase",
    direction=Direction.MINIMIZE,
    kind=InputKind.VALUES,
    description="Mean absolute scaled error: MAE divided by the in-sample naive-forecast MAE.",
    params=("scale",),
    validate=checker(_scaled_pair, "mase"),
)
def mase(y_true: Any, y_pred: Any, *, scale: Any = None) -> float:
    """mean(|y_pred - y_true|) / scale; `scale` is the bundle's in-sample naive MAE."""
    truth, pred, denom = _scaled_pair("mase", y_true, y_pred, {"scale": scale})
    return float(np.mean(np.abs(pred - truth))) / denom
