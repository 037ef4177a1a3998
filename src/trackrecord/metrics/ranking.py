"""Ranking metrics in row-per-(query, item) form.

Each row is one (query, item) pair: y_true is the item's relevance, y_pred the submitted
score, param `groups` the query id of the row. Items are ranked by score, high first, within
their query; the metric is computed per query and averaged over queries. Queries with no
relevant item are left out of the average (their metric is 0 / 0); if no query has a
relevant item the metric is undefined and raises.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trackrecord.metrics._validate import (
    FloatArray,
    IntArray,
    Params,
    checker,
    fail,
    label_vector,
    non_negative,
    paired_vectors,
    positive_int,
    required,
    same_length,
    sortable,
)
from trackrecord.metrics.registry import Direction, InputKind, metric

RANKING_PARAMS = ("groups", "k")


def _grouped(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray, IntArray, int]:
    """(relevance, score, query index per row, cutoff k); k defaults to 'all items'."""
    relevance, scores = paired_vectors(metric, y_true, y_pred)
    non_negative(metric, relevance, "relevance values (y_true)")
    if not relevance.any():
        fail(metric, "is undefined: no query has a relevant item (every y_true is 0)")
    groups = label_vector(metric, required(metric, params, "groups"), "param 'groups'")
    same_length(metric, relevance, groups, "param 'groups'")
    codes: IntArray = np.unique(sortable(groups), return_inverse=True)[1].astype(np.intp)
    k_param = params.get("k")
    k = relevance.size if k_param is None else positive_int(metric, k_param, "k")
    return relevance, scores, codes, k


def _positions(sorted_codes: IntArray) -> IntArray:
    """0-based rank of each row within its query, for rows already sorted by query."""
    n = sorted_codes.size
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.append(starts, n))
    out: IntArray = np.arange(n) - np.repeat(starts, sizes)
    return out


def _group_sum(codes: IntArray, weights: FloatArray, n_groups: int) -> FloatArray:
    return np.asarray(np.bincount(codes, weights=weights, minlength=n_groups), dtype=np.float64)


def _mean_over_defined(numerator: FloatArray, denominator: FloatArray) -> float:
    """Mean over the queries with a relevant item (`_grouped` ensured there is one)."""
    defined = denominator > 0
    return float(np.mean(numerator[defined] / denominator[defined]))


def _discounts(positions: IntArray, k: int) -> FloatArray:
    """1 / log2(rank + 1) for 1-based ranks up to k, 0 beyond (scikit-learn's form)."""
    discount: FloatArray = 1.0 / (np.log(positions + 2.0) / np.log(2.0))
    discount[positions >= k] = 0.0
    return discount


def _ndcg_parts(
    relevance: FloatArray, scores: FloatArray, codes: IntArray, k: int
) -> tuple[FloatArray, FloatArray]:
    """(DCG@k, ideal DCG@k) per query, DCG averaged over tied scores."""
    n_groups = int(codes.max()) + 1
    order = np.lexsort((-scores, codes))
    g, s, rel = codes[order], scores[order], relevance[order]
    discount = _discounts(_positions(g), k)
    # A block of tied scores shares its gain evenly over the positions it spans.
    new_block = np.r_[True, (g[1:] != g[:-1]) | (s[1:] != s[:-1])]
    starts = np.flatnonzero(new_block)
    sizes = np.diff(np.append(starts, g.size))
    mean_gain = np.add.reduceat(rel, starts) / sizes
    block_discount = np.add.reduceat(discount, starts)
    dcg = _group_sum(g[starts], mean_gain * block_discount, n_groups)
    # Sorting by query first keeps each query's rows in one span, so `discount` still fits.
    ideal_rel = relevance[np.lexsort((-relevance, codes))]
    ideal = _group_sum(g, ideal_rel * discount, n_groups)
    return dcg, ideal


@metric(
    "ndcg_at_k",
    direction=Direction.MAXIMIZE,
    kind=InputKind.SCORES,
    description="Normalized discounted cumulative gain at k, averaged over queries.",
    params=RANKING_PARAMS,
    validate=checker(_grouped, "ndcg_at_k"),
    aliases=("ndcg",),
)
def ndcg_at_k(y_true: Any, y_pred: Any, *, groups: Any = None, k: Any = None) -> float:
    """Per query: DCG@k / ideal DCG@k with linear gains (the relevance) and discount
    1 / log2(rank + 1); tied scores get the mean gain of their block."""
    params = {"groups": groups, "k": k}
    relevance, scores, codes, cutoff = _grouped("ndcg_at_k", y_true, y_pred, params)
    dcg, ideal = _ndcg_parts(relevance, scores, codes, cutoff)
    return _mean_over_defined(dcg, ideal)


def _binary_grouped(
    metric: str, y_true: Any, y_pred: Any, params: Params
) -> tuple[FloatArray, FloatArray, IntArray, int]:
    relevance, scores, codes, k = _grouped(metric, y_true, y_pred, params)
    if not ((relevance == 0) | (relevance == 1)).all():
        fail(metric, "relevance values (y_true) must be 0 (not relevant) or 1 (relevant)")
    return relevance, scores, codes, k


@metric(
    "map_at_k",
    direction=Direction.MAXIMIZE,
    kind=InputKind.SCORES,
    description="Mean average precision at k over queries; relevance is 0/1.",
    params=RANKING_PARAMS,
    validate=checker(_binary_grouped, "map_at_k"),
    aliases=("map", "mean_average_precision"),
)
def map_at_k(y_true: Any, y_pred: Any, *, groups: Any = None, k: Any = None) -> float:
    """Per query: sum of precision@i at each relevant rank i <= k, / min(k, #relevant).
    Ties in score are broken against the submission: irrelevant items first."""
    params = {"groups": groups, "k": k}
    relevance, scores, codes, cutoff = _binary_grouped("map_at_k", y_true, y_pred, params)
    n_groups = int(codes.max()) + 1
    order = np.lexsort((relevance, -scores, codes))
    g, rel = codes[order], relevance[order]
    positions = _positions(g)
    hits = np.cumsum(rel)
    hits_before_group = (hits - rel)[positions == 0]
    hits -= np.repeat(hits_before_group, np.bincount(g, minlength=n_groups))
    precision_at_hit = np.where((positions < cutoff) & (rel == 1), hits / (positions + 1.0), 0.0)
    total = _group_sum(g, precision_at_hit, n_groups)
    n_relevant = _group_sum(codes, relevance, n_groups)
    return _mean_over_defined(total, np.minimum(n_relevant, float(cutoff)))
