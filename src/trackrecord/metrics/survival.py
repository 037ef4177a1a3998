"""Survival metrics: y_true is (time, event) per row, y_pred a risk score.

A higher risk score means an earlier event. Censored rows (event = 0) tell only that the
event had not happened by their time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trackrecord.metrics._validate import (
    BoolArray,
    FloatArray,
    IntArray,
    Params,
    checker,
    fail,
    matrix,
    same_length,
    vector,
)
from trackrecord.metrics.registry import Direction, InputKind, metric


def _survival(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """(time, event, risk) with event as booleans."""
    table = matrix(metric, y_true, "true values")
    if table.shape[1] != 2:
        fail(metric, f"true values must be two columns (time, event), got {table.shape[1]}")
    time, event = table[:, 0], table[:, 1]
    if not ((event == 0) | (event == 1)).all():
        fail(metric, "the event column of the true values must hold only 0 (censored) and 1")
    risk = vector(metric, y_pred, "predicted risk scores")
    same_length(metric, table, risk, "predictions")
    _some_pair_comparable(metric, time, event == 1)
    return time, event == 1, risk


def _some_pair_comparable(metric: str, time: FloatArray, event: BoolArray) -> None:
    """The earliest event is comparable with a row if any event is (see harrell_counts)."""
    if event.any():
        first = float(time[event].min())
        if ((time > first) | ((time == first) & ~event)).any():
            return
    fail(
        metric,
        "is undefined: no comparable pair (needs an event row and a row known to outlive "
        "it: a later time, or censored at the same time)",
    )


def _dense_rank(values: FloatArray) -> IntArray:
    ranks: IntArray = np.unique(values, return_inverse=True)[1].astype(np.int64)
    return ranks


def _count_dominated(
    data_key: IntArray, data_rank: IntArray, query_key: IntArray, query_rank: IntArray
) -> int:
    """Pairs (data j, query i) with data_key[j] >= query_key[i] and data_rank[j] <
    query_rank[i]: a bottom-up merge count, O(n log^2 n), each level vectorized."""
    keys = np.concatenate([data_key, query_key])
    ranks = np.concatenate([data_rank, query_rank])
    is_query = np.r_[np.zeros(data_key.size, bool), np.ones(query_key.size, bool)]
    # Keys high to low, data before queries on equal keys: a pair counts when j precedes i.
    order = np.lexsort((is_query, -keys))
    ranks, is_query = ranks[order], is_query[order]
    n, span, total = ranks.size, int(ranks.max()) + 1, 0
    position = np.arange(n, dtype=np.int64)
    width = 1
    while width < n:
        block = position // (2 * width)
        right = (position // width) % 2 == 1
        left_data = ~right & ~is_query
        right_query = right & is_query
        if left_data.any() and right_query.any():
            sorted_left = np.sort(block[left_data] * span + ranks[left_data])
            base = block[right_query] * span
            below = np.searchsorted(sorted_left, base + ranks[right_query], side="left")
            total += int((below - np.searchsorted(sorted_left, base, side="left")).sum())
        width *= 2
    return total


def harrell_counts(time: FloatArray, event: BoolArray, risk: FloatArray) -> tuple[int, int, int]:
    """(concordant, tied-in-risk, comparable) pair counts for Harrell's C.

    A pair (i, j) is comparable when row i had the event and row j is known to outlive it:
    time[j] > time[i], or time[j] == time[i] with row j censored. It is concordant when
    risk[i] > risk[j]; equal risks are ties.
    """
    time_rank = _dense_rank(time)
    risk_rank = _dense_rank(risk)
    # Key 2t+1 for an event at time rank t; data keys 2t (event) and 2t+1 (censored) make
    # "data key >= query key" mean exactly "comparable with that event".
    data_key = 2 * time_rank + (~event)
    query_key = 2 * time_rank[event] + 1
    query_rank = risk_rank[event]
    sorted_keys = np.sort(data_key)
    comparable = int((data_key.size - np.searchsorted(sorted_keys, query_key, side="left")).sum())
    stride = int(data_key.max()) + 1
    tie_keys = np.sort(risk_rank * stride + data_key)
    low = np.searchsorted(tie_keys, query_rank * stride + query_key, side="left")
    high = np.searchsorted(tie_keys, (query_rank + 1) * stride, side="left")
    tied = int((high - low).sum())
    concordant = _count_dominated(data_key, risk_rank, query_key, query_rank)
    return concordant, tied, comparable


@metric(
    "concordance_index",
    direction=Direction.MAXIMIZE,
    kind=InputKind.RISK,
    description="Harrell's C: share of comparable pairs whose risk order matches their times.",
    validate=checker(_survival, "concordance_index"),
    aliases=("c_index", "cindex", "harrell_c"),
)
def concordance_index(y_true: Any, y_pred: Any) -> float:
    """(concordant + 0.5 * tied) / comparable pairs; 0.5 is random, 1 perfect."""
    time, event, risk = _survival("concordance_index", y_true, y_pred, {})
    concordant, tied, comparable = harrell_counts(time, event, risk)
    return (concordant + 0.5 * tied) / comparable
