"""Clustering metrics: y_true and y_pred are cluster ids; only co-membership matters."""

from __future__ import annotations

from typing import Any

import numpy as np

from trackrecord.metrics._validate import (
    IntArray,
    Params,
    checker,
    label_vector,
    same_length,
    sortable,
)
from trackrecord.metrics.registry import Direction, InputKind, metric


def _cluster_codes(metric: str, values: Any, what: str) -> IntArray:
    ids = label_vector(metric, values, what)
    codes: IntArray = np.unique(sortable(ids), return_inverse=True)[1].astype(np.intp)
    return codes


def _partitions(metric: str, y_true: Any, y_pred: Any, params: Params) -> tuple[IntArray, IntArray]:
    """Both labelings as dense cluster indices 0..c-1."""
    truth = _cluster_codes(metric, y_true, "true cluster ids")
    pred = _cluster_codes(metric, y_pred, "predicted cluster ids")
    same_length(metric, truth, pred, "predictions")
    return truth, pred


def _pairs(counts: IntArray) -> int:
    """Number of unordered pairs within each count, summed exactly (Python ints)."""
    c = counts.astype(np.int64)
    return int((c * (c - 1) // 2).sum(dtype=np.int64))


@metric(
    "adjusted_rand",
    direction=Direction.MAXIMIZE,
    kind=InputKind.CLUSTERS,
    description="Adjusted Rand index: pair agreement corrected for chance (1 = identical).",
    sklearn="sklearn.metrics.adjusted_rand_score",
    validate=checker(_partitions, "adjusted_rand"),
    aliases=("ari", "adjusted_rand_index", "adjusted_rand_score"),
)
def adjusted_rand(y_true: Any, y_pred: Any) -> float:
    """(index - expected) / (max - expected) over pairs of rows; 1.0 when the two
    partitions agree on every pair (including a single row)."""
    truth, pred = _partitions("adjusted_rand", y_true, y_pred, {})
    n_pred = int(pred.max()) + 1
    # Only non-empty cells of the contingency table: it may be too large to hold densely.
    _, cells = np.unique(truth.astype(np.int64) * n_pred + pred, return_counts=True)
    n = truth.size
    same_both = _pairs(cells)
    same_true = _pairs(np.bincount(truth))
    same_pred = _pairs(np.bincount(pred))
    # The pair confusion matrix, as scikit-learn builds it (each pair counted twice).
    tp = 2 * same_both
    fp = 2 * (same_pred - same_both)  # together in y_pred, apart in y_true
    fn = 2 * (same_true - same_both)
    tn = n * n - n - tp - fp - fn
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
